package io.docpipe.wiring.observe;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands ended spans to an exporter on a thread of its own through a bounded queue: a span that
 * finds the queue full is dropped and counted, so a slow or absent collector never blocks (or grows
 * the memory of) the thread that ends a span. What was exported, dropped and failed to export is
 * counted for the runtime's metrics and its shutdown log line.
 */
final class DroppingSpanProcessor implements EndedSpanProcessor {

  private static final System.Logger LOG = System.getLogger(DroppingSpanProcessor.class.getName());

  static final int MAX_BATCH = 512;

  private final SpanExporter exporter;
  private final BlockingQueue<SpanData> queue;
  private final Thread worker;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder exported = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Object flushLock = new Object();
  private volatile long flushRequests;
  private volatile long flushesDone;

  DroppingSpanProcessor(SpanExporter exporter, int capacity) {
    this.exporter = exporter;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = Thread.ofPlatform().daemon().name("docpipe-span-export").unstarted(this::run);
    worker.start();
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    if (stopping.get() || !queue.offer(span.toSpanData())) {
      dropped.increment();
    }
  }

  long dropped() {
    return dropped.sum();
  }

  long exported() {
    return exported.sum();
  }

  long failed() {
    return failed.sum();
  }

  private void run() {
    List<SpanData> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      long flushRequested = flushRequests;
      try {
        SpanData first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          export(batch);
          batch.clear();
          continue; // keep draining while spans wait
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The queue is empty: what was asked for before this poll is out.
      synchronized (flushLock) {
        flushesDone = flushRequested;
        flushLock.notifyAll();
      }
      if (stopping.get() || Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private void export(List<SpanData> batch) {
    try {
      CompletableResultCode result = exporter.export(List.copyOf(batch));
      result.join(10, TimeUnit.SECONDS);
      if (result.isSuccess()) {
        exported.add(batch.size());
      } else {
        failed.add(batch.size());
      }
    } catch (RuntimeException e) {
      failed.add(batch.size());
      LOG.log(System.Logger.Level.DEBUG, "span export failed", e);
    }
  }

  /** Waits until what was queued before the call is exported, at most about {@code millis}. */
  private boolean awaitFlush(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (flushLock) {
      long ticket = ++flushRequests;
      while (flushesDone < ticket && worker.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          flushLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public CompletableResultCode forceFlush() {
    return awaitFlush(5_000)
        ? CompletableResultCode.ofSuccess()
        : CompletableResultCode.ofFailure();
  }

  @Override
  public CompletableResultCode shutdown() {
    awaitFlush(2_000);
    stopping.set(true);
    worker.interrupt();
    try {
      worker.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropped.add(queue.size());
    queue.clear();
    exporter.shutdown().join(2, TimeUnit.SECONDS);
    return CompletableResultCode.ofSuccess();
  }
}
