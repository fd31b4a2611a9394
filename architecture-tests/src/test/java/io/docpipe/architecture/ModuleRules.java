package io.docpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The hexagon across modules, over a {@link Layout} of packages, so the same rules check docpipe
 * and a deliberately broken fixture.
 */
final class ModuleRules {

  private ModuleRules() {}

  /**
   * Which packages play which part. {@code shared} are libraries for driving adapters (the HTTP API
   * schema): they depend on the core only, and only driving adapters use them.
   */
  record Layout(
      String core,
      List<String> drivenAdapters,
      List<String> drivingAdapters,
      String wiring,
      List<String> shared) {}

  static ArchRule drivenAdaptersAreIndependent(Layout l) {
    List<ArchRule> rules = new ArrayList<>();
    for (String adapter : l.drivenAdapters()) {
      List<String> forbidden = new ArrayList<>();
      l.drivenAdapters().stream()
          .filter(a -> !a.equals(adapter))
          .forEach(a -> forbidden.add(a + ".."));
      l.drivingAdapters().forEach(a -> forbidden.add(a + ".."));
      l.shared().forEach(a -> forbidden.add(a + ".."));
      forbidden.add(l.wiring() + "..");
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(adapter + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(forbidden.toArray(String[]::new))
              .because(
                  "a driven adapter implements ports for one technology; it never uses another adapter, a runtime or the wiring"));
    }
    return CompositeArchRule.of(rules).as("driven adapters depend on the core only");
  }

  static ArchRule drivingAdaptersUseOnlyCoreAndWiring(Layout l) {
    List<ArchRule> rules = new ArrayList<>();
    for (String runtime : l.drivingAdapters()) {
      List<String> forbidden = new ArrayList<>();
      l.drivingAdapters().stream()
          .filter(a -> !a.equals(runtime))
          .forEach(a -> forbidden.add(a + ".."));
      l.drivenAdapters().forEach(a -> forbidden.add(a + ".."));
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(runtime + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(forbidden.toArray(String[]::new))
              .because(
                  "a runtime reaches adapters only through wiring/, so swapping an adapter never touches a runtime"));
    }
    return CompositeArchRule.of(rules)
        .as("driving adapters depend on the core and the wiring only");
  }

  static ArchRule sharedLibrariesDependOnCoreOnly(Layout l) {
    List<String> forbidden = new ArrayList<>();
    l.drivenAdapters().forEach(a -> forbidden.add(a + ".."));
    l.drivingAdapters().forEach(a -> forbidden.add(a + ".."));
    forbidden.add(l.wiring() + "..");
    List<ArchRule> rules = new ArrayList<>();
    for (String shared : l.shared()) {
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(shared + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(forbidden.toArray(String[]::new))
              .because(
                  "a shared library (the HTTP API) speaks in core types only, so every runtime can use it"));
    }
    return CompositeArchRule.of(rules).as("shared libraries depend on the core only");
  }

  static ArchRule coreDependsOnNoOtherModule(Layout l) {
    List<String> forbidden = new ArrayList<>();
    l.shared().forEach(a -> forbidden.add(a + ".."));
    l.drivenAdapters().forEach(a -> forbidden.add(a + ".."));
    l.drivingAdapters().forEach(a -> forbidden.add(a + ".."));
    forbidden.add(l.wiring() + "..");
    return noClasses()
        .that()
        .resideInAPackage(l.core() + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .because("the core is the centre of the hexagon (ADR 0001)");
  }

  static ArchRule onlyTheCommandLineWritesToStandardStreams(Layout l, String commandLine) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(commandLine + "..")
        .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
        .because(
            "libraries and services log through System.Logger; only the CLI talks to a terminal");
  }

  static ArchRule noFieldInjection() {
    return GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.because(
        "constructor injection and Dagger provision methods keep objects complete and testable");
  }
}
