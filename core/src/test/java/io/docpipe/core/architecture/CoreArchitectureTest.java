package io.docpipe.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The core's layer rules, and proof on a broken fixture that each of them reports a violation. */
class CoreArchitectureTest {

  private static final String CORE = "io.docpipe.core";
  private static final JavaClasses CORE_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(CORE);

  private static final List<Function<String, ArchRule>> RULES =
      List.of(
          CoreRules::dependsOnlyOnTheJdkAndJSpecify,
          CoreRules::modelDependsOnNothingElseInTheCore,
          CoreRules::portsDoNotDependOnServices,
          CoreRules::servicesReachTheOutsideOnlyThroughPorts,
          CoreRules::incomingPortsAreInterfacesOrValues,
          CoreRules::noStandardStreams,
          CoreRules::noJavaUtilLogging,
          CoreRules::noPackageCycles);

  @Nested
  class TheCore {
    @Test
    void importsTheProductionClasses() {
      assertThat(CORE_CLASSES.size()).isGreaterThan(40);
    }

    @Test
    void dependsOnlyOnTheJdkAndJSpecify() {
      CoreRules.dependsOnlyOnTheJdkAndJSpecify(CORE).check(CORE_CLASSES);
    }

    @Test
    void keepsTheModelFreeOfUseCasesAndPorts() {
      CoreRules.modelDependsOnNothingElseInTheCore(CORE).check(CORE_CLASSES);
    }

    @Test
    void keepsPortsFreeOfImplementations() {
      CoreRules.portsDoNotDependOnServices(CORE).check(CORE_CLASSES);
    }

    @Test
    void reachesTheOutsideOnlyThroughPorts() {
      CoreRules.servicesReachTheOutsideOnlyThroughPorts(CORE).check(CORE_CLASSES);
    }

    @Test
    void exposesUseCasesAsInterfacesAndValues() {
      CoreRules.incomingPortsAreInterfacesOrValues(CORE).check(CORE_CLASSES);
    }

    @Test
    void neverWritesToStandardStreams() {
      CoreRules.noStandardStreams(CORE).check(CORE_CLASSES);
    }

    @Test
    void logsOnlyThroughSystemLogger() {
      CoreRules.noJavaUtilLogging(CORE).check(CORE_CLASSES);
    }

    @Test
    void hasNoPackageCycles() {
      CoreRules.noPackageCycles(CORE).check(CORE_CLASSES);
    }
  }

  /**
   * {@code io.docpipe.archfixture.core} breaks the rules on purpose: a model class that uses a
   * service, a class that prints to System.out, a dependency on a library. Each rule must say so.
   */
  @Nested
  class TheRulesBite {
    private static final String FIXTURE = "io.docpipe.archfixture.core";
    private final JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);

    private EvaluationResult evaluate(Function<String, ArchRule> rule) {
      return rule.apply(FIXTURE).evaluate(fixture);
    }

    @Test
    void aModelClassUsingAService_isReported() {
      EvaluationResult result = evaluate(CoreRules::modelDependsOnNothingElseInTheCore);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString())
          .contains("ModelUsingAService")
          .contains("the model is the innermost ring");
    }

    @Test
    void writingToSystemOut_isReported() {
      EvaluationResult result = evaluate(CoreRules::noStandardStreams);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString())
          .contains("ServicePrinting")
          .contains("System.out");
    }

    @Test
    void aFrameworkDependency_isReported() {
      EvaluationResult result = evaluate(CoreRules::dependsOnlyOnTheJdkAndJSpecify);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString()).contains("org.junit");
    }

    @Test
    void aServiceUsingSomethingOtherThanAPort_isReported() {
      EvaluationResult result = evaluate(CoreRules::servicesReachTheOutsideOnlyThroughPorts);
      assertThat(result.hasViolation()).isTrue();
    }

    @Test
    void aPackageCycle_isReported() {
      assertThat(evaluate(CoreRules::noPackageCycles).hasViolation()).isTrue();
    }
  }
}
