package io.docpipe.architecture;

import io.docpipe.architecture.ModuleRules.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * docpipe's modules as the root {@code pom.xml} lists them, each with its package (derived from its
 * sources) and its part in the hexagon. Nothing else lists the modules, so a new module is held to
 * the rules the moment it joins the reactor: under {@code adapters/} it is a driven adapter unless
 * {@link #PARTS} says otherwise.
 */
final class Modules {

  /** A module's part in the hexagon. */
  enum Part {
    CORE,
    /** A driven adapter: implements core ports for one technology. */
    DRIVEN,
    /** A runtime (driving adapter): a process that runs use cases. */
    RUNTIME,
    /** A library the runtimes share (the HTTP API). */
    SHARED,
    WIRING,
    /** Test kits, the local harness and its stand-ins, benchmarks: not part of the product. */
    TOOLING
  }

  /**
   * The parts that a module's folder does not tell: every other {@code adapters/*} is {@link
   * Part#DRIVEN}, every other folder {@link Part#TOOLING}.
   */
  static final Map<String, Part> PARTS =
      Map.of(
          "core", Part.CORE,
          "wiring", Part.WIRING,
          "adapters/http-api", Part.SHARED,
          "cli", Part.RUNTIME,
          "adapters/lambda", Part.RUNTIME,
          "adapters/fargate", Part.RUNTIME,
          "adapters/gke", Part.RUNTIME);

  /** One module of the reactor that has main sources. */
  record Module(String dir, String pkg, Part part) {}

  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

  private Modules() {}

  /** The checkout root: this module's parent folder. */
  static Path root() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (root == null || !Files.isRegularFile(root.resolve("core/pom.xml"))) {
      throw new IllegalStateException("run from architecture-tests/ inside the checkout");
    }
    return root;
  }

  /** The reactor's modules with main sources, in the root pom's order. */
  static List<Module> read(Path root) {
    String pom;
    try {
      pom = Files.readString(root.resolve("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Module> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(pom);
    while (m.find()) {
      String dir = m.group(1);
      Path sources = root.resolve(dir).resolve("src/main/java");
      if (Files.isDirectory(sources)) {
        modules.add(new Module(dir, basePackage(sources), partOf(dir)));
      }
    }
    return modules;
  }

  static Part partOf(String dir) {
    Part part = PARTS.get(dir);
    if (part != null) {
      return part;
    }
    return dir.startsWith("adapters/") ? Part.DRIVEN : Part.TOOLING;
  }

  /** The hexagon's layout over the modules' packages. */
  static Layout layout(List<Module> modules) {
    return new Layout(
        only(modules, Part.CORE).getFirst(),
        only(modules, Part.DRIVEN),
        only(modules, Part.RUNTIME),
        only(modules, Part.WIRING).getFirst(),
        only(modules, Part.SHARED));
  }

  static List<String> only(List<Module> modules, Part part) {
    return modules.stream().filter(m -> m.part() == part).map(Module::pkg).toList();
  }

  /** The longest package that every source file's package lies in (their common prefix). */
  static String basePackage(Path sources) {
    try (Stream<Path> files = Files.walk(sources)) {
      List<String[]> packages =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .map(f -> sources.relativize(f).getParent())
              .filter(p -> p != null)
              .map(p -> p.toString().split(Pattern.quote(sources.getFileSystem().getSeparator())))
              .toList();
      if (packages.isEmpty()) {
        throw new IllegalStateException(sources + " holds no Java source in a package");
      }
      List<String> base = new ArrayList<>(List.of(packages.getFirst()));
      for (String[] p : packages) {
        int common = 0;
        while (common < base.size() && common < p.length && base.get(common).equals(p[common])) {
          common++;
        }
        base.subList(common, base.size()).clear();
      }
      if (base.size() < 2) {
        throw new IllegalStateException(sources + " has no common base package");
      }
      return String.join(".", base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
