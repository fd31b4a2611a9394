package io.docpipe.benchmarks;

import java.lang.management.ManagementFactory;

/** Process CPU time, so throughput can be stated per core used rather than per wall second. */
final class Cpu {
  private Cpu() {}

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
