package io.docpipe.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's binding of HuggingFace's Rust tokenizers, loaded from the same tokenizer.json: the
 * independent reference for token ids. DJL and LangChain4j (which uses it) are kept offline.
 */
final class DjlReference {

  static {
    offline();
  }

  private DjlReference() {}

  /**
   * Keeps DJL from calling home or downloading anything (it would try on its first tokenizer), and
   * its native library, unpacked from the jar, in the build directory rather than the home one.
   */
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
    }
  }

  /** A tokenizer that adds [CLS]/[SEP] and neither truncates nor pads. */
  static HuggingFaceTokenizer tokenizer() {
    try (InputStream in =
        DjlReference.class.getResourceAsStream(
            "/" + OnnxEmbeddingModel.MINILM_TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("tokenizer.json not on the classpath");
      }
      return HuggingFaceTokenizer.newInstance(
          in, Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
