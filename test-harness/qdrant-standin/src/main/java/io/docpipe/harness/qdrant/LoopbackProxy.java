package io.docpipe.harness.qdrant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of the gRPC server, so that a test can cut every open
 * connection at once, the way a load balancer restart or a node failure does.
 */
final class LoopbackProxy implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LoopbackProxy.class.getName());

  private final ServerSocket listener;
  private final int backendPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger drops = new AtomicInteger();
  private final Thread acceptor;

  LoopbackProxy(int backendPort) throws IOException {
    this.backendPort = backendPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = Thread.ofPlatform().daemon().name("qdrant-stand-in-proxy").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Closes every relayed connection (both sides); new connections are accepted as before. */
  void dropAll() {
    drops.incrementAndGet();
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  int drops() {
    return drops.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
        client.setTcpNoDelay(true);
        backend.setTcpNoDelay(true);
        open.add(client);
        open.add(backend);
        Thread.ofVirtual().start(() -> pump(client, backend));
        Thread.ofVirtual().start(() -> pump(backend, client));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "backend refused a relayed connection", e);
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a dropped or closed connection ends the relay
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a relayed socket", e);
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the proxy listener", e);
    }
    dropAll();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
