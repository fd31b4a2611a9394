package io.docpipe.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What tracing with export on costs an ingest: one GKE shard worker ({@code GkeCli worker}, the
 * runtime whose whole run is an ingest) over the same SciFact documents, once with OTLP export off
 * (no endpoint) and once exporting every span to a receiver on 127.0.0.1 that accepts and discards
 * (a collector that costs nothing, so only docpipe's side is measured). Runs alternate off/on so
 * load drift hits both alike; the medians of documents per wall second and of the worker's CPU
 * seconds per document are compared. Both include JVM start and model load, as a Job's pod does.
 */
final class TracingOverheadBenchmark {

  private static final Duration RUN = Duration.ofMinutes(30);

  /** One configuration's runs: documents/s and CPU milliseconds per document. */
  record Side(Samples documentsPerSecond, Samples cpuMillisPerDocument) {}

  record Result(int documents, Side off, Side on, long spansRequests) {
    /** Throughput lost with export on, in percent of the export-off median (positive = slower). */
    double throughputLossPercent() {
      return percentLoss(off.documentsPerSecond().median(), on.documentsPerSecond().median());
    }

    /** Extra CPU per document with export on, in percent of the export-off median. */
    double cpuOverheadPercent() {
      return percentLoss(on.cpuMillisPerDocument().median(), off.cpuMillisPerDocument().median());
    }
  }

  private TracingOverheadBenchmark() {}

  /** {@code (base - other) / base} in percent. */
  static double percentLoss(double base, double other) {
    return (base - other) / base * 100;
  }

  static Result run(TextCorpus source, int documents, Path work, int warmups, int runs)
      throws IOException {
    Path corpus = source.writeFolder(work.resolve("corpus"), documents);
    List<Double> offRate = new ArrayList<>();
    List<Double> offCpu = new ArrayList<>();
    List<Double> onRate = new ArrayList<>();
    List<Double> onCpu = new ArrayList<>();
    try (DiscardingOtlpReceiver receiver = DiscardingOtlpReceiver.start()) {
      int counter = 0;
      for (int i = 0; i < warmups + runs; i++) {
        // Interleaved, the order alternating too, so neither side always runs after the other.
        boolean onFirst = i % 2 == 1;
        for (boolean on : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
          double[] m =
              run(corpus, documents, work.resolve("r" + counter++), on ? receiver.url() : null);
          if (i >= warmups) {
            (on ? onRate : offRate).add(m[0]);
            (on ? onCpu : offCpu).add(m[1]);
          }
        }
      }
      if (receiver.requests() == 0) {
        throw new IllegalStateException("export on, but no span reached the receiver");
      }
      return new Result(
          documents,
          new Side(new Samples(offRate), new Samples(offCpu)),
          new Side(new Samples(onRate), new Samples(onCpu)),
          receiver.requests());
    }
  }

  /** One worker run: {documents per wall second, worker CPU milliseconds per document}. */
  private static double[] run(
      Path corpus, int documents, Path dir, @org.jspecify.annotations.Nullable String endpoint) {
    try {
      Files.createDirectories(dir);
      Path outcomes = dir.resolve("outcomes.log");
      Map<String, String> env = new HashMap<>();
      env.put("DOCPIPE_CORPUS", corpus.toString());
      env.put("DOCPIPE_INDEX_DIR", dir.resolve("index").toString());
      env.put("DOCPIPE_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
      env.put("DOCPIPE_SHARDS", "1");
      env.put("JOB_COMPLETION_INDEX", "0");
      env.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
      env.put("DOCPIPE_ONNX_THREADS", "1");
      if (endpoint != null) {
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
      }
      // The worker's CPU time reaches this process's children account when it is reaped.
      long cpuBefore = ChildCpu.reapedChildrenCpuNanos();
      long start = System.nanoTime();
      int exit;
      try (ChildJvm worker =
          ChildJvm.start(
              List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"),
              "io.docpipe.gke.GkeCli",
              List.of("worker", "--outcome-log", outcomes.toString()),
              env,
              dir.resolve("worker.log"))) {
        exit = worker.awaitExit(RUN);
        if (exit != 0) {
          throw new IllegalStateException("worker exited with " + exit + ":\n" + worker.tail());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMillis = (ChildCpu.reapedChildrenCpuNanos() - cpuBefore) / 1e6;
      long indexed =
          Files.readAllLines(outcomes, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith("indexed "))
              .count();
      if (indexed != documents) {
        throw new IllegalStateException("indexed " + indexed + " of " + documents + " documents");
      }
      return new double[] {documents / seconds, cpuMillis / documents};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An OTLP/HTTP receiver on 127.0.0.1 that reads each {@code POST /v1/traces} body, answers 200
   * with an empty body and keeps nothing but counts.
   */
  static final class DiscardingOtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private DiscardingOtlpReceiver(HttpServer server) {
      this.server = server;
    }

    static DiscardingOtlpReceiver start() throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      DiscardingOtlpReceiver receiver = new DiscardingOtlpReceiver(server);
      server.createContext(
          "/v1/traces",
          exchange -> {
            try (exchange;
                InputStream in = exchange.getRequestBody()) {
              if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
              }
              receiver.bytes.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
              receiver.requests.incrementAndGet();
              exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
              exchange.sendResponseHeaders(200, -1);
            }
          });
      server.start();
      return receiver;
    }

    /** The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long requests() {
      return requests.get();
    }

    long bytes() {
      return bytes.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * CPU time of this process's children that have exited and been waited for ({@code cutime +
   * cstime} in {@code /proc/self/stat}): a child's CPU time after it exits, which {@link
   * ProcessHandle.Info} no longer knows.
   */
  static final class ChildCpu {
    /** The kernel's USER_HZ: 100 on every Linux this runs on (the unit of the stat fields). */
    static final long TICKS_PER_SECOND = 100;

    private ChildCpu() {}

    static long reapedChildrenCpuNanos() {
      try {
        return childrenCpuNanos(Files.readString(Path.of("/proc/self/stat")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read /proc/self/stat (Linux only)", e);
      }
    }

    /**
     * {@code cutime + cstime} of a {@code /proc/<pid>/stat} line, in nanoseconds. Fields are
     * counted after the command name's closing parenthesis, as the name may hold spaces.
     */
    static long childrenCpuNanos(String stat) {
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
      // After "(comm) ", f[0] is field 3 (state); cutime and cstime are fields 16 and 17.
      long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
  }
}
