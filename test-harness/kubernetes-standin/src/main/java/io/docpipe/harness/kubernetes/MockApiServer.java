package io.docpipe.harness.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;

/**
 * fabric8's Kubernetes API stand-in in CRUD mode on 127.0.0.1, port 0: it stores objects, assigns
 * resourceVersions and refuses stale writes with 409, like the API server (no validation, no
 * controllers).
 */
public final class MockApiServer implements AutoCloseable {

  private final KubernetesMockServer server;

  public MockApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's base URL, for the client's API server setting. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  @Override
  public void close() {
    server.destroy();
  }
}
