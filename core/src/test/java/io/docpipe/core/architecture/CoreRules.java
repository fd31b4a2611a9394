package io.docpipe.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The core's boundaries as ArchUnit rules over a root package, so the same rules check the real
 * core ({@code io.docpipe.core}) and a deliberately broken fixture that proves they bite.
 */
final class CoreRules {

  private CoreRules() {}

  static ArchRule dependsOnlyOnTheJdkAndJSpecify(String root) {
    return classes()
        .that()
        .resideInAPackage(root + "..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jspecify..", root + "..")
        .because(
            "the core must run anywhere: no framework, no DI, no JSON, no logging library (ADR 0001)");
  }

  static ArchRule modelDependsOnNothingElseInTheCore(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".port..", root + ".service..", root + ".chunking..")
        .because("the model is the innermost ring: values that know no use case or port");
  }

  static ArchRule portsDoNotDependOnServices(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".port..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(root + ".service..")
        .because("ports are contracts; implementations depend on them, never the other way round");
  }

  static ArchRule servicesReachTheOutsideOnlyThroughPorts(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".service..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "org.jspecify..",
            root + ".model..",
            root + ".port..",
            root + ".chunking..",
            root + ".service..")
        .because("use cases reach the outside world only through ports (ADR 0001)");
  }

  static ArchRule incomingPortsAreInterfacesOrValues(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".port.in..")
        .should()
        .beInterfaces()
        .orShould()
        .beRecords()
        .orShould()
        .beEnums()
        .because("ports in are one interface per use case with command and report records");
  }

  static ArchRule noStandardStreams(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
        .because(
            "the core logs through System.Logger; writing to stdout breaks Lambda and JSON logs");
  }

  static ArchRule noJavaUtilLogging(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
        .because("the core logs through System.Logger so the runtime picks the backend");
  }

  static ArchRule noPackageCycles(String root) {
    return slices()
        .matching(root + ".(**)")
        .should()
        .beFreeOfCycles()
        .because("package cycles make the layers meaningless");
  }
}
