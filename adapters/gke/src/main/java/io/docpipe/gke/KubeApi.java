package io.docpipe.gke;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The submitter's connection: an explicit API server, else the kubeconfig or the pod's account. */
final class KubeApi {

  private KubeApi() {}

  static ApiClient connect(@Nullable URI apiServer) {
    try {
      ApiClient client =
          apiServer != null
              ? new ClientBuilder().setBasePath(apiServer.toString()).build()
              : ClientBuilder.standard().build();
      client.setConnectTimeout(10_000);
      client.setReadTimeout(30_000);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Kubernetes client configuration: " + e, e);
    }
  }

  /** A readable line for a failed call: the status code and the API server's message. */
  static String describe(ApiException e) {
    String body = e.getResponseBody();
    return e.getCode() == 0
        ? String.valueOf(e.getMessage())
        : "HTTP " + e.getCode() + (body == null || body.isBlank() ? "" : ": " + body.strip());
  }
}
