package io.docpipe.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The address ranges a URL must not reach unless allow-listed: everything that is not a public
 * unicast address (private, loopback, link-local and cloud metadata, unique-local, multicast,
 * unspecified, reserved, documentation), and IPv6 forms that embed such an IPv4 address.
 */
final class AddressRanges {

  /** A CIDR block with what it is, as told in a refusal. */
  record Block(byte[] network, int prefixLength, String what) {

    static Block of(String cidr, String what) {
      int slash = cidr.indexOf('/');
      byte[] network = literal(cidr.substring(0, slash));
      return new Block(network, Integer.parseInt(cidr.substring(slash + 1)), what);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixLength / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Block b
          && prefixLength == b.prefixLength
          && Arrays.equals(network, b.network)
          && what.equals(b.what);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
      return what;
    }
  }

  private static final List<Block> IPV4 =
      List.of(
          Block.of("0.0.0.0/8", "an unspecified ('this network') address"),
          Block.of("10.0.0.0/8", "a private address (10.0.0.0/8)"),
          Block.of("100.64.0.0/10", "a carrier-grade NAT address (100.64.0.0/10)"),
          Block.of("127.0.0.0/8", "a loopback address"),
          Block.of(
              "169.254.0.0/16",
              "a link-local address (169.254.0.0/16, home of cloud metadata services)"),
          Block.of("172.16.0.0/12", "a private address (172.16.0.0/12)"),
          Block.of("192.0.0.0/24", "an IETF protocol address (192.0.0.0/24)"),
          Block.of("192.0.2.0/24", "a documentation address"),
          Block.of("192.88.99.0/24", "a 6to4 relay address"),
          Block.of("192.168.0.0/16", "a private address (192.168.0.0/16)"),
          Block.of("198.18.0.0/15", "a benchmarking address"),
          Block.of("198.51.100.0/24", "a documentation address"),
          Block.of("203.0.113.0/24", "a documentation address"),
          Block.of("224.0.0.0/4", "a multicast address"),
          Block.of("240.0.0.0/4", "a reserved or broadcast address"));

  private static final List<Block> IPV6 =
      List.of(
          Block.of("::/128", "an unspecified address"),
          Block.of("::1/128", "a loopback address"),
          Block.of("64:ff9b:1::/48", "a local-use NAT64 address"),
          Block.of("100::/64", "a discard-only address"),
          Block.of("2001::/32", "a Teredo tunnel address"),
          Block.of("2001:db8::/32", "a documentation address"),
          Block.of(
              "fc00::/7",
              "a unique-local address (fc00::/7, incl. the EC2 metadata address fd00:ec2::254)"),
          Block.of("fe80::/10", "a link-local address (fe80::/10)"),
          Block.of("fec0::/10", "a site-local address (fec0::/10)"),
          Block.of("ff00::/8", "a multicast address"));

  private static final Block IPV4_MAPPED = Block.of("::ffff:0:0/96", "IPv4-mapped");
  private static final Block IPV4_COMPATIBLE = Block.of("::/96", "IPv4-compatible");
  private static final Block NAT64 = Block.of("64:ff9b::/96", "NAT64");
  private static final Block SIX_TO_FOUR = Block.of("2002::/16", "6to4");

  private AddressRanges() {}

  /** Why {@code address} must not be reached, or {@code null} for a public unicast address. */
  static @Nullable String refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return first(IPV4, bytes);
    }
    if (IPV4_MAPPED.contains(bytes)) {
      return embedded("an IPv4-mapped IPv6 address", Arrays.copyOfRange(bytes, 12, 16));
    }
    if (IPV4_COMPATIBLE.contains(bytes)) {
      String special = first(IPV6, bytes); // :: and ::1
      return special != null
          ? special
          : "an IPv4-compatible IPv6 address (deprecated; refused whatever it embeds)";
    }
    if (NAT64.contains(bytes)) {
      return embedded("a NAT64 address", Arrays.copyOfRange(bytes, 12, 16));
    }
    if (SIX_TO_FOUR.contains(bytes)) {
      return embedded("a 6to4 address", Arrays.copyOfRange(bytes, 2, 6));
    }
    return first(IPV6, bytes);
  }

  /** An IPv6 form is refused when the IPv4 address it carries would be. */
  private static @Nullable String embedded(String form, byte[] ipv4) {
    String inner = first(IPV4, ipv4);
    return inner == null ? null : form + " embedding " + text(ipv4) + ", " + inner;
  }

  private static @Nullable String first(List<Block> blocks, byte[] bytes) {
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return block.what();
      }
    }
    return null;
  }

  /** The bytes of an address literal (never a name: no lookup happens). */
  static byte[] literal(String text) {
    if (text.indexOf(':') < 0) {
      byte[] ipv4 = Hosts.canonicalIpv4(text);
      if (ipv4 == null) {
        throw new IllegalArgumentException("not an address literal: " + text);
      }
      return ipv4;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: " + text, e);
    }
  }

  static String text(byte[] ipv4) {
    return (ipv4[0] & 0xff)
        + "."
        + (ipv4[1] & 0xff)
        + "."
        + (ipv4[2] & 0xff)
        + "."
        + (ipv4[3] & 0xff);
  }
}
