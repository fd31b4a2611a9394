package io.docpipe.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses, once per hop; the source checks every address it returns and
 * connects only to a checked one. Replace it to serve names from elsewhere (tests, a split-horizon
 * resolver).
 */
@FunctionalInterface
public interface HostResolver {

  /** The system resolver ({@link InetAddress#getAllByName}). */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * Every address of {@code host} (an ASCII host name, never an address literal).
   *
   * @throws UnknownHostException when the name has no address
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
