package io.docpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.docpipe.architecture.ModuleRules.Layout;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The hexagon across docpipe's modules, and proof on a broken fixture that the rules bite. */
class ModuleArchitectureTest {

  /** Every module's package; a new adapter must be added here to be held to the rules. */
  static final Layout DOCPIPE =
      new Layout(
          "io.docpipe.core",
          List.of(
              "io.docpipe.files",
              "io.docpipe.onnx",
              "io.docpipe.lucene",
              "io.docpipe.openai",
              "io.docpipe.s3",
              "io.docpipe.http",
              "io.docpipe.documents",
              "io.docpipe.qdrant",
              "io.docpipe.kubernetes"),
          List.of("io.docpipe.cli", "io.docpipe.lambda", "io.docpipe.gke", "io.docpipe.fargate"),
          "io.docpipe.wiring",
          List.of("io.docpipe.api"));

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.docpipe");

  @Nested
  class Docpipe {
    @Test
    void seesEveryModule() {
      for (String pkg :
          List.of(
              "io.docpipe.core",
              "io.docpipe.files",
              "io.docpipe.onnx",
              "io.docpipe.lucene",
              "io.docpipe.openai",
              "io.docpipe.s3",
              "io.docpipe.http",
              "io.docpipe.documents",
              "io.docpipe.qdrant",
              "io.docpipe.kubernetes",
              "io.docpipe.gke",
              "io.docpipe.api",
              "io.docpipe.wiring",
              "io.docpipe.cli",
              "io.docpipe.lambda",
              "io.docpipe.fargate",
              "io.docpipe.harness")) {
        assertThat(CLASSES.containPackage(pkg)).as(pkg).isTrue();
      }
    }

    @Test
    void drivenAdaptersAreIndependent() {
      ModuleRules.drivenAdaptersAreIndependent(DOCPIPE).check(CLASSES);
    }

    @Test
    void drivingAdaptersUseOnlyCoreAndWiring() {
      ModuleRules.drivingAdaptersUseOnlyCoreAndWiring(DOCPIPE).check(CLASSES);
    }

    @Test
    void sharedLibrariesDependOnCoreOnly() {
      ModuleRules.sharedLibrariesDependOnCoreOnly(DOCPIPE).check(CLASSES);
    }

    @Test
    void coreDependsOnNoOtherModule() {
      ModuleRules.coreDependsOnNoOtherModule(DOCPIPE).check(CLASSES);
    }

    @Test
    void onlyTheCommandLineWritesToStandardStreams() {
      ModuleRules.onlyTheCommandLineWritesToStandardStreams(DOCPIPE, "io.docpipe.cli")
          .check(CLASSES);
    }

    @Test
    void theCrossRuntimeHarness_startsTheRuntimesWithoutUsingTheirClasses() {
      noClasses()
          .that()
          .resideInAPackage("io.docpipe.harness..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.docpipe.lambda..", "io.docpipe.fargate..", "io.docpipe.gke..")
          .because(
              "the harness runs each runtime as production does, a JVM of its own started by main"
                  + " class; a shortcut into a runtime's classes would test something else")
          .check(CLASSES);
    }

    @Test
    void noFieldInjection() {
      ModuleRules.noFieldInjection().check(CLASSES);
    }
  }

  /**
   * {@code io.docpipe.archfixture}: adapter alpha uses adapter beta, the runtime uses alpha
   * directly.
   */
  @Nested
  class TheRulesBite {
    final Layout fixture =
        new Layout(
            "io.docpipe.archfixture.core",
            List.of("io.docpipe.archfixture.alpha", "io.docpipe.archfixture.beta"),
            List.of("io.docpipe.archfixture.driving"),
            "io.docpipe.archfixture.wiring",
            List.of("io.docpipe.archfixture.shared"));
    final JavaClasses classes = new ClassFileImporter().importPackages("io.docpipe.archfixture");

    @Test
    void anAdapterUsingAnotherAdaptersClass_isReported() {
      EvaluationResult result = ModuleRules.drivenAdaptersAreIndependent(fixture).evaluate(classes);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString())
          .contains("AlphaStore")
          .contains("BetaClient")
          .contains("driven adapters depend on the core only");
    }

    @Test
    void aRuntimeUsingAnAdapterDirectly_isReported() {
      EvaluationResult result =
          ModuleRules.drivingAdaptersUseOnlyCoreAndWiring(fixture).evaluate(classes);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString())
          .contains("Handler")
          .contains("depend on the core and the wiring only");
    }

    @Test
    void aSharedLibraryUsingAnAdapter_isReported() {
      EvaluationResult result =
          ModuleRules.sharedLibrariesDependOnCoreOnly(fixture).evaluate(classes);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString()).contains("SharedSchema");
    }

    @Test
    void printingOutsideTheCommandLine_isReported() {
      EvaluationResult result =
          ModuleRules.onlyTheCommandLineWritesToStandardStreams(
                  fixture, "io.docpipe.archfixture.cli")
              .evaluate(classes);
      assertThat(result.hasViolation()).isTrue();
    }
  }
}
