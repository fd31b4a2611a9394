package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OnnxSettingsTest {

  @Test
  void defaults_useBatchesOf32_andOneThreadPerProcessor() {
    OnnxSettings defaults = OnnxSettings.defaults();
    assertThat(defaults.maxBatchSize()).isEqualTo(32);
    assertThat(defaults.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(defaults.withMaxBatchSize(8).withThreads(1)).isEqualTo(new OnnxSettings(8, 1));
  }

  @Test
  void batchSizeOutside1To256_isRejected() {
    assertThat(new OnnxSettings(1, 1).maxBatchSize()).isEqualTo(1);
    assertThat(new OnnxSettings(256, 1).maxBatchSize()).isEqualTo(256);
    assertThatThrownBy(() -> new OnnxSettings(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchSize");
    assertThatThrownBy(() -> new OnnxSettings(257, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchSize");
  }

  @Test
  void fewerThanOneThread_isRejected() {
    assertThatThrownBy(() -> new OnnxSettings(32, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads");
  }
}
