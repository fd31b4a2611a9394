package io.docpipe.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hosts a user lets the source reach although the guard would refuse them: host names (exact match)
 * and address blocks. An allow-listed name may resolve to any address; other names must resolve to
 * public addresses or to addresses in an allow-listed block.
 */
record AllowList(Set<String> hostNames, List<AddressRanges.Block> blocks) {

  static final AllowList EMPTY = new AllowList(Set.of(), List.of());

  /**
   * Parses entries such as {@code docs.internal.example}, {@code 10.1.2.3}, {@code 10.1.0.0/16},
   * {@code fd12:3456::/32}.
   *
   * @throws IllegalArgumentException naming the first malformed entry
   */
  static AllowList parse(List<String> entries) {
    Set<String> names = new TreeSet<>();
    List<AddressRanges.Block> blocks = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      try {
        if (entry.indexOf('/') >= 0) {
          int slash = entry.indexOf('/');
          byte[] network = AddressRanges.literal(entry.substring(0, slash));
          int prefix = Integer.parseInt(entry.substring(slash + 1));
          if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix length out of range");
          }
          blocks.add(new AddressRanges.Block(network, prefix, "allow-listed " + entry));
        } else if (entry.indexOf(':') >= 0 || Hosts.looksNumeric(entry)) {
          byte[] address = AddressRanges.literal(entry);
          blocks.add(new AddressRanges.Block(address, address.length * 8, "allow-listed " + entry));
        } else {
          names.add(Hosts.asciiHostName(entry));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "allow-list entry '"
                + raw
                + "' is neither a host name nor an address or CIDR block: "
                + e.getMessage(),
            e);
      }
    }
    return new AllowList(Set.copyOf(names), List.copyOf(blocks));
  }

  boolean permitsHost(String asciiHostName) {
    return hostNames.contains(asciiHostName);
  }

  boolean permitsAddress(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (AddressRanges.Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
