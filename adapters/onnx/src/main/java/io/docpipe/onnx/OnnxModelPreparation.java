package io.docpipe.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares in-process models ahead of time, as an image build does (ADR 0033): {@code
 * OnnxModelPreparation DIR LABEL...} writes each named model's optimised graph and weights to
 * {@code DIR} (read when {@code DOCPIPE_ONNX_PREPARED_DIR} names it) and ONNX Runtime's native
 * libraries to {@code DIR/native} (for {@code -Donnxruntime.native.path}).
 */
public final class OnnxModelPreparation {

  private OnnxModelPreparation() {}

  /** {@code DIR LABEL...}, e.g. {@code /app/onnx all-minilm-l6-v2}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: OnnxModelPreparation DIR LABEL...");
    }
    List<OnnxSettings.Model> models = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      models.add(OnnxSettings.Model.parse(args[i]));
    }
    prepare(Path.of(args[0]), models);
  }

  /**
   * Writes {@code models}, prepared, and the native libraries to {@code dir}.
   *
   * @throws io.docpipe.core.port.out.EmbeddingException when a model cannot be read or prepared
   */
  public static void prepare(Path dir, List<OnnxSettings.Model> models) throws IOException {
    PreparedModels.copyNativeLibraries(dir.resolve(PreparedModels.NATIVE));
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    for (OnnxSettings.Model model : models) {
      PreparedModels.prepare(model, dir, environment);
    }
  }

  /** The directory {@code -Donnxruntime.native.path} names for a preparation in {@code dir}. */
  public static Path nativeLibraries(Path dir) {
    return dir.resolve(PreparedModels.NATIVE);
  }
}
