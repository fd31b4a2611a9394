package io.docpipe.http;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Host syntax, strictly: canonical dotted-decimal IPv4, and ASCII host names. Every other numeric
 * spelling ({@code 2852039166}, {@code 0xA9FEA9FE}, {@code 0251.0376.0251.0376}, {@code 127.1}) is
 * a host that some resolvers read as an address ({@code inet_aton}), so it is refused outright
 * rather than guessed at.
 */
final class Hosts {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
  private static final Pattern DECIMAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

  private Hosts() {}

  /** The four bytes of a canonical dotted-decimal IPv4 address, or {@code null}. */
  static byte @Nullable [] canonicalIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!DECIMAL_OCTET.matcher(parts[i]).matches()) {
        return null;
      }
      int value = Integer.parseInt(parts[i]);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  /**
   * Whether a host's last label is a number (decimal, octal or hex), which makes URL parsers and
   * {@code inet_aton} read the whole host as an IPv4 address.
   */
  static boolean looksNumeric(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1);
    return !last.isEmpty() && NUMBER.matcher(last).matches();
  }

  /**
   * What {@code inet_aton} makes of a numeric host ({@code "0xA9FEA9FE"} is {@code
   * 169.254.169.254}), or {@code null} when it is no address at all.
   */
  static @Nullable String inetAtonReading(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (!NUMBER.matcher(p).matches()) {
        return null;
      }
      try {
        if (p.startsWith("0x") || p.startsWith("0X")) {
          values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
        } else if (p.length() > 1 && p.startsWith("0")) {
          values[i] = Long.parseLong(p.substring(1), 8);
        } else {
          values[i] = Long.parseLong(p);
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return null;
      }
      address = (address << 8) | values[i];
    }
    int lastBits = 8 * (5 - values.length);
    long last = values[values.length - 1];
    if (last >= (1L << lastBits)) {
      return null;
    }
    address = (address << lastBits) | last;
    return ((address >> 24) & 0xff)
        + "."
        + ((address >> 16) & 0xff)
        + "."
        + ((address >> 8) & 0xff)
        + "."
        + (address & 0xff);
  }

  /**
   * The lower-case ASCII (punycode) form of a host name, without a trailing dot.
   *
   * @throws IllegalArgumentException when it is not a valid host name
   */
  static String asciiHostName(String host) {
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid host name: " + e.getMessage(), e);
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.isEmpty() || ascii.length() > 253) {
      throw new IllegalArgumentException("invalid host name length");
    }
    for (String label : ascii.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("invalid host name label '" + label + "'");
      }
    }
    return ascii;
  }
}
