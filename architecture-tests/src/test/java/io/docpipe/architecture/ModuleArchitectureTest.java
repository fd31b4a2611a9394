package io.docpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.docpipe.architecture.ModuleRules.Layout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The hexagon across docpipe's modules, and proof on a broken fixture that the rules bite. */
class ModuleArchitectureTest {

  /** The reactor's modules, read from the root pom: the one list of them (see {@link Modules}). */
  static final List<Modules.Module> MODULES = Modules.read(Modules.root());

  static final Layout DOCPIPE = Modules.layout(MODULES);

  /**
   * The public types each adapter and runtime package offers besides those {@link
   * ModuleRules#entryPoints} recognises by shape (Dagger modules and components, {@code main}
   * classes, Lambda handlers): the entry types its package-info names and the types their public
   * signatures expose. Everything else in those packages is package-private.
   */
  static final Map<String, Set<String>> ENTRY_POINTS =
      Map.ofEntries(
          Map.entry("io.docpipe.files", Set.of("LocalFiles", "LocalCorpus")),
          Map.entry("io.docpipe.documents", Set.of("Documents", "DocumentLimits")),
          Map.entry("io.docpipe.tika", Set.of("TikaExtraction", "TikaSettings")),
          Map.entry("io.docpipe.onnx", Set.of("OnnxEmbeddingModel", "OnnxSettings")),
          Map.entry("io.docpipe.lucene", Set.of("LuceneVectorStores")),
          Map.entry("io.docpipe.openai", Set.of("OpenAiEmbeddingModel", "OpenAiSettings")),
          Map.entry("io.docpipe.qdrant", Set.of("QdrantVectorStores", "QdrantSettings")),
          // AwsSecretStore: the runtimes' reader of secrets by ARN, used through wiring (ADR 0025).
          Map.entry(
              "io.docpipe.s3", Set.of("S3Sources", "S3Settings", "S3Corpus", "AwsSecretStore")),
          // HostResolver: the DNS seam HttpSourceSettings takes (tests pin addresses with it).
          Map.entry("io.docpipe.http", Set.of("HttpSources", "HttpSourceSettings", "HostResolver")),
          Map.entry(
              "io.docpipe.kubernetes",
              Set.of("KubernetesCluster", "KubernetesSettings", "JobEvents", "JobRef")),
          Map.entry(
              "io.docpipe.fargate",
              Set.of(
                  // java.util.logging instantiates it by name (-Djava.util.logging.manager).
                  "ShutdownLogManager")));

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.docpipe");

  @Nested
  class Docpipe {
    /**
     * Every product module (tooling such as test kits and benchmarks is not held to the hexagon).
     */
    @Test
    void seesEveryProductModule() {
      assertThat(MODULES).extracting(Modules.Module::dir).contains("core", "wiring", "cli");
      for (Modules.Module module : MODULES) {
        if (module.part() == Modules.Part.TOOLING) {
          continue;
        }
        assertThat(CLASSES.containPackage(module.pkg()))
            .as(module.dir() + " (" + module.pkg() + "): add it to this module's test dependencies")
            .isTrue();
      }
    }

    @Test
    void everyListedEntryPoint_isAPublicTypeOfAnAdapter() {
      List<String> adapters = new java.util.ArrayList<>(DOCPIPE.drivenAdapters());
      adapters.addAll(DOCPIPE.drivingAdapters());
      assertThat(adapters).containsAll(ENTRY_POINTS.keySet());
      ENTRY_POINTS.forEach(
          (pkg, names) ->
              names.forEach(
                  name ->
                      assertThat(CLASSES.get(pkg + "." + name).getModifiers())
                          .as(pkg + "." + name)
                          .contains(JavaModifier.PUBLIC)));
    }

    @Test
    void adapterImplementationsArePackagePrivate() {
      ModuleRules.adapterImplementationsArePackagePrivate(DOCPIPE, ENTRY_POINTS).check(CLASSES);
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
      assertThat(CLASSES.containPackage("io.docpipe.harness"))
          .as("the harness is imported")
          .isTrue();
      noClasses()
          .that()
          .resideInAPackage("io.docpipe.harness..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              DOCPIPE.drivingAdapters().stream()
                  // The harness is itself a command: it shares the CLI's terminal set-up.
                  .filter(p -> !p.equals("io.docpipe.cli"))
                  .map(p -> p + "..")
                  .toArray(String[]::new))
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

    @Test
    void aPublicAdapterClassThatIsNoEntryPoint_isReported() {
      EvaluationResult result =
          ModuleRules.adapterImplementationsArePackagePrivate(
                  fixture, Map.of("io.docpipe.archfixture.alpha", Set.of("AlphaStore")))
              .evaluate(classes);
      assertThat(result.hasViolation()).isTrue();
      assertThat(result.getFailureReport().toString())
          .contains("BetaClient")
          .doesNotContain("AlphaStore")
          .contains("used through its entry points only");
    }
  }
}
