package io.docpipe.kubernetes;

import java.util.Objects;
import java.util.Optional;

/**
 * The Job a worker runs for. Its uid (from the pod label {@code
 * batch.kubernetes.io/controller-uid}) is optional: with it, the checkpoint ConfigMap is owned by
 * the Job and garbage-collected with it.
 */
public record JobRef(String name, Optional<String> uid) {

  public JobRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    if (!KubernetesSettings.isObjectName(name)) {
      throw new IllegalArgumentException("not a valid Job name: '" + name + "'");
    }
  }

  /** No Job: a local run or a test; nothing owns the ConfigMap. */
  public static JobRef none() {
    return new JobRef("none", Optional.empty());
  }
}
