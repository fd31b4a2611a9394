package io.docpipe.kubernetes;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the Kubernetes API is and which namespace docpipe works in.
 *
 * @param apiServer the API server's base URL; when absent, the pod's service account (in a cluster)
 *     or the user's kubeconfig (on a workstation)
 * @param namespace the namespace of the Job, its checkpoint ConfigMap and its Events
 */
public record KubernetesSettings(Optional<URI> apiServer, String namespace) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public KubernetesSettings {
    Objects.requireNonNull(apiServer, "apiServer");
    Objects.requireNonNull(namespace, "namespace");
    if (!isDnsLabel(namespace)) {
      throw new IllegalArgumentException("not a valid namespace name: '" + namespace + "'");
    }
  }

  /** Whether {@code name} is an RFC 1123 label, as namespace names must be. */
  public static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  /**
   * Whether {@code name} is a valid object name (RFC 1123 subdomain), as ConfigMap names must be.
   */
  public static boolean isObjectName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }
}
