package io.docpipe.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A resolver with a fixed table, like a hosts file, recording every name asked for. {@code
 * localhost} goes to the system resolver, which answers it from the hosts file without traffic.
 */
final class FixedResolver implements HostResolver {

  private final Map<String, List<String>> table;
  private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

  FixedResolver(Map<String, List<String>> table) {
    this.table = Map.copyOf(table);
  }

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    asked.add(host);
    if (host.equals("localhost")) {
      return HostResolver.SYSTEM.resolve(host);
    }
    List<String> literals = table.get(host);
    if (literals == null) {
      throw new UnknownHostException(host);
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String literal : literals) {
      addresses.add(InetAddress.getByAddress(host, AddressRanges.literal(literal)));
    }
    return addresses;
  }

  List<String> asked() {
    return List.copyOf(asked);
  }
}
