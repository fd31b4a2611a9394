package io.docpipe.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The null-safety check is on: a snippet compiled with the flags the root pom gives every module's
 * main code (read from the pom, not copied) fails on a nullable dereference in a
 * {@code @NullMarked} package, and compiles once the code checks for null.
 */
class NullAwayBitesTest {

  private static final String PACKAGE_INFO =
      "@org.jspecify.annotations.NullMarked\npackage snippet;\n";

  private static final String IMPORTS =
      "package snippet;\n\nimport org.jspecify.annotations.Nullable;\n\n";

  /** A class whose {@code find} may answer null; each test adds a caller. */
  private static final String LOOKUP =
      """
      class Lookup {
        static @Nullable String find(String key) {
          return key.isEmpty() ? null : key;
        }

      """;

  @Test
  void aNullableDereference_failsTheCompile_naming_NullAway(@TempDir Path out) {
    var errors = compileLookupWith(out, "return find(key).length();");

    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst().getMessage(Locale.ROOT))
        .contains("[NullAway]")
        .contains("dereferenced expression 'find(key)' is @Nullable");
  }

  @Test
  void theSameCode_checkingForNull_compiles(@TempDir Path out) {
    var errors =
        compileLookupWith(
            out, "String found = find(key); return found == null ? 0 : found.length();");

    assertThat(errors).isEmpty();
  }

  /** The compiler arguments of the root pom's {@code default-compile} execution. */
  static List<String> nullAwayFlags() {
    String pom;
    try {
      // Tests run in core/; the root pom is beside it.
      pom = Files.readString(Path.of("").toAbsolutePath().resolveSibling("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int execution = pom.indexOf("<id>default-compile</id>");
    assertThat(execution).as("the root pom's default-compile execution").isPositive();
    String args = pom.substring(execution, pom.indexOf("</compilerArgs>", execution));
    List<String> flags = new ArrayList<>();
    Matcher m = Pattern.compile("<arg>([^<]+)</arg>").matcher(args);
    while (m.find()) {
      flags.add(m.group(1).strip());
    }
    assertThat(flags).anyMatch(f -> f.startsWith("-Xplugin:ErrorProne"));
    return flags;
  }

  /** {@link #LOOKUP} with a method {@code int length(String key)} of {@code body}. */
  private static List<Diagnostic<? extends JavaFileObject>> compileLookupWith(
      Path out, String body) {
    return compile(out, LOOKUP + "  static int length(String key) {\n    " + body + "\n  }\n}\n");
  }

  private static List<Diagnostic<? extends JavaFileObject>> compile(Path out, String body) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options = new ArrayList<>(nullAwayFlags());
    options.addAll(
        List.of(
            "-d",
            out.toString(),
            "-classpath",
            System.getProperty("java.class.path"),
            // Error Prone finds NullAway as a plug-in check on the processor path, as in the build.
            "-processorpath",
            System.getProperty("java.class.path")));
    List<JavaFileObject> sources =
        List.of(source("package-info", PACKAGE_INFO), source("Lookup", IMPORTS + body));
    StringWriter log = new StringWriter();
    javac.getTask(log, null, diagnostics, options, null, sources).call();
    assertThat(log.toString()).as("javac's own output").doesNotContain("exception has occurred");
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .toList();
  }

  private static JavaFileObject source(String name, String text) {
    return new SimpleJavaFileObject(
        URI.create("string:///snippet/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }
}
