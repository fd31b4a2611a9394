package io.docpipe.gke;

import io.docpipe.wiring.DocpipeConfig;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1IPBlock;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1IngressServiceBackend;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.qdrant.client.VersionsCompatibilityChecker;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a set of Kubernetes objects the way a cluster would and lists what would not work: pods
 * that a NetworkPolicy refuses on a connection they need, references to objects that are not there,
 * images by tag, fields Pod Security "restricted" rejects, a Qdrant server the client does not
 * support, and a Role that may change ConfigMaps every pod loads. Each problem names the objects
 * involved ({@code Kind namespace/name}).
 */
final class DeployChecks {

  /** Where Google's load balancers and health checks connect from (GKE Ingress). */
  static final String GOOGLE_LOAD_BALANCER = "35.191.0.1";

  /** An address outside the cluster: the Kubernetes API's endpoint, an embeddings API. */
  private static final String OUTSIDE = "203.0.113.10";

  private static final Pattern DIGEST = Pattern.compile("[^@\\s]+@sha256:[0-9a-f]{64}");
  private static final Pattern QDRANT_TAG =
      Pattern.compile("(?:.*/)?qdrant/qdrant:v(\\d+\\.\\d+\\.\\d+)(?:-[a-z]+)?(?:@.*)?");
  private static final Set<String> RESTRICTED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  private final List<KubernetesObject> objects;
  private final String qdrantClientVersion;
  private final List<Workload> workloads = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  /** A pod template and the object that owns it. */
  record Workload(
      KubernetesObject owner, V1PodTemplateSpec template, List<String> claimTemplateNames) {
    String namespace() {
      return DeployChecks.namespace(owner);
    }

    Map<String, String> labels() {
      Map<String, String> labels =
          template.getMetadata() == null ? null : template.getMetadata().getLabels();
      return labels == null ? Map.of() : labels;
    }

    V1PodSpec spec() {
      return Objects.requireNonNull(template.getSpec(), "pod spec");
    }

    List<V1Container> containers() {
      List<V1Container> all = new ArrayList<>(spec().getContainers());
      if (spec().getInitContainers() != null) {
        all.addAll(spec().getInitContainers());
      }
      return all;
    }
  }

  /** Where a connection goes: pods (labels, namespace, their container ports) or an address. */
  private record Destination(
      @Nullable Workload pods,
      @Nullable Map<String, String> podLabels,
      String namespace,
      @Nullable String ip) {}

  private DeployChecks(List<Object> loaded, String qdrantClientVersion) {
    List<KubernetesObject> list = new ArrayList<>();
    for (Object o : loaded) {
      if (o instanceof KubernetesObject k) {
        list.add(k);
      } else {
        problems.add("not a Kubernetes object: " + o);
      }
    }
    this.objects = list;
    this.qdrantClientVersion = qdrantClientVersion;
  }

  /** Every problem of the rendering {@code loaded}; empty when a cluster would run it as meant. */
  static List<String> check(List<Object> loaded, String qdrantClientVersion) {
    DeployChecks checks = new DeployChecks(loaded, qdrantClientVersion);
    checks.run();
    return List.copyOf(checks.problems);
  }

  private void run() {
    for (KubernetesObject o : objects) {
      switch (o) {
        case V1Job job -> add(job, job.getSpec().getTemplate(), List.of());
        case V1CronJob cron ->
            add(cron, cron.getSpec().getJobTemplate().getSpec().getTemplate(), List.of());
        case V1Deployment d -> add(d, d.getSpec().getTemplate(), List.of());
        case V1StatefulSet s ->
            add(
                s,
                s.getSpec().getTemplate(),
                s.getSpec().getVolumeClaimTemplates() == null
                    ? List.of()
                    : s.getSpec().getVolumeClaimTemplates().stream()
                        .map(c -> c.getMetadata().getName())
                        .toList());
        default -> {}
      }
    }
    for (Workload w : workloads) {
      podSecurity(w);
      images(w);
      references(w);
      secretsAsFiles(w);
      qdrantVersion(w);
      labelsAgree(w);
      indexIsShared(w);
      resourceReferences(w);
      modelRunsFitTheCpus(w);
    }
    otherReferences();
    networkPaths();
    roles();
  }

  private void add(KubernetesObject owner, V1PodTemplateSpec template, List<String> claims) {
    workloads.add(new Workload(owner, template, claims));
  }

  // ---- Pod Security "restricted"

  private void podSecurity(Workload w) {
    String who = id(w.owner());
    V1PodSpec spec = w.spec();
    V1PodSecurityContext pod = spec.getSecurityContext();
    boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
    boolean podSeccomp =
        pod != null
            && pod.getSeccompProfile() != null
            && Set.of("RuntimeDefault", "Localhost").contains(pod.getSeccompProfile().getType());
    if (pod != null && Long.valueOf(0).equals(pod.getRunAsUser())) {
      problems.add(who + ": Pod Security restricted: runAsUser 0 (root)");
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork())
        || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      problems.add(who + ": Pod Security restricted: host namespaces");
    }
    for (V1Volume v : spec.getVolumes() == null ? List.<V1Volume>of() : spec.getVolumes()) {
      String type = volumeType(v);
      if (!RESTRICTED_VOLUMES.contains(type)) {
        problems.add(who + ": Pod Security restricted: volume " + v.getName() + " of type " + type);
      }
    }
    for (V1Container c : w.containers()) {
      String where = who + " container " + c.getName() + ": Pod Security restricted: ";
      V1SecurityContext sc = c.getSecurityContext();
      if (!podNonRoot && (sc == null || !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
        problems.add(where + "runAsNonRoot must be true (pod or container)");
      }
      boolean seccomp =
          sc != null
              && sc.getSeccompProfile() != null
              && Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType());
      if (!podSeccomp && !seccomp) {
        problems.add(where + "seccompProfile.type must be RuntimeDefault (pod or container)");
      }
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        problems.add(where + "allowPrivilegeEscalation must be false");
      }
      if (sc == null
          || sc.getCapabilities() == null
          || sc.getCapabilities().getDrop() == null
          || !sc.getCapabilities().getDrop().contains("ALL")) {
        problems.add(where + "capabilities.drop must contain ALL");
      } else if (sc.getCapabilities().getAdd() != null
          && !Set.of("NET_BIND_SERVICE").containsAll(sc.getCapabilities().getAdd())) {
        problems.add(where + "capabilities.add may only hold NET_BIND_SERVICE");
      }
      if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
        problems.add(where + "privileged");
      }
      if (sc != null && Long.valueOf(0).equals(sc.getRunAsUser())) {
        problems.add(where + "runAsUser 0 (root)");
      }
    }
  }

  private static String volumeType(V1Volume v) {
    if (v.getConfigMap() != null) return "configMap";
    if (v.getSecret() != null) return "secret";
    if (v.getEmptyDir() != null) return "emptyDir";
    if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
    if (v.getProjected() != null) return "projected";
    if (v.getDownwardAPI() != null) return "downwardAPI";
    if (v.getCsi() != null) return "csi";
    if (v.getEphemeral() != null) return "ephemeral";
    if (v.getHostPath() != null) return "hostPath";
    return "other";
  }

  // ---- images

  private void images(Workload w) {
    for (V1Container c : w.containers()) {
      if (c.getImage() == null || !DIGEST.matcher(c.getImage()).matches()) {
        problems.add(
            id(w.owner())
                + " container "
                + c.getName()
                + ": image '"
                + c.getImage()
                + "' is not pinned by digest (name@sha256:...; deploy/k8s/images)");
      }
    }
  }

  // ---- references

  private void references(Workload w) {
    String who = id(w.owner());
    String ns = w.namespace();
    V1PodSpec spec = w.spec();
    if (spec.getServiceAccountName() != null) {
      require("ServiceAccount", ns, spec.getServiceAccountName(), who);
    }
    for (V1Volume v : spec.getVolumes() == null ? List.<V1Volume>of() : spec.getVolumes()) {
      if (v.getConfigMap() != null) {
        require("ConfigMap", ns, v.getConfigMap().getName(), who + " volume " + v.getName());
      }
      if (v.getSecret() != null) {
        require("Secret", ns, v.getSecret().getSecretName(), who + " volume " + v.getName());
      }
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (var source : v.getProjected().getSources()) {
          String by = who + " volume " + v.getName();
          if (source.getConfigMap() != null) {
            require("ConfigMap", ns, source.getConfigMap().getName(), by);
          }
          var secret = source.getSecret();
          if (secret != null) {
            find(V1Secret.class, ns, secret.getName())
                .ifPresentOrElse(
                    found -> {
                      for (var item :
                          secret.getItems() == null ? List.<V1KeyToPath>of() : secret.getItems()) {
                        if (!secretHas(found, item.getKey())) {
                          problems.add(by + ": " + id(found) + " has no key " + item.getKey());
                        }
                      }
                    },
                    () -> missing("Secret", ns, secret.getName(), by));
          }
        }
      }
      if (v.getPersistentVolumeClaim() != null) {
        require(
            "PersistentVolumeClaim",
            ns,
            v.getPersistentVolumeClaim().getClaimName(),
            who + " volume " + v.getName());
      }
    }
    for (V1Container c : w.containers()) {
      String where = who + " container " + c.getName();
      for (V1EnvFromSource from :
          c.getEnvFrom() == null ? List.<V1EnvFromSource>of() : c.getEnvFrom()) {
        if (from.getConfigMapRef() != null) {
          require("ConfigMap", ns, from.getConfigMapRef().getName(), where + " envFrom");
        }
        if (from.getSecretRef() != null) {
          require("Secret", ns, from.getSecretRef().getName(), where + " envFrom");
        }
      }
      for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
        if (e.getValueFrom() == null) {
          continue;
        }
        var secretKey = e.getValueFrom().getSecretKeyRef();
        if (secretKey != null) {
          find(V1Secret.class, ns, secretKey.getName())
              .ifPresentOrElse(
                  s -> {
                    boolean has =
                        (s.getData() != null && s.getData().containsKey(secretKey.getKey()))
                            || (s.getStringData() != null
                                && s.getStringData().containsKey(secretKey.getKey()));
                    if (!has) {
                      problems.add(
                          where
                              + " env "
                              + e.getName()
                              + ": "
                              + id(s)
                              + " has no key "
                              + secretKey.getKey());
                    }
                  },
                  () -> missing("Secret", ns, secretKey.getName(), where + " env " + e.getName()));
        }
        var mapKey = e.getValueFrom().getConfigMapKeyRef();
        if (mapKey != null) {
          find(V1ConfigMap.class, ns, mapKey.getName())
              .ifPresentOrElse(
                  m -> {
                    if (m.getData() == null || !m.getData().containsKey(mapKey.getKey())) {
                      problems.add(
                          where
                              + " env "
                              + e.getName()
                              + ": "
                              + id(m)
                              + " has no key "
                              + mapKey.getKey());
                    }
                  },
                  () -> missing("ConfigMap", ns, mapKey.getName(), where + " env " + e.getName()));
        }
      }
    }
  }

  private void otherReferences() {
    for (KubernetesObject o : objects) {
      String ns = namespace(o);
      switch (o) {
        case V1RoleBinding b -> {
          if ("Role".equals(b.getRoleRef().getKind())) {
            require("Role", ns, b.getRoleRef().getName(), id(b));
          }
          for (var s :
              b.getSubjects() == null
                  ? List.<io.kubernetes.client.openapi.models.RbacV1Subject>of()
                  : b.getSubjects()) {
            if ("ServiceAccount".equals(s.getKind())) {
              require(
                  "ServiceAccount",
                  s.getNamespace() == null ? ns : s.getNamespace(),
                  s.getName(),
                  id(b));
            }
          }
        }
        case V1PersistentVolumeClaim c -> {
          String volume = c.getSpec().getVolumeName();
          if (volume != null) {
            Optional<V1PersistentVolume> pv = find(V1PersistentVolume.class, "", volume);
            if (pv.isEmpty()) {
              missing("PersistentVolume", "", volume, id(c));
            } else {
              var claimRef = pv.get().getSpec().getClaimRef();
              if (claimRef != null
                  && !(Objects.equals(claimRef.getName(), c.getMetadata().getName())
                      && Objects.equals(claimRef.getNamespace(), ns))) {
                problems.add(
                    id(pv.get())
                        + " is reserved for "
                        + claimRef.getNamespace()
                        + "/"
                        + claimRef.getName()
                        + ", not for "
                        + id(c));
              }
            }
          }
        }
        case V1Service s -> {
          Map<String, String> selector = s.getSpec().getSelector();
          if (selector == null) {
            break;
          }
          List<Workload> pods = selected(ns, selector);
          if (pods.isEmpty()) {
            problems.add(id(s) + ": its selector " + selector + " matches no pod template");
          }
          for (V1ServicePort port : s.getSpec().getPorts()) {
            for (Workload w : pods) {
              if (containerPort(
                      w,
                      port.getTargetPort() == null
                          ? new IntOrString(port.getPort())
                          : port.getTargetPort())
                  == null) {
                problems.add(
                    id(s)
                        + " port "
                        + port.getPort()
                        + ": "
                        + id(w.owner())
                        + " has no container port "
                        + port.getTargetPort());
              }
            }
          }
        }
        case V1Ingress i -> {
          List<V1IngressServiceBackend> backends = new ArrayList<>();
          if (i.getSpec().getDefaultBackend() != null
              && i.getSpec().getDefaultBackend().getService() != null) {
            backends.add(i.getSpec().getDefaultBackend().getService());
          }
          if (i.getSpec().getRules() != null) {
            for (var rule : i.getSpec().getRules()) {
              if (rule.getHttp() != null) {
                for (var path : rule.getHttp().getPaths()) {
                  if (path.getBackend().getService() != null) {
                    backends.add(path.getBackend().getService());
                  }
                }
              }
            }
          }
          for (V1IngressServiceBackend b : backends) {
            find(V1Service.class, ns, b.getName())
                .ifPresentOrElse(
                    svc -> {
                      if (servicePort(svc, b) == null) {
                        problems.add(id(i) + ": " + id(svc) + " has no port " + b.getPort());
                      }
                    },
                    () -> missing("Service", ns, b.getName(), id(i)));
          }
        }
        case V2HorizontalPodAutoscaler h ->
            require(
                h.getSpec().getScaleTargetRef().getKind(),
                ns,
                h.getSpec().getScaleTargetRef().getName(),
                id(h));
        case V1PodDisruptionBudget p -> {
          if (selected(ns, p.getSpec().getSelector()).isEmpty()) {
            problems.add(id(p) + ": its selector matches no pod template");
          }
        }
        default -> {}
      }
    }
  }

  private static @Nullable V1ServicePort servicePort(V1Service svc, V1IngressServiceBackend b) {
    for (V1ServicePort p : svc.getSpec().getPorts()) {
      if (b.getPort() != null
          && ((b.getPort().getName() != null && b.getPort().getName().equals(p.getName()))
              || (b.getPort().getNumber() != null
                  && b.getPort().getNumber().equals(p.getPort())))) {
        return p;
      }
    }
    return null;
  }

  private static boolean secretHas(V1Secret s, String key) {
    return (s.getData() != null && s.getData().containsKey(key))
        || (s.getStringData() != null && s.getStringData().containsKey(key));
  }

  /**
   * docpipe reads its keys as files from {@code DOCPIPE_SECRETS_DIR} (ADR 0025): that folder must
   * be a mounted Secret or projected volume (the kubelet updates those after a rotation; a subPath
   * mount would pin the first version), and no docpipe key may come from an environment variable,
   * which would never change.
   */
  private void secretsAsFiles(Workload w) {
    for (V1Container c : w.spec().getContainers()) {
      String where = id(w.owner()) + " container " + c.getName();
      String dir = null;
      for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
        if (e.getName().equals("DOCPIPE_SECRETS_DIR")) {
          dir = e.getValue();
        } else if (e.getName().startsWith("DOCPIPE_")
            && e.getValueFrom() != null
            && e.getValueFrom().getSecretKeyRef() != null) {
          problems.add(
              where
                  + " env "
                  + e.getName()
                  + ": a key from a Secret as a variable never rotates;"
                  + " mount it under DOCPIPE_SECRETS_DIR");
        }
      }
      for (V1EnvFromSource from :
          c.getEnvFrom() == null ? List.<V1EnvFromSource>of() : c.getEnvFrom()) {
        if (from.getSecretRef() != null && isDocpipe(c)) {
          problems.add(
              where
                  + " envFrom "
                  + from.getSecretRef().getName()
                  + ": keys as variables never"
                  + " rotate; mount the Secret under DOCPIPE_SECRETS_DIR");
        }
      }
      if (dir == null) {
        continue;
      }
      String folder = dir;
      var mount =
          (c.getVolumeMounts() == null
                  ? List.<io.kubernetes.client.openapi.models.V1VolumeMount>of()
                  : c.getVolumeMounts())
              .stream().filter(m -> m.getMountPath().equals(folder)).findFirst();
      if (mount.isEmpty()) {
        problems.add(where + ": DOCPIPE_SECRETS_DIR=" + folder + " is not a mounted volume");
        continue;
      }
      if (mount.get().getSubPath() != null) {
        problems.add(where + ": DOCPIPE_SECRETS_DIR is a subPath mount, which never updates");
      }
      var volume =
          (w.spec().getVolumes() == null ? List.<V1Volume>of() : w.spec().getVolumes())
              .stream().filter(v -> v.getName().equals(mount.get().getName())).findFirst();
      if (volume.isEmpty()
          || (volume.get().getSecret() == null && volume.get().getProjected() == null)) {
        problems.add(
            where + ": DOCPIPE_SECRETS_DIR=" + folder + " must be a Secret or projected volume");
      }
    }
  }

  /** A container of docpipe's own images (not Qdrant, not the Tika sidecar). */
  private static boolean isDocpipe(V1Container c) {
    return c.getImage() != null
        && c.getImage().contains("docpipe-")
        && !c.getImage().contains("doc-builder");
  }

  private void require(String kind, String ns, String name, String by) {
    if (objects.stream().noneMatch(o -> is(o, kind, ns, name))
        && !("PersistentVolumeClaim".equals(kind) && claimTemplate(ns, name))) {
      missing(kind, ns, name, by);
    }
  }

  private boolean claimTemplate(String ns, String name) {
    return workloads.stream()
        .anyMatch(w -> w.namespace().equals(ns) && w.claimTemplateNames().contains(name));
  }

  private void missing(String kind, String ns, String name, String by) {
    problems.add(
        kind
            + " "
            + (ns.isEmpty() ? "" : ns + "/")
            + name
            + " is missing (referenced by "
            + by
            + ")");
  }

  // ---- Qdrant client and server

  private void qdrantVersion(Workload w) {
    for (V1Container c : w.containers()) {
      String image = c.getImage() == null ? "" : c.getImage();
      if (!image.contains("qdrant/qdrant")) {
        continue;
      }
      Matcher m = QDRANT_TAG.matcher(image);
      if (!m.matches()) {
        problems.add(
            id(w.owner())
                + " container "
                + c.getName()
                + ": Qdrant image '"
                + image
                + "' has no version tag (qdrant/qdrant:vX.Y.Z[-unprivileged]@sha256:...)");
      } else if (!VersionsCompatibilityChecker.isCompatible(qdrantClientVersion, m.group(1))) {
        problems.add(
            id(w.owner())
                + " container "
                + c.getName()
                + ": Qdrant server "
                + m.group(1)
                + " does not suit the client "
                + qdrantClientVersion
                + " (qdrant-client.version): Qdrant supports the same major version and a minor"
                + " version at most one apart");
      }
    }
  }

  // ---- labels and index placement

  /** An object and its pods say the same app name, so selectors and dashboards agree. */
  private void labelsAgree(Workload w) {
    Map<String, String> own = w.owner().getMetadata().getLabels();
    String key = "app.kubernetes.io/name";
    if (own != null
        && own.containsKey(key)
        && w.labels().containsKey(key)
        && !own.get(key).equals(w.labels().get(key))) {
      problems.add(
          id(w.owner())
              + " is labelled "
              + key
              + "="
              + own.get(key)
              + " but its pods "
              + key
              + "="
              + w.labels().get(key));
    }
  }

  /**
   * A sharded Job writes to a shared store: the worker would refuse the embedded index anyway (exit
   * 78); here the rendering is refused before it reaches a cluster.
   */
  private void indexIsShared(Workload w) {
    var jobSpec =
        switch (w.owner()) {
          case V1Job job -> job.getSpec();
          case V1CronJob cron -> cron.getSpec().getJobTemplate().getSpec();
          default -> null;
        };
    if (jobSpec == null) {
      return;
    }
    Map<String, String> env = effectiveEnv(w);
    int completions = jobSpec.getCompletions() == null ? 1 : jobSpec.getCompletions();
    String shards = env.getOrDefault("DOCPIPE_SHARDS", "1");
    if (!shards.equals(Integer.toString(completions))) {
      problems.add(
          id(w.owner()) + ": DOCPIPE_SHARDS=" + shards + " but completions=" + completions);
    }
    if (completions > 1
        && !"qdrant".equals(env.get("DOCPIPE_VECTOR_STORE"))
        && !"true".equals(env.get(WorkerSettings.ALLOW_EPHEMERAL_INDEX))) {
      problems.add(
          id(w.owner())
              + ": "
              + completions
              + " shards on the embedded index (DOCPIPE_VECTOR_STORE="
              + env.getOrDefault("DOCPIPE_VECTOR_STORE", "lucene")
              + "): each pod's index would be lost; set DOCPIPE_VECTOR_STORE=qdrant");
    }
  }

  /**
   * A docpipe container that embeds in-process runs {@code DOCPIPE_ONNX_THREADS} model runs side by
   * side, by default one per core the JVM sees: with a CPU request and no limit, every core of the
   * node, however few CPUs the pod asked for, so each pod of a node would try to use all of them
   * and the scheduler's sizing (and the capacity note in docs/benchmarks.md) would not hold. So
   * without a CPU limit the runs are set, to a count the worker accepts, and no container asks for
   * more of them than its CPUs, rounded up as the kubelet rounds a CPU request it hands to a
   * container's environment.
   */
  private void modelRunsFitTheCpus(Workload w) {
    V1Container c = w.spec().getContainers().get(0);
    if (!isDocpipe(c)) {
      return;
    }
    Map<String, String> env = effectiveEnv(w);
    String embedding = setting(env, "DOCPIPE_EMBEDDING");
    if (embedding != null && !embedding.equalsIgnoreCase("onnx")) {
      return;
    }
    Quantity limit = cpu(c.getResources() == null ? null : c.getResources().getLimits());
    Quantity request = cpu(c.getResources() == null ? null : c.getResources().getRequests());
    String where = id(w.owner()) + " container " + c.getName() + ": ";
    String runs = setting(env, "DOCPIPE_ONNX_THREADS");
    if (runs == null) {
      if (limit == null) {
        problems.add(
            where
                + "DOCPIPE_ONNX_THREADS is not set and there is no CPU limit: the JVM sees every"
                + " core of the node and the model would run on as many at once; set it to the"
                + " CPUs the container requests");
      }
      return;
    }
    int count;
    try {
      count = Integer.parseInt(runs); // as docpipe reads it (EnvironmentReader.integer)
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > DocpipeConfig.MAX_ONNX_THREADS) {
      problems.add(
          where
              + "DOCPIPE_ONNX_THREADS='"
              + runs
              + "' is not a whole number from 1 to "
              + DocpipeConfig.MAX_ONNX_THREADS
              + ": the worker would refuse to start");
      return;
    }
    Quantity cpus = limit != null ? limit : request;
    if (cpus != null && count > wholeCpus(cpus)) {
      problems.add(
          where
              + "DOCPIPE_ONNX_THREADS="
              + runs
              + " asks for more model runs than the container's "
              + cpus.toSuffixedString()
              + " CPUs ("
              + (limit != null ? "limit" : "request")
              + ")");
    }
  }

  /**
   * Every downward-API resource reference as the API server and the kubelet take it: a container it
   * names is in the pod (the kubelet cannot start a container whose reference names none), and a
   * CPU one divides by 1 or 1m, the only divisors the API server accepts for CPU (0 means 1).
   */
  private void resourceReferences(Workload w) {
    Set<String> names = new HashSet<>();
    w.containers().forEach(c -> names.add(c.getName()));
    for (V1Container c : w.containers()) {
      for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
        V1ResourceFieldSelector ref =
            e.getValueFrom() == null ? null : e.getValueFrom().getResourceFieldRef();
        if (ref == null) {
          continue;
        }
        String where =
            id(w.owner())
                + " container "
                + c.getName()
                + ": "
                + e.getName()
                + " takes "
                + ref.getResource();
        String of = ref.getContainerName();
        if (of != null && !of.isEmpty() && !names.contains(of)) {
          problems.add(
              where + " of container " + of + ", which the pod does not have: it would not start");
        }
        BigDecimal divisor = divisor(ref);
        if (String.valueOf(ref.getResource()).endsWith(".cpu")
            && divisor.compareTo(BigDecimal.ONE) != 0
            && divisor.compareTo(new BigDecimal("0.001")) != 0) {
          problems.add(
              where
                  + " over "
                  + ref.getDivisor().toSuffixedString()
                  + ": the API server takes only 1 or 1m as a CPU divisor");
        }
      }
    }
  }

  /** A reference's divisor: 1 when unset or 0, as the kubelet reads it. */
  private static BigDecimal divisor(V1ResourceFieldSelector ref) {
    return ref.getDivisor() == null || ref.getDivisor().getNumber().signum() == 0
        ? BigDecimal.ONE
        : ref.getDivisor().getNumber();
  }

  /** A variable as docpipe reads it: stripped, and unset when blank. */
  private static @Nullable String setting(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** CPUs as a whole number, rounded up (the kubelet's {@code resourceFieldRef}, the JVM's). */
  private static int wholeCpus(Quantity cpus) {
    return Math.max(1, cpus.getNumber().setScale(0, RoundingMode.CEILING).intValue());
  }

  private static @Nullable Quantity cpu(@Nullable Map<String, Quantity> resources) {
    return resources == null ? null : resources.get("cpu");
  }

  // ---- NetworkPolicies

  /** Every connection the workloads need, checked against egress and ingress policies. */
  private void networkPaths() {
    for (Workload w : workloads) {
      Map<String, String> env = effectiveEnv(w);
      // DNS: kube-dns in kube-system.
      Destination dns = new Destination(null, Map.of("k8s-app", "kube-dns"), "kube-system", null);
      egress(w, dns, 53, "UDP", "DNS");
      if ("qdrant".equals(env.get("DOCPIPE_VECTOR_STORE"))) {
        qdrantPath(w, env);
      }
      if (env.containsKey("DOCPIPE_CHECKPOINT_STORE")
          && "configmap".equals(env.get("DOCPIPE_CHECKPOINT_STORE"))) {
        egress(
            w,
            new Destination(null, null, "", OUTSIDE),
            443,
            "TCP",
            "the Kubernetes API (checkpoints, Events)");
      }
    }
    // What an Ingress exposes must let Google's load balancers and health checks in.
    for (KubernetesObject o : objects) {
      if (o instanceof V1Ingress i
          && i.getSpec().getDefaultBackend() != null
          && i.getSpec().getDefaultBackend().getService() != null) {
        V1IngressServiceBackend b = i.getSpec().getDefaultBackend().getService();
        find(V1Service.class, namespace(i), b.getName())
            .ifPresent(
                svc -> {
                  V1ServicePort port = servicePort(svc, b);
                  if (port == null || svc.getSpec().getSelector() == null) {
                    return;
                  }
                  for (Workload w : selected(namespace(svc), svc.getSpec().getSelector())) {
                    Integer number = containerPort(w, port.getTargetPort());
                    if (number != null) {
                      ingress(
                          null,
                          "",
                          Map.of(),
                          GOOGLE_LOAD_BALANCER,
                          w,
                          number,
                          "TCP",
                          id(i) + " (Google load balancer " + GOOGLE_LOAD_BALANCER + ")");
                    }
                  }
                });
      }
    }
  }

  private void qdrantPath(Workload w, Map<String, String> env) {
    String host = env.getOrDefault("DOCPIPE_QDRANT_HOST", "localhost");
    int port = Integer.parseInt(env.getOrDefault("DOCPIPE_QDRANT_PORT", "6334"));
    String[] parts = host.split("\\.");
    String serviceName = parts[0];
    String ns = parts.length > 1 ? parts[1] : w.namespace();
    Optional<V1Service> svc = find(V1Service.class, ns, serviceName);
    if (svc.isEmpty()) {
      problems.add(
          id(w.owner()) + ": DOCPIPE_QDRANT_HOST=" + host + " names no Service in this rendering");
      return;
    }
    V1ServicePort servicePort =
        svc.get().getSpec().getPorts().stream()
            .filter(p -> p.getPort() == port)
            .findFirst()
            .orElse(null);
    if (servicePort == null) {
      problems.add(id(w.owner()) + ": " + id(svc.get()) + " has no port " + port);
      return;
    }
    List<Workload> servers = selected(ns, svc.get().getSpec().getSelector());
    if (servers.isEmpty()) {
      problems.add(id(w.owner()) + ": " + id(svc.get()) + " selects no pods");
    }
    for (Workload server : servers) {
      Integer target =
          containerPort(
              server,
              servicePort.getTargetPort() == null
                  ? new IntOrString(port)
                  : servicePort.getTargetPort());
      if (target == null) {
        continue; // reported with the Service
      }
      Destination d = new Destination(server, server.labels(), server.namespace(), null);
      String what = "Qdrant (" + id(svc.get()) + ")";
      egress(w, d, target, "TCP", what);
      ingress(w, w.namespace(), w.labels(), null, server, target, "TCP", what);
    }
  }

  private void egress(Workload from, Destination to, int port, String protocol, String what) {
    List<V1NetworkPolicy> policies = policiesSelecting(from, "Egress");
    if (policies.isEmpty()) {
      return;
    }
    for (V1NetworkPolicy p : policies) {
      for (var rule :
          p.getSpec().getEgress() == null
              ? List.<io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule>of()
              : p.getSpec().getEgress()) {
        if (peersAdmit(p, rule.getTo(), to.namespace(), to.podLabels(), to.ip())
            && portsAdmit(rule.getPorts(), port, protocol, to.pods())) {
          return;
        }
      }
    }
    problems.add(
        id(from.owner())
            + " → "
            + what
            + " "
            + protocol
            + " "
            + port
            + ": refused on egress by "
            + names(policies)
            + " (the policies that select its pod labels "
            + from.labels()
            + ")");
  }

  private void ingress(
      @Nullable Workload from,
      String fromNamespace,
      Map<String, String> fromLabels,
      @Nullable String fromIp,
      Workload to,
      int port,
      String protocol,
      String what) {
    List<V1NetworkPolicy> policies = policiesSelecting(to, "Ingress");
    if (policies.isEmpty()) {
      return;
    }
    for (V1NetworkPolicy p : policies) {
      for (var rule :
          p.getSpec().getIngress() == null
              ? List.<io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule>of()
              : p.getSpec().getIngress()) {
        if (peersAdmit(p, rule.getFrom(), fromNamespace, fromIp == null ? fromLabels : null, fromIp)
            && portsAdmit(rule.getPorts(), port, protocol, to)) {
          return;
        }
      }
    }
    problems.add(
        (from == null ? what : id(from.owner()) + " (pod labels " + fromLabels + ")")
            + " → "
            + id(to.owner())
            + " "
            + protocol
            + " "
            + port
            + (from == null ? "" : " (" + what + ")")
            + ": refused on ingress by "
            + names(policies));
  }

  private List<V1NetworkPolicy> policiesSelecting(Workload w, String type) {
    List<V1NetworkPolicy> selecting = new ArrayList<>();
    for (KubernetesObject o : objects) {
      if (o instanceof V1NetworkPolicy p
          && namespace(p).equals(w.namespace())
          && matches(p.getSpec().getPodSelector(), w.labels())
          && policyTypes(p).contains(type)) {
        selecting.add(p);
      }
    }
    return selecting;
  }

  private static List<String> policyTypes(V1NetworkPolicy p) {
    if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
      return p.getSpec().getPolicyTypes();
    }
    // Kubernetes' default: Ingress always, Egress when the policy has egress rules.
    return p.getSpec().getEgress() == null ? List.of("Ingress") : List.of("Ingress", "Egress");
  }

  private boolean peersAdmit(
      V1NetworkPolicy policy,
      @Nullable List<V1NetworkPolicyPeer> peers,
      String peerNamespace,
      @Nullable Map<String, String> peerLabels,
      @Nullable String peerIp) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (V1NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (peerIp != null && inBlock(peerIp, peer.getIpBlock())) {
          return true;
        }
        continue;
      }
      if (peerLabels == null) {
        continue; // an address outside the cluster is no pod
      }
      boolean namespaceOk =
          peer.getNamespaceSelector() == null
              ? peerNamespace.equals(namespace(policy))
              : matches(peer.getNamespaceSelector(), namespaceLabels(peerNamespace));
      boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), peerLabels);
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean portsAdmit(
      @Nullable List<V1NetworkPolicyPort> ports,
      int port,
      String protocol,
      @Nullable Workload destination) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (V1NetworkPolicyPort p : ports) {
      String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!proto.equals(protocol)) {
        continue;
      }
      if (p.getPort() == null) {
        return true;
      }
      if (p.getPort().isInteger()) {
        int from = p.getPort().getIntValue();
        int to = p.getEndPort() == null ? from : p.getEndPort();
        if (port >= from && port <= to) {
          return true;
        }
      } else if (destination != null
          && Objects.equals(containerPort(destination, p.getPort()), port)) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> namespaceLabels(String ns) {
    Map<String, String> labels = new HashMap<>();
    for (KubernetesObject o : objects) {
      if (o instanceof V1Namespace n
          && ns.equals(n.getMetadata().getName())
          && n.getMetadata().getLabels() != null) {
        labels.putAll(n.getMetadata().getLabels());
      }
    }
    labels.put("kubernetes.io/metadata.name", ns); // set by Kubernetes on every namespace
    return labels;
  }

  private static boolean inBlock(String ip, V1IPBlock block) {
    if (!inCidr(ip, block.getCidr())) {
      return false;
    }
    return block.getExcept() == null || block.getExcept().stream().noneMatch(e -> inCidr(ip, e));
  }

  private static boolean inCidr(String ip, String cidr) {
    if (!cidr.contains(".") || !ip.contains(".")) {
      return false; // IPv6 blocks never hold the IPv4 addresses used here
    }
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
    return (ipv4(ip) & mask) == (ipv4(parts[0]) & mask);
  }

  private static long ipv4(String ip) {
    long value = 0;
    for (String octet : ip.split("\\.")) {
      value = value << 8 | Integer.parseInt(octet);
    }
    return value;
  }

  // ---- Roles

  /**
   * A Role may only replace ConfigMaps by name when the name is a Job's checkpoint map; a Role that
   * may replace any ConfigMap is tolerated only when every other ConfigMap is immutable.
   */
  private void roles() {
    for (KubernetesObject o : objects) {
      if (!(o instanceof V1Role role) || role.getRules() == null) {
        continue;
      }
      for (V1PolicyRule rule : role.getRules()) {
        if (rule.getVerbs().contains("*") || rule.getResources().contains("*")) {
          problems.add(id(role) + ": grants '*'");
          continue;
        }
        boolean changesConfigMaps =
            rule.getResources().contains("configmaps")
                && (rule.getVerbs().contains("update") || rule.getVerbs().contains("patch"));
        if (!changesConfigMaps) {
          continue;
        }
        if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
          for (String name : rule.getResourceNames()) {
            if (!checkpointMaps(namespace(role)).contains(name)) {
              problems.add(
                  id(role)
                      + " may change ConfigMap "
                      + name
                      + ", which is no Job's checkpoint map in this rendering");
            }
          }
        } else {
          for (KubernetesObject other : objects) {
            if (other instanceof V1ConfigMap map
                && namespace(map).equals(namespace(role))
                && !Boolean.TRUE.equals(map.getImmutable())) {
              problems.add(
                  id(role)
                      + " may change every ConfigMap, and "
                      + id(map)
                      + " is not immutable: list resourceNames or make it immutable");
            }
          }
        }
      }
    }
  }

  private Set<String> checkpointMaps(String ns) {
    Set<String> names = new java.util.HashSet<>();
    for (Workload w : workloads) {
      if (w.owner() instanceof V1Job job && w.namespace().equals(ns)) {
        names.add(
            effectiveEnv(w)
                .getOrDefault(
                    "DOCPIPE_CHECKPOINT_CONFIGMAP", job.getMetadata().getName() + "-checkpoints"));
      }
    }
    return names;
  }

  // ---- helpers

  /** The environment of a workload's first container as the kubelet would assemble it. */
  private Map<String, String> effectiveEnv(Workload w) {
    Map<String, String> env = new LinkedHashMap<>();
    V1Container c = w.spec().getContainers().get(0);
    for (V1EnvFromSource from :
        c.getEnvFrom() == null ? List.<V1EnvFromSource>of() : c.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        find(V1ConfigMap.class, w.namespace(), from.getConfigMapRef().getName())
            .ifPresent(m -> env.putAll(m.getData() == null ? Map.of() : m.getData()));
      }
    }
    for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = e.getValueFrom().getConfigMapKeyRef();
        find(V1ConfigMap.class, w.namespace(), ref.getName())
            .map(m -> m.getData() == null ? null : m.getData().get(ref.getKey()))
            .ifPresent(v -> env.put(e.getName(), v));
      } else if (e.getValueFrom() != null && e.getValueFrom().getResourceFieldRef() != null) {
        env.put(e.getName(), resourceValue(w, c, e.getValueFrom().getResourceFieldRef()));
      }
    }
    return env;
  }

  /**
   * A CPU {@code resourceFieldRef} as the kubelet resolves it: the named container's request (its
   * limit when it sets none) or limit, over the divisor, rounded up; "0" for an unset request,
   * which the worker refuses. Empty (unset, to docpipe) for an unset limit, which the kubelet
   * replaces with the node's CPUs, and for resources these checks do not read.
   */
  private static String resourceValue(Workload w, V1Container self, V1ResourceFieldSelector ref) {
    String resource = ref.getResource();
    if (!"requests.cpu".equals(resource) && !"limits.cpu".equals(resource)) {
      return "";
    }
    V1Container c =
        w.containers().stream()
            .filter(o -> o.getName() != null && o.getName().equals(ref.getContainerName()))
            .findFirst()
            .orElse(self);
    var resources = c.getResources();
    Quantity limit = cpu(resources == null ? null : resources.getLimits());
    Quantity request = cpu(resources == null ? null : resources.getRequests());
    if ("limits.cpu".equals(resource)) {
      if (limit == null) {
        return "";
      }
      request = limit;
    } else if (request == null) {
      request = limit;
    }
    if (request == null) {
      return "0";
    }
    return request.getNumber().divide(divisor(ref), 0, RoundingMode.CEILING).toPlainString();
  }

  private static @Nullable Integer containerPort(Workload w, @Nullable IntOrString port) {
    if (port == null) {
      return null;
    }
    for (V1Container c : w.spec().getContainers()) {
      for (V1ContainerPort p : c.getPorts() == null ? List.<V1ContainerPort>of() : c.getPorts()) {
        if (port.isInteger()
            ? p.getContainerPort().equals(port.getIntValue())
            : port.getStrValue().equals(p.getName())) {
          return p.getContainerPort();
        }
      }
    }
    return null;
  }

  private List<Workload> selected(String ns, @Nullable Map<String, String> selector) {
    return selected(ns, selector == null ? null : new V1LabelSelector().matchLabels(selector));
  }

  private List<Workload> selected(String ns, @Nullable V1LabelSelector selector) {
    if (selector == null) {
      return List.of();
    }
    return workloads.stream()
        .filter(w -> w.namespace().equals(ns) && matches(selector, w.labels()))
        .toList();
  }

  static boolean matches(@Nullable V1LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (V1LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private <T extends KubernetesObject> Optional<T> find(Class<T> type, String ns, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> namespace(o).equals(ns) && name.equals(o.getMetadata().getName()))
        .findFirst();
  }

  private static boolean is(KubernetesObject o, String kind, String ns, String name) {
    return kind.equals(o.getKind())
        && name.equals(o.getMetadata().getName())
        && namespace(o).equals(ns);
  }

  static String namespace(KubernetesObject o) {
    String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
    return ns == null ? "" : ns;
  }

  static String id(KubernetesObject o) {
    String ns = namespace(o);
    return o.getKind() + " " + (ns.isEmpty() ? "" : ns + "/") + o.getMetadata().getName();
  }

  private static String names(List<V1NetworkPolicy> policies) {
    return policies.stream().map(DeployChecks::id).toList().toString();
  }
}
