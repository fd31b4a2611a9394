package io.docpipe.benchmarks;

import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.onnx.OnnxModelPreparation;
import io.docpipe.onnx.OnnxSettings;
import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Lambda cold start, from process start to the first response: the real AWS runtime interface
 * client ({@code AWSLambda}) in a fresh JVM, talking to the local Runtime API ({@link
 * LocalRuntimeApi}), handling one HTTP API v2 {@code POST /v1/search} event. docpipe's {@code
 * HttpHandler} (its Dagger component, config, Lucene index, embedding model: the embeddings API
 * pointed at {@link EmbeddingsStandIn}, or the in-process model) against {@link BareLambdaHandler},
 * the floor: the same JVM, flags, class path and runtime client with nothing of docpipe's. The
 * difference is what docpipe adds to a cold start. Processes, not containers: the image test
 * (adapters/lambda {@code ColdStartBenchmarkIT}) adds podman's start to both sides.
 */
final class LambdaColdStartBenchmark {

  static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  static final String DOCPIPE_HANDLER = "io.docpipe.lambda.HttpHandler::handleRequest";
  static final String BARE_HANDLER = BareLambdaHandler.class.getName() + "::handleRequest";
  private static final Duration ANSWER = Duration.ofMinutes(2);
  private static final byte[] SEARCH =
      ("{\"version\":\"2.0\",\"rawPath\":\"/v1/search\","
              + "\"requestContext\":{\"http\":{\"method\":\"POST\"}},"
              + "\"body\":\"{\\\"query\\\":\\\"harbour tides\\\",\\\"k\\\":3}\"}")
          .getBytes(StandardCharsets.UTF_8);

  /** A handler with its environment. */
  record Variant(String name, String handler, Map<String, String> env) {}

  /** A JVM flag set. */
  record Flags(String name, List<String> jvm) {}

  /**
   * The flags the Lambda image runs with (jib {@code jvmFlags} in the root and the Lambda pom, and
   * its AOT training's), but its cache and ONNX paths, which the variants below add. Every variant
   * gets them, the floor too. {@code -XX:MaxRAMPercentage=75} sizes the heap of a function's memory
   * setting; nothing here runs long enough to need it.
   */
  static final List<String> IMAGE_JVM_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1");

  static final List<Flags> FLAGS =
      List.of(
          new Flags(
              "C1 only (-XX:TieredStopAtLevel=1) and the rest of the image's flags (shipped)",
              IMAGE_JVM_FLAGS),
          new Flags("tiered C1+C2 (JVM default)", List.of()));

  /** What the image adds to the shipped flags (ADR 0030): its AOT cache. */
  static final String AOT =
      "the image's flags + AOT cache (trained by one run, as the image ships)";

  /**
   * The image as it ships (ADR 0030, ADR 0033): its AOT cache, trained as the image's is (the
   * embeddings API stand-in), and its in-process models prepared at build, with ONNX Runtime's
   * native libraries beside them.
   */
  static final String IMAGE =
      "the image's flags and AOT cache (trained on the API stand-in) + models prepared at build";

  /** The in-process models measured as the image ships them. */
  static final List<OnnxSettings.Model> IMAGE_MODELS =
      List.of(OnnxSettings.DEFAULT_MODEL, OnnxSettings.Model.ALL_MINILM_L6_V2);

  /**
   * Cold starts in ms by variant name, then flag-set name; {@code aotFloor}: the floor with the
   * shipped flags and an AOT cache of its own, trained as docpipe's; {@code aot}: the docpipe
   * variants with the shipped flags and their AOT caches, measured in rounds alternating with
   * {@code aotFloor}; {@code image}: the in-process model, by model, as the image ships it.
   */
  record Result(
      Map<String, Map<String, Samples>> millis,
      Samples aotFloor,
      Map<String, Samples> aot,
      Map<OnnxSettings.Model, Samples> image) {
    Samples get(String variant, Flags flags) {
      Map<String, Samples> byFlags = Objects.requireNonNull(millis.get(variant), variant);
      return Objects.requireNonNull(byFlags.get(flags.name()), flags.name());
    }
  }

  private LambdaColdStartBenchmark() {}

  static Result run(Path work, int warmups, int runs, @Nullable Path profile) throws IOException {
    try (EmbeddingsStandIn standIn = MemoryIngestMain.embeddingsStandIn()) {
      Path apiIndex = work.resolve("index-api");
      Path onnxIndex = work.resolve("index-onnx");
      Path docs = documents(work.resolve("docs"));
      index(docs, apiIndex, standIn.env(), work.resolve("index-api.log"));
      index(docs, onnxIndex, Map.of(), work.resolve("index-onnx.log"));
      List<Variant> variants =
          List.of(
              new Variant("bare handler, no DI (floor)", BARE_HANDLER, Map.of()),
              new Variant(
                  "docpipe search, embeddings API (stand-in)",
                  DOCPIPE_HANDLER,
                  with(standIn.env(), "DOCPIPE_INDEX_DIR", apiIndex.toString())),
              new Variant(
                  "docpipe search, in-process model",
                  DOCPIPE_HANDLER,
                  Map.of("DOCPIPE_INDEX_DIR", onnxIndex.toString())));
      Map<String, Map<String, Samples>> results = new LinkedHashMap<>();
      Path log = work.resolve("cold-start.log");
      // Every run has the image's class path, its one jar (ADR 0037), and the floor's handler as a
      // jar of its own (a cache holds no class from a directory): the same for every variant.
      String jars =
          imageJar(System.getProperty("java.class.path"))
              + java.io.File.pathSeparator
              + bareJar(work);
      for (Flags flags : FLAGS) {
        // Alternating rounds (floor, API, model, floor, ...): a load change on the shared machine
        // then shifts every variant alike instead of one variant's whole series.
        List<Samples> byVariant =
            alternating(
                warmups,
                runs,
                variants.stream()
                    .<DoubleSupplier>map(
                        v -> () -> coldStart(v, flags.jvm(), jars, log, null, false))
                    .toList());
        for (int i = 0; i < variants.size(); i++) {
          Samples s = byVariant.get(i);
          results
              .computeIfAbsent(variants.get(i).name(), v -> new LinkedHashMap<>())
              .put(flags.name(), s);
          log(variants.get(i).name() + " / " + flags.name() + ": " + s.format("ms"));
        }
      }
      // The image's AOT cache (ADR 0030), per variant, the floor included: each trained by one run
      // that ends normally, with the same flags and class path, then used: the floor starts from a
      // cache of its own, trained as docpipe's is, and the difference is docpipe's own work.
      List<String> shipped = FLAGS.getFirst().jvm();
      List<DoubleSupplier> cached = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get(i);
        Path cache = work.resolve("aot-" + i + ".aot");
        Path trainingLog = work.resolve("cold-start-aot-training-" + i + ".log");
        coldStart(
            variant, with(shipped, "-XX:AOTCacheOutput=" + cache), jars, trainingLog, null, true);
        if (!Files.isRegularFile(cache)) {
          throw new IllegalStateException(
              variant.name() + ": no AOT cache written, see " + trainingLog);
        }
        List<String> jvm = with(shipped, "-XX:AOTCache=" + cache);
        Path cachedLog = work.resolve("cold-start-aot.log");
        cached.add(() -> coldStart(variant, jvm, jars, cachedLog, null, false));
      }
      List<Samples> cachedSamples = alternating(warmups, runs, cached);
      Samples aotFloor = cachedSamples.getFirst();
      log(variants.getFirst().name() + " / " + AOT + ": " + aotFloor.format("ms"));
      Map<String, Samples> aot = new LinkedHashMap<>();
      for (int i = 1; i < variants.size(); i++) {
        aot.put(variants.get(i).name(), cachedSamples.get(i));
        log(variants.get(i).name() + " / " + AOT + ": " + cachedSamples.get(i).format("ms"));
      }
      // The in-process models as the image ships them: the cache the image trains (on the API
      // stand-in, the first AOT run above) and each model prepared as the image build prepares it.
      Path prepared = work.resolve("onnx");
      OnnxModelPreparation.prepare(prepared, IMAGE_MODELS);
      Path imageCache = work.resolve("aot-1.aot");
      List<String> imageJvm =
          with(
              shipped,
              "-XX:AOTCache=" + imageCache,
              "-Donnxruntime.native.path=" + OnnxModelPreparation.nativeLibraries(prepared));
      Map<OnnxSettings.Model, Samples> image = new LinkedHashMap<>();
      for (OnnxSettings.Model model : IMAGE_MODELS) {
        Path index = onnxIndex;
        if (model != OnnxSettings.DEFAULT_MODEL) {
          index = work.resolve("index-" + model.label());
          index(docs, index, Map.of("DOCPIPE_ONNX_MODEL", model.label()), work.resolve("q.log"));
        }
        Variant variant =
            new Variant(
                "docpipe search, in-process model " + model.label(),
                DOCPIPE_HANDLER,
                Map.of(
                    "DOCPIPE_INDEX_DIR", index.toString(),
                    "DOCPIPE_ONNX_MODEL", model.label(),
                    "DOCPIPE_ONNX_PREPARED_DIR", prepared.toString()));
        Path imageLog = work.resolve("cold-start-image.log");
        Samples s =
            Samples.of(
                warmups, runs, () -> coldStart(variant, imageJvm, jars, imageLog, null, false));
        if (!Files.readString(imageLog).contains("prepared in " + prepared)) {
          throw new IllegalStateException(variant.name() + ": the prepared model was not used");
        }
        image.put(model, s);
        log(variant.name() + " / " + IMAGE + ": " + s.format("ms"));
      }
      if (profile != null) {
        List<String> jvm = new ArrayList<>(FLAGS.getFirst().jvm());
        jvm.addAll(ChildJvm.flightRecording(profile));
        coldStart(
            variants.get(1), jvm, jars, work.resolve("cold-start-profiled.log"), profile, false);
      }
      return new Result(results, aotFloor, aot, image);
    }
  }

  private static List<String> with(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  /**
   * Runs each of {@code measures} {@code warmups} times unrecorded, then {@code runs} rounds of one
   * run each, in order: the samples of each measure, in {@code measures}' order.
   */
  static List<Samples> alternating(int warmups, int runs, List<DoubleSupplier> measures) {
    for (int i = 0; i < warmups; i++) {
      measures.forEach(DoubleSupplier::getAsDouble);
    }
    List<List<Double>> values = new ArrayList<>();
    measures.forEach(m -> values.add(new ArrayList<>(runs)));
    for (int round = 0; round < runs; round++) {
      for (int i = 0; i < measures.size(); i++) {
        values.get(i).add(measures.get(i).getAsDouble());
      }
    }
    return values.stream().map(Samples::new).toList();
  }

  /**
   * The floor's handler as a jar of its own in {@code work}: an AOT cache holds classes from jars
   * only, so this is how the floor gets a cache.
   */
  static Path bareJar(Path work) throws IOException {
    Path jar = work.resolve("bare-handler.jar");
    String entry = BareLambdaHandler.class.getName().replace('.', '/') + ".class";
    try (InputStream in =
            Objects.requireNonNull(
                BareLambdaHandler.class.getClassLoader().getResourceAsStream(entry), entry);
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      JarEntry e = new JarEntry(entry);
      e.setTime(0);
      out.putNextEntry(e);
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  /**
   * The Lambda image's class path, its one jar (ADR 0037), which adapters/lambda's {@code package}
   * writes beside the module's jar on {@code classpath}.
   */
  static Path imageJar(String classpath) {
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      if (name.matches("docpipe-lambda-\\d.*\\.jar") && path.getParent() != null) {
        Path jar = path.getParent().resolve("app-jar/docpipe-lambda.jar");
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(
              "no Lambda image jar at " + jar + ": build adapters/lambda with ./mvnw package");
        }
        return jar;
      }
    }
    throw new IllegalStateException("docpipe-lambda's jar is not on the class path " + classpath);
  }

  /**
   * One cold start: process start to the first response, in milliseconds. A {@code training} run
   * then closes the Runtime API, so the client exits normally and the JVM writes its AOT cache.
   */
  @SuppressWarnings("try") // a training run closes its Runtime API early: that ends the client
  private static double coldStart(
      Variant variant,
      List<String> jvm,
      String classpath,
      Path log,
      @Nullable Path recording,
      boolean training) {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      CompletableFuture<Long> answeredAt =
          api.submit(SEARCH, ANSWER)
              .thenApply(
                  result -> {
                    long now = System.nanoTime();
                    if (!(result instanceof InvocationResult.Response)
                        || !result.bodyText().contains("\"statusCode\":200")) {
                      throw new IllegalStateException("not a 200 response: " + result.bodyText());
                    }
                    return now;
                  });
      Map<String, String> env = new HashMap<>(api.functionVariables("docpipe-bench"));
      // A local run's index is a throwaway by design (LambdaEnvironment refuses it otherwise).
      env.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
      env.put("DOCPIPE_ONNX_THREADS", "1");
      env.putAll(variant.env());
      try (ChildJvm runtime =
          ChildJvm.start(jvm, classpath, RIC, List.of(variant.handler()), env, log)) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (true) {
          try {
            long at = answeredAt.get(100, TimeUnit.MILLISECONDS);
            if (recording != null) {
              JfrSummary.dump(runtime.pid(), recording);
            }
            if (training) {
              // The client exits (with status 1, "no response from endpoint") once its Runtime API
              // is gone: a normal JVM exit, at which the cache is written; the caller checks it.
              api.close();
              runtime.awaitExit(ANSWER);
            }
            return (at - runtime.startedNanos()) / 1e6;
          } catch (TimeoutException e) {
            if (!runtime.isAlive() || System.nanoTime() > deadline) {
              throw new IllegalStateException(
                  variant.name() + ": no answer; runtime log:\n" + runtime.tail());
            }
          } catch (ExecutionException e) {
            throw new IllegalStateException(
                variant.name() + ": " + e.getCause() + "\n" + runtime.tail(), e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Twenty short notes for the search to find. */
  private static Path documents(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < 20; i++) {
      Files.writeString(
          dir.resolve("note-" + i + ".txt"),
          "Note " + i + " on harbour tides, ships and weather.",
          StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** Indexes {@code docs} with the docpipe CLI, as a user would, with {@code env}'s model. */
  static void index(Path docs, Path index, Map<String, String> env, Path log) {
    try (ChildJvm cli =
        ChildJvm.start(
            List.of("-XX:TieredStopAtLevel=1"),
            "io.docpipe.cli.DocpipeCli",
            List.of("ingest", "--index", index.toString(), docs.toString()),
            env,
            log)) {
      int exit = cli.awaitExit(Duration.ofMinutes(10));
      if (exit != 0) {
        throw new IllegalStateException("docpipe ingest exited with " + exit + ":\n" + cli.tail());
      }
    }
  }

  static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, value);
    return Map.copyOf(copy);
  }

  @SuppressWarnings("SystemOut")
  private static void log(String message) {
    System.err.println("[bench] " + message);
  }
}
