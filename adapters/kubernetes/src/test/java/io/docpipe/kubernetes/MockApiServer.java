package io.docpipe.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Optional;

/**
 * fabric8's Kubernetes API stand-in in CRUD mode on 127.0.0.1, port 0: it stores objects, assigns
 * resourceVersions and refuses stale writes with 409, like the API server (no validation, no
 * controllers).
 */
final class MockApiServer implements AutoCloseable {

  private final KubernetesMockServer server;

  MockApiServer() {
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

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  KubernetesSettings settings(String namespace) {
    return new KubernetesSettings(Optional.of(url()), namespace);
  }

  @Override
  public void close() {
    server.destroy();
  }
}
