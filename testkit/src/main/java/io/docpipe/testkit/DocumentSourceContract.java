package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link DocumentSource}: exact bytes, the ref's id and metadata kept, the size
 * limit, documents that are gone or never were, concurrent fetches.
 *
 * <p>To run it against your source, extend this class and implement {@link #givenSource}: store the
 * given documents where your source reads from and return a {@link SourceUnderTest} holding the
 * source, the {@link DocumentRef} a listing or an event would hand over for an id, and a way to
 * delete one document behind the source's back. Each call must give an independent source. Override
 * {@link #refusedRef} if your source refuses some locations ({@code INVALID_INPUT}).
 *
 * <p>Checked: every byte value, empty and multi-megabyte documents come back exactly, with the
 * ref's id and at least its metadata; a document of exactly {@code maxBytes} is fetched, one byte
 * more fails {@link FailureReason#TOO_LARGE}; a removed document and one that never existed fail
 * {@link FailureReason#NOT_FOUND}; Unicode ids; repeated and concurrent fetches (4 threads, bounded
 * in time) give the same bytes. Random content comes from a seed printed in the failure; set {@code
 * -Ddocpipe.contract.seed=<seed>} to replay it.
 *
 * <p>Ids are relative paths every store can hold: {@code /}-separated segments in Unicode NFC, none
 * empty or starting with {@code .}, no id a "directory" of another, no two differing only in case.
 */
public abstract class DocumentSourceContract {

  /** Seed of the random contents; set {@code -Ddocpipe.contract.seed} to replay a failure. */
  protected static final long SEED = Long.getLong("docpipe.contract.seed", 20_260_101L);

  /** A generous fetch limit for documents that are meant to fit. */
  protected static final long MAX_BYTES = 1 << 20;

  /** A fetch limit for the multi-megabyte documents. */
  protected static final long LARGE_MAX_BYTES = 16 << 20;

  /** An id under which no test ever stores a document; {@link RefLookup} must still answer it. */
  protected static final DocumentId NEVER_STORED = DocumentId.of("never-stored/absent.txt");

  /** Deletes a document from the store behind the source's back. */
  @FunctionalInterface
  public interface Remover {
    void remove(DocumentId id) throws Exception;
  }

  /** The ref a listing or an event would give for a document id. */
  @FunctionalInterface
  public interface RefLookup {
    DocumentRef refFor(DocumentId id) throws Exception;
  }

  /**
   * A source under test: the source, the ref of each of its documents (and of {@link
   * #NEVER_STORED}), and how to delete one document.
   */
  public record SourceUnderTest(DocumentSource source, RefLookup refs, Remover remover) {
    public SourceUnderTest {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(refs, "refs");
      Objects.requireNonNull(remover, "remover");
    }

    /** The ref of {@code id}. */
    public DocumentRef ref(String id) throws Exception {
      DocumentRef ref = refs.refFor(DocumentId.of(id));
      assertThat(ref.id().value()).as("the ref given for %s", id).isEqualTo(id);
      return ref;
    }
  }

  /**
   * A new source holding exactly these documents, keyed by id. Called once or more per test; each
   * call must give an independent source.
   */
  protected abstract SourceUnderTest givenSource(Map<String, byte[]> documentsById)
      throws Exception;

  /**
   * A ref to a location {@code source} refuses to fetch, e.g. outside its root or a forbidden host;
   * empty (the default) skips the {@code INVALID_INPUT} check.
   */
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    return Optional.empty();
  }

  @Test
  public void fetch_returnsTheExactBytes_theRefsIdAndItsMetadata() throws Exception {
    byte[] allByteValues = new byte[256];
    for (int i = 0; i < allByteValues.length; i++) {
      allByteValues[i] = (byte) i;
    }
    Map<String, byte[]> documents = new LinkedHashMap<>();
    documents.put("bytes.bin", allByteValues);
    documents.put("empty.txt", new byte[0]);
    documents.put("docs/readme.md", "# Hello\n\nWorld\n".getBytes(StandardCharsets.UTF_8));
    SourceUnderTest source = givenSource(documents);

    for (Map.Entry<String, byte[]> expected : documents.entrySet()) {
      DocumentRef ref = source.ref(expected.getKey());
      Document document = source.source().fetch(ref, MAX_BYTES);
      assertThat(document.id()).isEqualTo(ref.id());
      assertThat(document.metadata()).containsAllEntriesOf(ref.metadata());
      assertThat(document.content().toByteArray())
          .as("bytes of %s", ref.id())
          .isEqualTo(expected.getValue());
    }
  }

  @Test
  public void fetch_ofAMultiMegabyteDocument_returnsTheExactBytes() throws Exception {
    byte[] large = randomBytes(new Random(SEED), (3 << 20) + 7);
    SourceUnderTest source = givenSource(Map.of("large.bin", large));

    Document document = source.source().fetch(source.ref("large.bin"), LARGE_MAX_BYTES);

    assertThat(document.content().toByteArray()).as("seed %d", SEED).isEqualTo(large);
    assertFailsWith(source, source.ref("large.bin"), 1024, FailureReason.TOO_LARGE);
  }

  @Test
  public void fetch_ofADocumentOfExactlyMaxBytes_succeeds() throws Exception {
    byte[] bytes = "0123456789".getBytes(StandardCharsets.US_ASCII);
    SourceUnderTest source = givenSource(Map.of("ten.txt", bytes));

    DocumentRef ref = source.ref("ten.txt");

    assertThat(source.source().fetch(ref, bytes.length).content().toByteArray()).isEqualTo(bytes);
  }

  @Test
  public void fetch_ofADocumentLargerThanMaxBytes_failsTooLarge() throws Exception {
    byte[] bytes = "0123456789".getBytes(StandardCharsets.US_ASCII);
    SourceUnderTest source = givenSource(Map.of("ten.txt", bytes));

    DocumentRef ref = source.ref("ten.txt");

    assertFailsWith(source, ref, bytes.length - 1, FailureReason.TOO_LARGE);
    assertFailsWith(source, ref, 0, FailureReason.TOO_LARGE);
  }

  @Test
  public void fetch_ofARemovedDocument_failsNotFound() throws Exception {
    SourceUnderTest source = givenSource(texts(List.of("keep.txt", "dir/gone.txt")));
    DocumentRef gone = source.ref("dir/gone.txt");

    source.remover().remove(gone.id());

    assertFailsWith(source, gone, MAX_BYTES, FailureReason.NOT_FOUND);
    assertThat(source.source().fetch(source.ref("keep.txt"), MAX_BYTES).content().toByteArray())
        .isEqualTo(texts(List.of("keep.txt")).get("keep.txt"));
  }

  @Test
  public void fetch_ofADocumentThatNeverExisted_failsNotFound() throws Exception {
    SourceUnderTest source = givenSource(texts(List.of("present.txt")));

    assertFailsWith(source, source.ref(NEVER_STORED.value()), MAX_BYTES, FailureReason.NOT_FOUND);
  }

  @Test
  public void fetch_ofARefusedLocation_failsInvalidInput_notRetriable() throws Exception {
    SourceUnderTest source = givenSource(texts(List.of("present.txt")));
    Optional<DocumentRef> refused = refusedRef(source);
    Assumptions.assumeTrue(refused.isPresent(), "this source names no location it refuses");

    assertFailsWith(source, refused.orElseThrow(), MAX_BYTES, FailureReason.INVALID_INPUT);
  }

  @Test
  public void unicodeIds_areFetchedUnchanged() throws Exception {
    Map<String, byte[]> documents =
        texts(
            List.of("ä.txt", "日本/文書.md", "\uD83D\uDE00.txt", "～.txt", "café/ñ.txt", "a b/c d.txt"));
    SourceUnderTest source = givenSource(documents);

    for (Map.Entry<String, byte[]> expected : documents.entrySet()) {
      Document document = source.source().fetch(source.ref(expected.getKey()), MAX_BYTES);
      assertThat(document.id().value()).isEqualTo(expected.getKey());
      assertThat(document.content().toByteArray())
          .as("bytes of %s", expected.getKey())
          .isEqualTo(expected.getValue());
    }
  }

  @Test
  public void repeatedFetches_returnTheSameBytes() throws Exception {
    byte[] bytes = randomBytes(new Random(SEED), 70_001);
    SourceUnderTest source = givenSource(Map.of("again.bin", bytes));
    DocumentRef ref = source.ref("again.bin");

    for (int i = 0; i < 3; i++) {
      Document document = source.source().fetch(ref, MAX_BYTES);
      assertThat(document.content().toByteArray())
          .as("fetch %d, seed %d", i, SEED)
          .isEqualTo(bytes);
      assertThat(document.content().toByteArray()).as("read twice").isEqualTo(bytes);
    }
  }

  @Test
  public void concurrentFetches_allReturnTheExactBytes() throws Exception {
    Random random = new Random(SEED);
    Map<String, byte[]> documents = new TreeMap<>();
    for (int i = 0; i < 16; i++) {
      documents.put("concurrent/doc-" + i + ".bin", randomBytes(random, random.nextInt(200_000)));
    }
    SourceUnderTest source = givenSource(documents);
    Map<String, DocumentRef> refs = new TreeMap<>();
    for (String id : documents.keySet()) {
      refs.put(id, source.ref(id));
    }

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String id : documents.keySet()) {
          results.add(
              pool.submit(
                  () ->
                      java.util.Arrays.equals(
                          source
                              .source()
                              .fetch(java.util.Objects.requireNonNull(refs.get(id)), MAX_BYTES)
                              .content()
                              .toByteArray(),
                          documents.get(id))));
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (Future<Boolean> result : results) {
        long left = Math.max(1, deadline - System.nanoTime());
        assertThat(result.get(left, TimeUnit.NANOSECONDS))
            .as("a concurrent fetch returned the exact bytes (seed %d)", SEED)
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertFailsWith(
      SourceUnderTest source, DocumentRef ref, long maxBytes, FailureReason reason) {
    assertThatThrownBy(() -> source.source().fetch(ref, maxBytes))
        .as("fetch %s with maxBytes %d", ref.id(), maxBytes)
        .isInstanceOfSatisfying(
            SourceException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  /** Each id mapped to a small distinct UTF-8 text, in a stable order. */
  protected static Map<String, byte[]> texts(List<String> ids) {
    Map<String, byte[]> documents = new TreeMap<>();
    for (String id : ids) {
      documents.put(id, ("document " + id + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return documents;
  }

  private static byte[] randomBytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
