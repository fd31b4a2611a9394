package io.docpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runtimes reach the store and the model only through use cases (ports in). */
class RuntimesUseCasesTest {

  static final List<String> RUNTIMES =
      List.of(
          "io.docpipe.fargate..", "io.docpipe.lambda..", "io.docpipe.gke..", "io.docpipe.cli..");

  /**
   * The Dagger graph itself is exempt: a component interface may expose a port for tests to inspect
   * the index, and Dagger's generated code builds the use cases from the ports. The code that
   * serves a request, an event or a shard may not.
   */
  static ArchRule runtimesReachTheStoreAndTheModelOnlyThroughUseCases(List<String> runtimes) {
    return noClasses()
        .that()
        .resideInAnyPackage(runtimes.toArray(String[]::new))
        .and()
        .areNotAnnotatedWith(dagger.Component.class)
        .and()
        .areNotAnnotatedWith(dagger.internal.DaggerGenerated.class)
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(VectorStore.class, EmbeddingModel.class)
        .because(
            "a runtime translates its transport into use cases (DescribeIndex for stats and"
                + " readiness, SearchDocuments, IngestDocuments, ...); a runtime that calls the"
                + " store or the model itself has logic the other runtimes lack");
  }

  @Test
  void runtimesReachTheStoreAndTheModelOnlyThroughUseCases() {
    runtimesReachTheStoreAndTheModelOnlyThroughUseCases(RUNTIMES)
        .check(ModuleArchitectureTest.CLASSES);
  }

  @Test
  void theRuleSeesTheRuntimes_andTheirGeneratedComponentsAreExemptNotMissing() {
    for (String component :
        List.of(
            "io.docpipe.fargate.DaggerFargateComponent",
            "io.docpipe.lambda.DaggerLambdaComponent",
            "io.docpipe.gke.DaggerGkeComponent",
            "io.docpipe.cli.DaggerCliComponent")) {
      JavaClass generated = ModuleArchitectureTest.CLASSES.get(component);
      assertThat(generated.isAnnotatedWith(dagger.internal.DaggerGenerated.class))
          .as(component)
          .isTrue();
    }
  }

  @Test
  void aRuntimeCallingTheStore_isReported() {
    EvaluationResult result =
        runtimesReachTheStoreAndTheModelOnlyThroughUseCases(
                List.of("io.docpipe.archfixture.runtime.."))
            .evaluate(new ClassFileImporter().importPackages("io.docpipe.archfixture.runtime"));
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("StatsPage").contains("VectorStore");
  }
}
