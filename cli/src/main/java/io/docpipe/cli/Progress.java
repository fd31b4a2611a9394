package io.docpipe.cli;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts outcomes as they happen and draws a one-line progress bar with docs/s and ETA on a
 * terminal (or a line every few seconds when output is not a terminal).
 */
final class Progress implements IngestionListener {

  private final AtomicLong done = new AtomicLong();
  private final AtomicLong chunks = new AtomicLong();
  private volatile long total;
  private volatile long startNanos = System.nanoTime();
  private final PrintStream out;
  private final boolean terminal;
  private long lastDraw;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void start(long totalDocuments) {
    total = totalDocuments;
    done.set(0);
    startNanos = System.nanoTime();
  }

  long done() {
    return done.get();
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    done.incrementAndGet();
    draw(false);
  }

  @Override
  public void chunksEmbedded(int count, Duration took) {
    chunks.addAndGet(count);
  }

  synchronized void draw(boolean last) {
    long now = System.nanoTime();
    long interval = terminal ? 200_000_000L : 5_000_000_000L;
    if (!last && now - lastDraw < interval) {
      return;
    }
    lastDraw = now;
    long n = done.get();
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = n / seconds;
    long t = Math.max(total, n);
    int width = 30;
    int filled = t == 0 ? width : (int) (width * n / t);
    String eta = rate > 0 && t > n ? formatSeconds((t - n) / rate) : "0s";
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %d/%d docs  %.1f docs/s  %d chunks  ETA %s",
            "#".repeat(filled),
            ".".repeat(width - filled),
            n,
            t,
            rate,
            chunks.get(),
            eta);
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  static String formatSeconds(double s) {
    long secs = Math.round(s);
    return secs >= 3600
        ? (secs / 3600) + "h" + (secs % 3600 / 60) + "m"
        : secs >= 60 ? (secs / 60) + "m" + (secs % 60) + "s" : secs + "s";
  }
}
