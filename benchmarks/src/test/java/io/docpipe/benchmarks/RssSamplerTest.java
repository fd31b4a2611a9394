package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RssSamplerTest {

  private static final String STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      VmPeak:\t 5123456 kB
      VmHWM:\t  401236 kB
      VmRSS:\t  398712 kB
      RssAnon:\t  350000 kB
      Threads:\t31
      """;

  @Test
  void readsVmRssInBytesNotThePeakOrTheHighWaterMark() {
    assertThat(RssSampler.vmRssBytes(STATUS)).hasValue(398_712L * 1024);
  }

  @Test
  void readsThePrivatePartSeparately() {
    assertThat(RssSampler.field(STATUS, "RssAnon")).hasValue(350_000L * 1024);
    assertThat(RssSampler.field(STATUS, "RssFile")).isEmpty();
  }

  @Test
  void aZombieHasNoRss() {
    assertThat(RssSampler.vmRssBytes("Name:\tjava\nState:\tZ (zombie)\n")).isEmpty();
  }

  @Test
  void anUnexpectedUnitIsAnError() {
    assertThatThrownBy(() -> RssSampler.vmRssBytes("VmRSS:\t 12 MB\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VmRSS");
  }

  @Test
  void samplesAProcessUntilItExits(@TempDir Path dir) throws Exception {
    try (ChildJvm child =
        ChildJvm.start(
            List.of("-Xmx64m"),
            SleepingMain.class.getName(),
            List.of("1500"),
            Map.of(),
            dir.resolve("child.log"))) {
      List<RssSampler.Sample> samples =
          RssSampler.sample(child, Duration.ofMillis(50), Duration.ofSeconds(60));
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(samples).hasSizeGreaterThan(3);
      // A JVM holds at least a few MB resident, and far less than this machine's memory.
      assertThat(RssSampler.peak(samples)).isBetween(5L << 20, 8L << 30);
      assertThat(RssSampler.peakAnonymous(samples)).isBetween(1L << 20, RssSampler.peak(samples));
      assertThat(samples)
          .isSortedAccordingTo(java.util.Comparator.comparingDouble(RssSampler.Sample::seconds));
    }
    assertThat(Files.exists(dir.resolve("child.log"))).isTrue();
  }

  /** A child that lives for the given number of milliseconds. */
  public static final class SleepingMain {
    private SleepingMain() {}

    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(Long.parseLong(args[0])); // the child's lifetime is the thing under test
    }
  }
}
