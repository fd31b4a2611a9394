package io.docpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * An adapter's entry point: a type listed for its package in {@code listed} (the types its
   * package-info names and the types their public signatures expose), a Dagger {@code @Module} or
   * {@code @Component}, a class with {@code public static void main(String[])} (a process entry),
   * or a class the AWS Lambda runtime instantiates by name (a {@code RequestHandler} or {@code
   * RequestStreamHandler}).
   */
  static DescribedPredicate<JavaClass> entryPoints(Map<String, Set<String>> listed) {
    return DescribedPredicate.describe(
        "entry points",
        c ->
            listed.getOrDefault(c.getPackageName(), Set.of()).contains(c.getSimpleName())
                || c.isAnnotatedWith("dagger.Module")
                || c.isAnnotatedWith("dagger.Component")
                || hasMain(c)
                || c.isAssignableTo("com.amazonaws.services.lambda.runtime.RequestHandler")
                || c.isAssignableTo("com.amazonaws.services.lambda.runtime.RequestStreamHandler"));
  }

  private static boolean hasMain(JavaClass c) {
    return c.getMethods().stream()
        .anyMatch(
            m ->
                m.getName().equals("main")
                    && m.getModifiers()
                        .containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC))
                    && m.getRawParameterTypes().size() == 1
                    && m.getRawParameterTypes().getFirst().getName().equals("[Ljava.lang.String;"));
  }

  /**
   * Top-level classes of driven adapters and runtimes are package-private unless they are {@link
   * #entryPoints entry points}. (A public nested type of an entry point is part of its API.)
   */
  static ArchRule adapterImplementationsArePackagePrivate(
      Layout l, Map<String, Set<String>> listed) {
    List<String> packages = new ArrayList<>();
    l.drivenAdapters().forEach(a -> packages.add(a + ".."));
    l.drivingAdapters().forEach(a -> packages.add(a + ".."));
    return classes()
        .that()
        .resideInAnyPackage(packages.toArray(String[]::new))
        .and()
        .areTopLevelClasses()
        .and()
        // Dagger writes its factories public; generated code is not ours to shape.
        .areNotAnnotatedWith("dagger.internal.DaggerGenerated")
        .and(DescribedPredicate.not(entryPoints(listed)))
        .should()
        .notBePublic()
        .because(
            "an adapter is used through its entry points only; a public implementation class"
                + " invites a runtime or another module to bypass them, and its tests live in its"
                + " own package anyway")
        .allowEmptyShould(true);
  }
}
