package io.docpipe.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three runtimes, each started the way it runs in production minus the cloud (JVMs of their own
 * on a given class path), fed one corpus, made to forget the documents the scenario removes, and
 * stopped; each leaves an embedded Lucene index behind and returns the directories that hold it.
 */
final class Runtimes {

  static final String BUCKET = "docpipe-harness";
  static final String QUEUE = "docpipe-harness";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("docpipe listening on port (\\d+)");
  private static final String TOKEN = "harness-writer-token-0123456789";
  private static final int SQS_BATCH = 10;
  private static final int HTTP_BATCH = 10;

  private final String classpath;
  private final Duration run;

  /**
   * @param classpath the class path of the runtime JVMs: every runtime's classes and dependencies
   * @param run how long one runtime may take to process the corpus, start-up aside
   */
  Runtimes(String classpath, Duration run) {
    this.classpath = classpath;
    this.run = run;
  }

  /** A runtime did not start, failed a request or an invocation, or overran its budget. */
  static final class RuntimeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RuntimeFailure(String message) {
      super(message);
    }
  }

  /** A corpus folder, its documents in order and the ids removed from it after they were fed. */
  record Workload(Path corpus, List<Corpus.Entry> entries, Set<String> removed) {}

  /**
   * Lambda: the real runtime interface client against a local Runtime API, as S3 and SQS invoke a
   * function. The first half of the corpus arrives as one S3 {@code ObjectCreated:Put} notification
   * per document at {@code S3Handler}, followed by {@code ObjectRemoved:Delete} notifications for
   * the removed documents of that half; the second half as SQS batches of up to ten such
   * notifications at {@code SqsHandler}, followed by batches of its removals. Objects are read from
   * an S3 mirror directory, and a removed object is deleted there before its notification is sent,
   * as in S3. One runtime after the other over the same index: a Lucene index has one writer.
   */
  List<Path> lambda(Workload load, Path work, Map<String, String> env) throws Exception {
    Path mirror = work.resolve("s3");
    Map<String, String> variables = mirrored(load.corpus(), mirror, work, env);
    List<Corpus.Entry> viaS3 = load.entries().subList(0, load.entries().size() / 2);
    List<Corpus.Entry> viaSqs =
        load.entries().subList(load.entries().size() / 2, load.entries().size());

    List<Invocation> s3Invocations = new ArrayList<>();
    for (Corpus.Entry entry : viaS3) {
      s3Invocations.add(
          new Invocation(
              AwsEvents.bytes(notification(mirror, AwsEvents.Change.CREATED, List.of(entry))),
              () -> {},
              response -> response.path("indexed").asInt() == 1 && failures(response) == 0));
    }
    for (Corpus.Entry entry : removed(viaS3, load.removed())) {
      s3Invocations.add(
          new Invocation(
              AwsEvents.bytes(notification(mirror, AwsEvents.Change.REMOVED, List.of(entry))),
              () -> Files.delete(mirror.resolve(BUCKET).resolve(entry.id())),
              response -> response.path("deleted").asInt() == 1 && failures(response) == 0));
    }
    invokeAll("io.docpipe.lambda.S3Handler::handleRequest", s3Invocations, variables, work, "s3");

    List<Invocation> sqsInvocations = new ArrayList<>();
    for (List<Corpus.Entry> batch : batches(viaSqs, SQS_BATCH)) {
      sqsInvocations.add(
          new Invocation(
              sqsBatch(mirror, AwsEvents.Change.CREATED, batch),
              () -> {},
              response -> response.path("batchItemFailures").isEmpty()));
    }
    for (List<Corpus.Entry> batch : batches(removed(viaSqs, load.removed()), SQS_BATCH)) {
      sqsInvocations.add(
          new Invocation(
              sqsBatch(mirror, AwsEvents.Change.REMOVED, batch),
              () -> {
                for (Corpus.Entry entry : batch) {
                  Files.delete(mirror.resolve(BUCKET).resolve(entry.id()));
                }
              },
              response -> response.path("batchItemFailures").isEmpty()));
    }
    invokeAll(
        "io.docpipe.lambda.SqsHandler::handleRequest", sqsInvocations, variables, work, "sqs");
    return List.of(work.resolve("index").resolve("lucene"));
  }

  /**
   * {@code env} for a runtime that reads the corpus from an S3 mirror at {@code mirror} (a copy
   * made here, in bucket {@value #BUCKET}) and writes its index under {@code work}.
   */
  private static Map<String, String> mirrored(
      Path corpus, Path mirror, Path work, Map<String, String> env) throws IOException {
    Corpus.copyTree(corpus, mirror.resolve(BUCKET));
    Map<String, String> variables = new HashMap<>(env);
    variables.put("DOCPIPE_INDEX_DIR", work.resolve("index").toString());
    variables.put("DOCPIPE_S3_MIRROR_DIR", mirror.toString());
    return variables;
  }

  /** An S3 notification for these objects of the mirror. */
  private static ObjectNode notification(
      Path mirror, AwsEvents.Change change, List<Corpus.Entry> entries) throws IOException {
    List<AwsEvents.S3Object> objects = new ArrayList<>();
    for (Corpus.Entry entry : entries) {
      Path object = mirror.resolve(BUCKET).resolve(entry.id());
      objects.add(
          new AwsEvents.S3Object(
              entry.id(), change == AwsEvents.Change.CREATED ? Files.size(object) : 0));
    }
    return AwsEvents.s3Notification(BUCKET, change, objects);
  }

  /** An SQS batch of one notification per entry. */
  private static byte[] sqsBatch(Path mirror, AwsEvents.Change change, List<Corpus.Entry> entries)
      throws IOException {
    List<ObjectNode> notifications = new ArrayList<>();
    for (Corpus.Entry entry : entries) {
      notifications.add(notification(mirror, change, List.of(entry)));
    }
    return AwsEvents.bytes(AwsEvents.sqsBatch(QUEUE, notifications));
  }

  /** What a handler reported as failed: S3's {@code failed} count. */
  private static int failures(JsonNode response) {
    return response.path("failed").asInt();
  }

  /** One event for a handler: what happens in the world before it, and what counts as success. */
  private record Invocation(byte[] event, Step before, Predicate<JsonNode> succeeded) {}

  @FunctionalInterface
  private interface Step {
    void run() throws IOException;
  }

  /** One runtime for {@code handler}, invoked with each event in turn; stopped afterwards. */
  private void invokeAll(
      String handler, List<Invocation> invocations, Map<String, String> env, Path work, String name)
      throws Exception {
    Path log = work.resolve("lambda-" + name + ".log");
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      Map<String, String> variables = new HashMap<>(env);
      variables.putAll(api.functionVariables("docpipe-harness"));
      // A local run's index is a throwaway by design (LambdaEnvironment refuses it otherwise).
      variables.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
      Process ric =
          start(
              List.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler),
              variables,
              log);
      try {
        long deadline = System.nanoTime() + START.plus(run).toNanos();
        for (Invocation invocation : invocations) {
          invocation.before().run();
          InvocationResult result =
              awaitAnswer(
                  api.submit(invocation.event(), Duration.ofMinutes(5)), ric, api, deadline, log);
          JsonNode response =
              result instanceof InvocationResult.Response ? JSON.readTree(result.body()) : null;
          if (response == null || !invocation.succeeded().test(response)) {
            throw new RuntimeFailure(
                "lambda "
                    + handler
                    + " failed on "
                    + new String(invocation.event(), StandardCharsets.UTF_8)
                    + ": "
                    + (response == null ? result : response)
                    + "\n"
                    + tail(log));
          }
        }
      } finally {
        stop(ric);
      }
    }
  }

  /**
   * The runtime's answer to one event; fails at once, with the runtime's log, when the runtime
   * reported an init error or exited instead of answering.
   */
  private static InvocationResult awaitAnswer(
      CompletableFuture<InvocationResult> pending,
      Process ric,
      LocalRuntimeApi api,
      long deadline,
      Path log)
      throws Exception {
    while (System.nanoTime() < deadline) {
      try {
        return pending.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (api.initError().isPresent() || !ric.isAlive()) {
          pending.cancel(false);
          throw new RuntimeFailure(
              "the lambda runtime "
                  + api.initError().map(error -> "failed to start: " + error).orElse("exited")
                  + "\n"
                  + tail(log));
        }
      } catch (ExecutionException e) {
        throw new RuntimeFailure("the lambda invocation was abandoned: " + e.getCause());
      }
    }
    pending.cancel(false);
    throw new RuntimeFailure("the lambda runtime did not answer in time\n" + tail(log));
  }

  /**
   * Fargate: the Helidon service on 127.0.0.1, an ephemeral port, fed the corpus over {@code POST
   * /v1/documents} in batches it answers synchronously (text documents inline, others by an {@code
   * s3://} reference into an S3 mirror), then {@code DELETE /v1/documents/{id}} for each removed
   * document.
   */
  List<Path> fargate(Workload load, Path work, Map<String, String> env) throws Exception {
    Path mirror = work.resolve("s3");
    Map<String, String> variables = mirrored(load.corpus(), mirror, work, env);
    variables.put("DOCPIPE_HTTP_HOST", "127.0.0.1");
    variables.put("DOCPIPE_HTTP_PORT", "0");
    variables.put("DOCPIPE_API_TOKENS", TOKEN);
    variables.put("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", Integer.toString(HTTP_BATCH));
    variables.put("DOCPIPE_HTTP_DRAIN_BUDGET", "5s");
    Path log = work.resolve("fargate.log");
    Process service = start(List.of("io.docpipe.fargate.FargateMain"), variables, log);
    try {
      int port = awaitPort(service, log);
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .version(HttpClient.Version.HTTP_1_1)
              .build();
      awaitReady(http, port, service, log);
      long deadline = System.nanoTime() + run.toNanos();
      for (List<Corpus.Entry> batch : batches(load.entries(), HTTP_BATCH)) {
        HttpResponse<String> response =
            send(
                http,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/documents"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(documents(batch))),
                deadline);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.path("indexed").asInt() != batch.size()) {
          throw new RuntimeFailure(
              "fargate did not index a batch: "
                  + response.statusCode()
                  + " "
                  + response.body()
                  + "\n"
                  + tail(log));
        }
      }
      for (Corpus.Entry entry : removed(load.entries(), load.removed())) {
        String path = URLEncoder.encode(entry.id(), StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<String> response =
            send(
                http,
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/documents/" + path))
                    .DELETE(),
                deadline);
        if (response.statusCode() / 100 != 2) {
          throw new RuntimeFailure(
              "fargate did not delete "
                  + entry.id()
                  + ": "
                  + response.statusCode()
                  + " "
                  + response.body()
                  + "\n"
                  + tail(log));
        }
      }
    } finally {
      stop(service);
    }
    return List.of(work.resolve("index").resolve("lucene"));
  }

  private static HttpResponse<String> send(
      HttpClient http, HttpRequest.Builder request, long deadline) throws Exception {
    Duration left = Duration.ofNanos(deadline - System.nanoTime());
    if (left.isNegative() || left.isZero()) {
      throw new RuntimeFailure("fargate did not finish the corpus in time");
    }
    return http.send(
        request.timeout(left).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * GKE: {@code shards} worker processes, {@code JOB_COMPLETION_INDEX} 0..shards-1, as an Indexed
   * Job's pods run them, over the corpus as it stands after the removals (a batch job indexes a
   * snapshot of its corpus; the removed documents are not in it). Each writes its own index (Lucene
   * allows one writer per directory); the shards together are the runtime's index.
   */
  List<Path> gke(Path corpus, Set<String> removed, int shards, Path work, Map<String, String> env)
      throws Exception {
    Path snapshot = work.resolve("corpus");
    Corpus.copyTree(corpus, snapshot);
    for (String id : removed) {
      Files.delete(snapshot.resolve(id));
    }
    List<Process> workers = new ArrayList<>();
    List<Path> indexes = new ArrayList<>();
    try {
      for (int shard = 0; shard < shards; shard++) {
        Path dir = work.resolve("shard-" + shard);
        Map<String, String> variables = new HashMap<>(env);
        variables.put("DOCPIPE_CORPUS", snapshot.toString());
        variables.put("DOCPIPE_INDEX_DIR", dir.resolve("index").toString());
        variables.put("DOCPIPE_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
        variables.put("DOCPIPE_SHARDS", Integer.toString(shards));
        variables.put("JOB_COMPLETION_INDEX", Integer.toString(shard));
        // One embedded index per worker process is what the harness compares; it is read here.
        variables.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
        Files.createDirectories(dir);
        workers.add(
            start(
                List.of(
                    "io.docpipe.gke.GkeCli",
                    "worker",
                    "--outcome-log",
                    dir.resolve("outcomes.log").toString()),
                variables,
                work.resolve("worker-" + shard + ".log")));
        indexes.add(dir.resolve("index").resolve("lucene"));
      }
      long deadline = System.nanoTime() + START.plus(run).toNanos();
      for (int shard = 0; shard < shards; shard++) {
        Process worker = workers.get(shard);
        Path log = work.resolve("worker-" + shard + ".log");
        long left = Math.max(0, deadline - System.nanoTime());
        if (!worker.waitFor(left, TimeUnit.NANOSECONDS)) {
          throw new RuntimeFailure("gke worker " + shard + " did not finish in time\n" + tail(log));
        }
        if (worker.exitValue() != 0) {
          throw new RuntimeFailure(
              "gke worker " + shard + " exited with " + worker.exitValue() + ":\n" + tail(log));
        }
      }
    } finally {
      for (Process worker : workers) {
        stop(worker);
      }
    }
    return List.copyOf(indexes);
  }

  /** A runtime JVM; the DOCPIPE_*, JOB_* and AWS_* variables of this process are left out. */
  private Process start(List<String> mainAndArgs, Map<String, String> env, Path log)
      throws IOException {
    List<String> launch = new ArrayList<>(List.of("-cp", classpath));
    launch.addAll(mainAndArgs);
    ProcessBuilder builder = ChildJvms.processBuilder(ChildJvms.SHORT_LIVED, launch);
    // One intra-op thread everywhere, so that float sums are ordered alike in every runtime.
    builder.environment().put("DOCPIPE_ONNX_THREADS", "1");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Files.createDirectories(log.getParent());
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  /** SIGTERM (each runtime drains on it), then SIGKILL if it has not exited within a bound. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int awaitPort(Process service, Path log) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!service.isAlive()) {
        break;
      }
      Thread.sleep(50); // polling interval of a bounded wait, not a stand-in for a condition
    }
    throw new RuntimeFailure("the fargate service did not start listening:\n" + tail(log));
  }

  /** Polls {@code /health/ready} until the model has loaded (the service answers 503 before). */
  private static void awaitReady(HttpClient http, int port, Process service, Path log)
      throws Exception {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline && service.isAlive()) {
      if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
        return;
      }
      Thread.sleep(100); // polling interval of a bounded wait, not a stand-in for a condition
    }
    throw new RuntimeFailure("the fargate service did not become ready:\n" + tail(log));
  }

  /**
   * The batch as {@code POST /v1/documents} documents: text inline, with the ids, media types and
   * the metadata (path, extension) the file and S3 sources attach, so that payloads compare field
   * for field; anything else by reference into the S3 mirror, fetched by the service.
   */
  private static byte[] documents(List<Corpus.Entry> batch) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode documents = body.putArray("documents");
    for (Corpus.Entry entry : batch) {
      ObjectNode document = documents.addObject();
      document.put("id", entry.id());
      if (entry.inlineText().isPresent()) {
        document.put("text", entry.inlineText().get());
        document.put("mediaType", entry.mediaType());
        document
            .putObject("metadata")
            .put("path", entry.id())
            .put("ext", Corpus.extension(entry.id()));
      } else {
        document.put("uri", "s3://" + BUCKET + "/" + entry.id());
      }
    }
    return JSON.writeValueAsBytes(body);
  }

  private static List<Corpus.Entry> removed(List<Corpus.Entry> entries, Set<String> removed) {
    return entries.stream().filter(e -> removed.contains(e.id())).toList();
  }

  private static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      batches.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return batches;
  }

  /** The last lines of a runtime's log, for a failure message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e + ")";
    }
  }
}
