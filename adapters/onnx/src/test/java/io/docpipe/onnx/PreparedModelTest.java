package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Models prepared ahead of time (ADR 0033): same vectors, loaded only while current. */
class PreparedModelTest {

  private static final List<String> TEXTS =
      List.of(
          "Harbour tides rise twice a day.",
          "A longer passage about ships, weather and the tides that move them in and out.",
          "docpipe");

  @ParameterizedTest
  @EnumSource(
      value = OnnxSettings.Model.class,
      names = {"ALL_MINILM_L6_V2", "ALL_MINILM_L6_V2_Q", "BGE_SMALL_EN_V15_Q"})
  void aPreparedModel_isLoadedFromItsDirectory_andEmbedsExactlyAsTheClasspathModel(
      OnnxSettings.Model model, @TempDir Path dir) throws Exception {
    OnnxModelPreparation.prepare(dir, List.of(model));
    OnnxSettings settings = new OnnxSettings(8, 1, model);
    try (OnnxEmbeddingModel fromClasspath = OnnxEmbeddingModel.of(settings);
        OnnxEmbeddingModel prepared = OnnxEmbeddingModel.of(settings.withPreparedDir(dir))) {
      assertThat(fromClasspath.preparedGraph()).isNull();
      assertThat(prepared.preparedGraph()).isEqualTo(dir.resolve(model.label() + ".onnx"));
      assertThat(prepared.modelId()).isEqualTo(fromClasspath.modelId());
      assertThat(prepared.dimension()).isEqualTo(fromClasspath.dimension());
      List<float[]> expected = fromClasspath.embed(TEXTS);
      List<float[]> actual = prepared.embed(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        assertThat(actual.get(i)).as(TEXTS.get(i)).containsExactly(expected.get(i));
      }
      assertThat(prepared.embedQueries(List.of("tides")).getFirst())
          .containsExactly(fromClasspath.embedQueries(List.of("tides")).getFirst());
    }
    // The weights are in a file of their own, the graph alone is small.
    assertThat(Files.size(dir.resolve(model.label() + ".onnx"))).isLessThan(1_000_000);
    assertThat(Files.size(dir.resolve(model.label() + ".onnx.data"))).isGreaterThan(10_000_000);
  }

  @Test
  void aPreparationOfAnotherRuntimeOrModelFile_isIgnored_andTheModelLoadsFromTheClasspath(
      @TempDir Path dir) throws Exception {
    OnnxSettings.Model model = OnnxSettings.Model.ALL_MINILM_L6_V2_Q;
    OnnxModelPreparation.prepare(dir, List.of(model));
    Path stamp = dir.resolve(model.label() + ".prepared");
    String current = Files.readString(stamp, StandardCharsets.UTF_8);
    assertThat(current).contains("onnxruntime=").contains("crc=");
    Files.writeString(
        stamp,
        current.replaceFirst("onnxruntime=\\S+", "onnxruntime=0.0.1"),
        StandardCharsets.UTF_8);
    OnnxSettings settings = new OnnxSettings(8, 1, model).withPreparedDir(dir);
    try (OnnxEmbeddingModel stale = OnnxEmbeddingModel.of(settings);
        OnnxEmbeddingModel fromClasspath = OnnxEmbeddingModel.of(settings.withPreparedDir(null))) {
      assertThat(stale.preparedGraph()).isNull();
      assertThat(stale.embed(TEXTS).getFirst())
          .containsExactly(fromClasspath.embed(TEXTS).getFirst());
    }
    Files.delete(stamp);
    try (OnnxEmbeddingModel unstamped = OnnxEmbeddingModel.of(settings)) {
      assertThat(unstamped.preparedGraph()).isNull();
    }
  }

  @Test
  void anEmptyDirectory_loadsTheModelFromTheClasspath(@TempDir Path dir) {
    OnnxSettings settings =
        new OnnxSettings(8, 1, OnnxSettings.Model.ALL_MINILM_L6_V2_Q).withPreparedDir(dir);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.of(settings)) {
      assertThat(model.preparedGraph()).isNull();
      assertThat(model.embed(TEXTS)).hasSize(3);
    }
  }

  /**
   * The Lambda and GKE images carry a preparation, and their digests are reproducible only if it is
   * (build/image/README.md): the images' own check shares one preparation between its builds.
   */
  @Test
  void preparingTwice_writesTheSameBytes(@TempDir Path first, @TempDir Path second)
      throws Exception {
    List<OnnxSettings.Model> models =
        List.of(OnnxSettings.DEFAULT_MODEL, OnnxSettings.Model.ALL_MINILM_L6_V2);
    OnnxModelPreparation.prepare(first, models);
    OnnxModelPreparation.prepare(second, models);
    List<Path> written = files(first);
    assertThat(written)
        .contains(Path.of(OnnxSettings.DEFAULT_MODEL.label() + ".onnx"))
        .contains(Path.of(OnnxSettings.Model.ALL_MINILM_L6_V2.label() + ".onnx.data"));
    assertThat(files(second)).isEqualTo(written);
    for (Path file : written) {
      assertThat(Files.mismatch(first.resolve(file), second.resolve(file)))
          .as("first differing byte of %s (-1: none)", file)
          .isEqualTo(-1L);
    }
  }

  /** The regular files under {@code dir}, relative to it, sorted. */
  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void thePreparation_copiesThisPlatformsNativeLibraries(@TempDir Path dir) throws Exception {
    OnnxModelPreparation.prepare(dir, List.of());
    Path libraries = OnnxModelPreparation.nativeLibraries(dir);
    assertThat(Files.size(libraries.resolve(System.mapLibraryName("onnxruntime"))))
        .isGreaterThan(1_000_000);
    assertThat(Files.size(libraries.resolve(System.mapLibraryName("onnxruntime4j_jni"))))
        .isGreaterThan(10_000);
  }
}
