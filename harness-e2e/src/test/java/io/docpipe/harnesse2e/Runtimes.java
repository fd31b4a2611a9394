package io.docpipe.harnesse2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The three runtimes, each started the way it runs in production minus the cloud (a JVM of its own
 * on this module's test class path), fed one corpus and stopped; each leaves an embedded Lucene
 * index behind and returns the directories that hold it.
 */
final class Runtimes {

  static final String BUCKET = "docpipe-harness";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration RUN = Duration.ofSeconds(240);
  private static final Duration STOP = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("docpipe listening on port (\\d+)");
  private static final String TOKEN = "harness-writer-token-0123456789";

  private Runtimes() {}

  /**
   * Lambda: the real runtime interface client against a local Runtime API, as S3 and SQS invoke a
   * function: the first half of the corpus as one S3 ObjectCreated notification per document to
   * {@code S3Handler}, the rest as SQS batches of up to ten such notifications to {@code
   * SqsHandler} (one runtime after the other over the same index: a Lucene index has one writer).
   * Objects are read from the S3 mirror directory.
   */
  static List<Path> lambda(
      Path corpus, List<Corpus.Entry> entries, Path work, Map<String, String> env)
      throws Exception {
    Path mirror = work.resolve("s3");
    copyTree(corpus, mirror.resolve(BUCKET));
    Map<String, String> variables = new HashMap<>(env);
    variables.put("DOCPIPE_INDEX_DIR", work.resolve("index").toString());
    variables.put("DOCPIPE_S3_MIRROR_DIR", mirror.toString());
    List<Corpus.Entry> viaS3 = entries.subList(0, entries.size() / 2);
    List<Corpus.Entry> viaSqs = entries.subList(entries.size() / 2, entries.size());
    List<byte[]> s3Events = new ArrayList<>();
    for (Corpus.Entry entry : viaS3) {
      s3Events.add(JSON.writeValueAsBytes(s3Notification(List.of(entry))));
    }
    invokeAll(
        "io.docpipe.lambda.S3Handler::handleRequest",
        s3Events,
        response -> response.path("indexed").asInt() == 1 && response.path("failed").asInt() == 0,
        variables,
        work.resolve("lambda-s3.log"));
    List<byte[]> sqsBatches = new ArrayList<>();
    for (int from = 0; from < viaSqs.size(); from += 10) {
      sqsBatches.add(sqsBatch(viaSqs.subList(from, Math.min(viaSqs.size(), from + 10))));
    }
    invokeAll(
        "io.docpipe.lambda.SqsHandler::handleRequest",
        sqsBatches,
        response -> response.path("batchItemFailures").isEmpty(),
        variables,
        work.resolve("lambda-sqs.log"));
    return List.of(work.resolve("index").resolve("lucene"));
  }

  /** One runtime for {@code handler}, invoked with each event in turn; stopped afterwards. */
  private static void invokeAll(
      String handler,
      List<byte[]> events,
      Predicate<JsonNode> succeeded,
      Map<String, String> env,
      Path log)
      throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      Map<String, String> variables = new HashMap<>(env);
      variables.putAll(lambdaVariables(api));
      Process ric =
          start(
              List.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler),
              variables,
              log);
      try {
        for (byte[] event : events) {
          InvocationResult result = api.invoke(event, Duration.ofMinutes(5), START.plus(RUN));
          JsonNode response =
              result instanceof InvocationResult.Response ? JSON.readTree(result.body()) : null;
          if (response == null || !succeeded.test(response)) {
            throw new AssertionError(
                handler
                    + " failed on "
                    + new String(event, StandardCharsets.UTF_8)
                    + ": "
                    + (response == null ? result : response)
                    + "\n"
                    + Files.readString(log));
          }
        }
      } finally {
        stop(ric);
      }
    }
  }

  /**
   * Fargate: the Helidon service on 127.0.0.1, an ephemeral port, fed the corpus as inline text
   * over {@code POST /v1/documents} in batches it answers synchronously.
   */
  static List<Path> fargate(List<Corpus.Entry> entries, Path work, Map<String, String> env)
      throws Exception {
    Map<String, String> variables = new HashMap<>(env);
    variables.put("DOCPIPE_INDEX_DIR", work.resolve("index").toString());
    variables.put("DOCPIPE_HTTP_HOST", "127.0.0.1");
    variables.put("DOCPIPE_HTTP_PORT", "0");
    variables.put("DOCPIPE_API_TOKENS", TOKEN);
    variables.put("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", "10");
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
      for (int from = 0; from < entries.size(); from += 10) {
        List<Corpus.Entry> batch = entries.subList(from, Math.min(entries.size(), from + 10));
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/documents"))
                    .timeout(RUN)
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(inline(batch)))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.path("indexed").asInt() != batch.size()) {
          throw new AssertionError(
              "fargate did not index a batch: " + response.statusCode() + " " + response.body());
        }
      }
    } finally {
      stop(service);
    }
    return List.of(work.resolve("index").resolve("lucene"));
  }

  /**
   * GKE: {@code shards} worker processes, {@code JOB_COMPLETION_INDEX} 0..shards-1, over the corpus
   * directory, as an Indexed Job's pods run them. Each writes its own index (Lucene allows one
   * writer per directory); the shards together are the runtime's index.
   */
  static List<Path> gke(Path corpus, int shards, Path work, Map<String, String> env)
      throws Exception {
    List<Process> workers = new ArrayList<>();
    List<Path> indexes = new ArrayList<>();
    try {
      for (int shard = 0; shard < shards; shard++) {
        Path dir = work.resolve("shard-" + shard);
        Map<String, String> variables = new HashMap<>(env);
        variables.put("DOCPIPE_CORPUS", corpus.toString());
        variables.put("DOCPIPE_INDEX_DIR", dir.resolve("index").toString());
        variables.put("DOCPIPE_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
        variables.put("DOCPIPE_SHARDS", Integer.toString(shards));
        variables.put("JOB_COMPLETION_INDEX", Integer.toString(shard));
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
      long deadline = System.nanoTime() + START.plus(RUN).toNanos();
      for (int shard = 0; shard < shards; shard++) {
        Process worker = workers.get(shard);
        long left = Math.max(0, deadline - System.nanoTime());
        if (!worker.waitFor(left, TimeUnit.NANOSECONDS)) {
          throw new AssertionError("worker " + shard + " did not finish in time");
        }
        if (worker.exitValue() != 0) {
          throw new AssertionError(
              "worker "
                  + shard
                  + " exited with "
                  + worker.exitValue()
                  + ":\n"
                  + log(work, "worker-" + shard + ".log"));
        }
      }
    } finally {
      for (Process worker : workers) {
        stop(worker);
      }
    }
    return List.copyOf(indexes);
  }

  /** A JVM on this module's test class path; DOCPIPE_* of the build's environment left out. */
  private static Process start(List<String> mainAndArgs, Map<String, String> env, Path log)
      throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--add-modules",
                "jdk.incubator.vector",
                "-XX:+UseSerialGC",
                // Short-lived JVMs on a busy machine: C1 only starts faster; the model is native.
                "-XX:TieredStopAtLevel=1",
                "-Xmx512m",
                "-cp",
                classpath));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("DOCPIPE_") || k.startsWith("JOB_") || k.startsWith("AWS_"));
    // As in the images: onnxruntime's telemetry start-up can crash the JVM without it.
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
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
    throw new AssertionError(
        "the fargate service did not start listening:\n" + Files.readString(log));
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
    throw new AssertionError("the fargate service did not become ready:\n" + Files.readString(log));
  }

  private static Map<String, String> lambdaVariables(LocalRuntimeApi api) {
    return Map.of(
        "AWS_LAMBDA_RUNTIME_API", api.address(),
        "AWS_LAMBDA_FUNCTION_NAME", "docpipe-harness",
        "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769",
        "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/docpipe-harness",
        "AWS_LAMBDA_LOG_STREAM_NAME", "local",
        "AWS_REGION", "us-east-1",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
  }

  /** AWS's sample S3 notification (read in place), one record per entry, in this bucket. */
  private static ObjectNode s3Notification(List<Corpus.Entry> entries) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Corpus.Entry entry : entries) {
      ObjectNode record = (ObjectNode) sample("s3_event.json").path("Records").get(0);
      record.put("eventName", "ObjectCreated:Put");
      ObjectNode s3 = (ObjectNode) record.path("s3");
      ((ObjectNode) s3.path("bucket")).put("name", BUCKET).put("arn", "arn:aws:s3:::" + BUCKET);
      ObjectNode object = (ObjectNode) s3.path("object");
      // S3 URL-encodes keys in notifications (space as '+'), keeping the slashes.
      object.put("key", URLEncoder.encode(entry.id(), StandardCharsets.UTF_8).replace("%2F", "/"));
      object.remove("urlDecodedKey");
      object.put("size", entry.text().getBytes(StandardCharsets.UTF_8).length);
      records.add(record);
    }
    return event;
  }

  /** AWS's sample SQS event, one message per entry whose body is the entry's S3 notification. */
  private static byte[] sqsBatch(List<Corpus.Entry> entries) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Corpus.Entry entry : entries) {
      ObjectNode record = (ObjectNode) sample("sqs_event.json").path("Records").get(0);
      record.put("messageId", "msg-" + entry.id());
      record.put("body", JSON.writeValueAsString(s3Notification(List.of(entry))));
      records.add(record);
    }
    return JSON.writeValueAsBytes(event);
  }

  private static JsonNode sample(String file) throws IOException {
    String shared = System.getProperty("docpipe.shared.dir");
    if (shared == null) {
      throw new IllegalStateException("docpipe.shared.dir is not set: run the tests with Maven");
    }
    return JSON.readTree(Path.of(shared, "fixtures", "aws-events", file).toFile());
  }

  /**
   * The batch as inline documents with the ids, media types and the metadata (path, extension) the
   * file-based sources attach, so the payloads can be compared field for field.
   */
  private static byte[] inline(List<Corpus.Entry> batch) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode documents = body.putArray("documents");
    for (Corpus.Entry entry : batch) {
      ObjectNode document = documents.addObject();
      document.put("id", entry.id());
      document.put("text", entry.text());
      document.put("mediaType", entry.mediaType());
      document
          .putObject("metadata")
          .put("path", entry.id())
          .put("ext", Corpus.extension(entry.id()));
    }
    return JSON.writeValueAsBytes(body);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private static String log(Path work, String name) {
    try {
      return Files.readString(work.resolve(name));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
