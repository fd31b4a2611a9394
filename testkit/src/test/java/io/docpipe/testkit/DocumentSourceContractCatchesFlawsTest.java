package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The document source kit passes a correct in-memory source and fails each deliberately flawed one
 * on the checks that name its flaw: the kit's tests can fail.
 */
class DocumentSourceContractCatchesFlawsTest {

  /** The configuration parameter naming the {@link Flaw} of the source the kit runs against. */
  private static final String FLAW = "docpipe.testkit.flawed-source";

  @Test
  void aCorrectSource_passesEveryCheck() {
    TestExecutionSummary summary = run(Flaw.NONE);

    assertThat(failedTests(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(10);
  }

  @Test
  void aSourceIgnoringMaxBytes_failsTheSizeChecks() {
    assertThat(failedTests(run(Flaw.IGNORES_MAX_BYTES)))
        .containsExactlyInAnyOrder(
            "fetch_ofADocumentLargerThanMaxBytes_failsTooLarge",
            "fetch_ofAMultiMegabyteDocument_returnsTheExactBytes");
  }

  @Test
  void aSourceDroppingTheRefsMetadata_failsTheMetadataCheck() {
    assertThat(failedTests(run(Flaw.DROPS_METADATA)))
        .containsExactly("fetch_returnsTheExactBytes_theRefsIdAndItsMetadata");
  }

  @Test
  void aSourceCallingMissingDocumentsUnavailable_failsTheNotFoundChecks() {
    assertThat(failedTests(run(Flaw.MISSING_IS_UNAVAILABLE)))
        .containsExactlyInAnyOrder(
            "fetch_ofARemovedDocument_failsNotFound",
            "fetch_ofADocumentThatNeverExisted_failsNotFound");
  }

  @Test
  void aSourceTruncatingLargeDocuments_failsTheLargeDocumentCheck() {
    assertThat(failedTests(run(Flaw.TRUNCATES)))
        .containsExactly("fetch_ofAMultiMegabyteDocument_returnsTheExactBytes");
  }

  /** The kit's run against a source with {@code flaw}. */
  private static TestExecutionSummary run(Flaw flaw) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(MemorySourceContract.class))
            .configurationParameter(FLAW, flaw.name())
            .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  private static java.util.Set<String> failedTests(TestExecutionSummary summary) {
    return summary.getFailures().stream()
        .map(failure -> failure.getTestIdentifier().getDisplayName().replace("()", ""))
        .collect(Collectors.toSet());
  }

  /**
   * The flawed sources run only when launched by this test, never on their own; each kit instance
   * gets the flaw the launch names.
   */
  static final class LaunchedWithAFlaw implements ExecutionCondition, TestInstancePostProcessor {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(FLAW).isPresent()
          ? ConditionEvaluationResult.enabled("launched by DocumentSourceContractCatchesFlawsTest")
          : ConditionEvaluationResult.disabled("run by DocumentSourceContractCatchesFlawsTest");
    }

    @Override
    public void postProcessTestInstance(Object kit, ExtensionContext context) {
      ((MemorySourceContract) kit).flaw =
          Flaw.valueOf(context.getConfigurationParameter(FLAW).orElseThrow());
    }
  }

  enum Flaw {
    NONE,
    IGNORES_MAX_BYTES,
    DROPS_METADATA,
    MISSING_IS_UNAVAILABLE,
    TRUNCATES
  }

  /** Documents in a map, addressed as {@code mem:<id>}; other schemes are refused. */
  record MemorySource(Map<String, byte[]> documents, Flaw flaw) implements DocumentSource {
    @Override
    public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
      if (!"mem".equals(ref.location().getScheme())) {
        throw new SourceException(FailureReason.INVALID_INPUT, "not a mem: location");
      }
      byte[] bytes = documents.get(ref.location().getSchemeSpecificPart());
      if (bytes == null) {
        throw new SourceException(
            flaw == Flaw.MISSING_IS_UNAVAILABLE
                ? FailureReason.SOURCE_UNAVAILABLE
                : FailureReason.NOT_FOUND,
            ref.location() + " does not exist");
      }
      if (bytes.length > maxBytes && flaw != Flaw.IGNORES_MAX_BYTES) {
        throw new SourceException(FailureReason.TOO_LARGE, ref.location() + " is too large");
      }
      if (flaw == Flaw.TRUNCATES) {
        bytes = Arrays.copyOf(bytes, Math.min(bytes.length, 1 << 20));
      }
      return new Document(
          ref.id(),
          ref.location(),
          "application/octet-stream",
          flaw == Flaw.DROPS_METADATA ? Map.of() : ref.metadata(),
          Content.of(bytes));
    }
  }

  @ExtendWith(LaunchedWithAFlaw.class)
  static final class MemorySourceContract extends DocumentSourceContract {
    private Flaw flaw = Flaw.NONE;

    @Override
    protected SourceUnderTest givenSource(Map<String, byte[]> documentsById) {
      Map<String, byte[]> documents = new ConcurrentHashMap<>(documentsById);
      return new SourceUnderTest(
          new MemorySource(documents, flaw),
          id -> new DocumentRef(id, location(id.value()), Map.of("team", "docs"), null),
          id -> documents.remove(id.value()));
    }

    @Override
    protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
      DocumentRef ref = source.ref("present.txt");
      return Optional.of(
          new DocumentRef(ref.id(), URI.create("file:///etc/passwd"), Map.of(), null));
    }

    private static URI location(String id) {
      try {
        return new URI("mem", id, null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }
}
