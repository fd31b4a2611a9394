package io.docpipe.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** What refusing a hostile document cost: time, bytes allocated, heap growth. */
record Refusal(ExtractionException error, long millis, long allocatedBytes, long heapGrowthBytes) {

  interface Attempt {
    void run() throws ExtractionException;
  }

  /**
   * Runs {@code attempt}, which must fail with {@code TOO_LARGE}, measuring the bytes this thread
   * allocated meanwhile (an upper bound of the heap it could grow by, garbage included) and the
   * heap in use after it against before (MemoryMXBean, from a collected heap).
   */
  static Refusal measure(Attempt attempt) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc(); // a collected heap to start from
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    try {
      attempt.run();
    } catch (ExtractionException e) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      long growth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(FailureReason.TOO_LARGE);
      return new Refusal(e, millis, allocated, growth);
    }
    return fail("the hostile document was not refused");
  }

  static final long FEW_MB = 8L * 1024 * 1024;
}
