package io.docpipe.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.docpipe.core.port.out.EmbeddingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * Models prepared ahead of time (ADR 0033): a model's graph as ONNX Runtime optimises it, saved
 * once (at image build) with its weights in a file of their own, so that a cold start neither
 * inflates the model from its jar nor parses, copies and optimises the graph again: ONNX Runtime
 * maps the weights file as it is. In {@code dir}: {@code <label>.onnx} (the graph), {@code
 * <label>.onnx.data} (the weights) and {@code <label>.prepared}, written last, which names the
 * classpath model file (size and CRC of its jar entry) and the ONNX Runtime version it was prepared
 * from. A prepared model is used only while both still match; otherwise the model loads from the
 * classpath as before.
 */
final class PreparedModels {

  /**
   * The highest level whose saved graph does not depend on the CPU it was optimised on (ONNX
   * Runtime warns that the layout optimisations above it do).
   */
  static final OrtSession.SessionOptions.OptLevel LEVEL =
      OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;

  /** Where the native libraries go within a preparation directory. */
  static final String NATIVE = "native";

  private PreparedModels() {}

  static Path graph(Path dir, OnnxSettings.Model model) {
    return dir.resolve(model.label() + ".onnx");
  }

  private static Path weights(Path dir, OnnxSettings.Model model) {
    return dir.resolve(model.label() + ".onnx.data");
  }

  private static Path stampFile(Path dir, OnnxSettings.Model model) {
    return dir.resolve(model.label() + ".prepared");
  }

  /** The graph of {@code model} prepared in {@code dir} for this runtime, if there is one. */
  static Optional<Path> find(OnnxSettings.Model model, Path dir, OrtEnvironment environment)
      throws IOException {
    Path stamp = stampFile(dir, model);
    if (Files.isRegularFile(stamp)
        && Files.readString(stamp, StandardCharsets.UTF_8).equals(stamp(model, environment))
        && Files.isRegularFile(graph(dir, model))
        && Files.isRegularFile(weights(dir, model))) {
      return Optional.of(graph(dir, model));
    }
    return Optional.empty();
  }

  /**
   * Optimises {@code model}'s graph and saves it to {@code dir}, replacing an earlier preparation.
   *
   * @throws EmbeddingException when the model cannot be read or ONNX Runtime refuses it
   */
  static Path prepare(OnnxSettings.Model model, Path dir, OrtEnvironment environment)
      throws IOException {
    Files.createDirectories(dir);
    Path stamp = stampFile(dir, model);
    Path graph = graph(dir, model);
    Files.deleteIfExists(stamp);
    Files.deleteIfExists(graph);
    Files.deleteIfExists(weights(dir, model));
    byte[] onnx = read(model, model.modelResource());
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(LEVEL);
      options.setOptimizedModelFilePath(graph.toString());
      options.addConfigEntry(
          "session.optimized_model_external_initializers_file_name",
          weights(dir, model).getFileName().toString());
      // Every weight tensor of note goes to the weights file, which ONNX Runtime maps at load.
      options.addConfigEntry(
          "session.optimized_model_external_initializers_min_size_in_bytes", "1024");
      environment.createSession(onnx, options).close();
    } catch (OrtException e) {
      throw new EmbeddingException(
          "ONNX Runtime could not prepare " + model.label() + ": " + e.getMessage(), false, e);
    }
    Path partial = dir.resolve(stamp.getFileName() + ".partial");
    Files.writeString(partial, stamp(model, environment), StandardCharsets.UTF_8);
    Files.move(partial, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return graph;
  }

  /**
   * Copies ONNX Runtime's native libraries for this platform out of its jar into {@code dir}, for
   * {@code -Donnxruntime.native.path}: otherwise every start extracts them (28 MB) to a temporary
   * directory first.
   */
  static void copyNativeLibraries(Path dir) throws IOException {
    Files.createDirectories(dir);
    String platform = platform();
    for (String library : new String[] {"onnxruntime", "onnxruntime4j_jni"}) {
      String name = System.mapLibraryName(library);
      String resource = "/ai/onnxruntime/native/" + platform + "/" + name;
      try (InputStream in = OrtEnvironment.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("no " + resource + " in the onnxruntime jar");
        }
        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** ONNX Runtime's name for this platform's folder in its jar, e.g. {@code linux-x64}. */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osPart =
        os.startsWith("linux")
            ? "linux"
            : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os;
    String archPart =
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64", "arm64" -> "aarch64";
          default -> arch;
        };
    return osPart + "-" + archPart;
  }

  /**
   * What a preparation was made from: the classpath model file (its jar entry's size and CRC, read
   * from the jar's directory without inflating the entry) and the ONNX Runtime version.
   */
  static String stamp(OnnxSettings.Model model, OrtEnvironment environment) throws IOException {
    String name = model.modelResource();
    URL url = OnnxEmbeddingModel.class.getResource("/" + name);
    if (url == null) {
      throw new EmbeddingException(
          "Classpath resource " + name + " not found: add dev.langchain4j:" + model.artifact(),
          false);
    }
    URLConnection connection = url.openConnection();
    String source;
    if (connection instanceof JarURLConnection jar) {
      JarEntry entry = jar.getJarEntry();
      source = "size=" + entry.getSize() + " crc=" + Long.toHexString(entry.getCrc());
    } else {
      source =
          "size=" + connection.getContentLengthLong() + " modified=" + connection.getLastModified();
    }
    return "model="
        + name
        + " "
        + source
        + " onnxruntime="
        + environment.getVersion()
        + " level="
        + LEVEL
        + "\n";
  }

  static byte[] read(OnnxSettings.Model model, String name) {
    try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new EmbeddingException(
            "Classpath resource "
                + name
                + " not found: add dev.langchain4j:"
                + model.artifact()
                + " to the classpath",
            false);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new EmbeddingException("Could not read classpath resource " + name, false, e);
    }
  }
}
