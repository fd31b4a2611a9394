package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.out.CorpusListing;
import io.docpipe.core.port.out.DocumentSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract of a corpus, a {@link CorpusListing} together with the {@link DocumentSource} that
 * fetches what it lists: listing order, resuming after an id, Unicode ids, documents that vanish,
 * and every check of {@link DocumentSourceContract} on the refs the listing gives (exact bytes,
 * size limits, missing documents, concurrent fetches).
 *
 * <p>Extend it and implement {@link #givenCorpus}: store the given documents, return the listing,
 * the source and a remover. Random corpora come from a seed printed in each failure; set {@code
 * -Ddocpipe.contract.seed=<seed>} to replay one.
 *
 * <p>The ids used here are relative paths that every corpus can hold: {@code /}-separated segments
 * in Unicode NFC, none empty or starting with {@code .}, no id a "directory" of another (never both
 * {@code a} and {@code a/b}), and no two ids differing only in letter case. They include non-ASCII
 * letters, characters outside the Basic Multilingual Plane and names such as {@code a-c} and {@code
 * a/b} whose code point order differs from a per-directory sort.
 */
public abstract class CorpusContract extends DocumentSourceContract {

  /** Deletes a document from the corpus behind the listing's back. */
  @FunctionalInterface
  public interface Remover extends DocumentSourceContract.Remover {}

  /** A corpus under test: how to list it, how to fetch from it, how to delete one document. */
  public record CorpusUnderTest(CorpusListing listing, DocumentSource source, Remover remover) {
    public CorpusUnderTest {
      Objects.requireNonNull(listing, "listing");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(remover, "remover");
    }

    /** For the usual case of one object that implements both ports. */
    public static <C extends CorpusListing & DocumentSource> CorpusUnderTest of(
        C corpus, Remover remover) {
      return new CorpusUnderTest(corpus, corpus, remover);
    }
  }

  /**
   * A new corpus holding exactly these documents, keyed by id (a relative path). Called once or
   * more per test; each call must give an independent corpus.
   */
  protected abstract CorpusUnderTest givenCorpus(Map<String, byte[]> documentsById)
      throws Exception;

  /**
   * The {@link DocumentSourceContract} runs against {@link #givenCorpus}, with the refs its listing
   * gives. A corpus hands out refs only through its listing, so the document that never existed is
   * stored under {@link #NEVER_STORED}, listed, and removed before the test fetches anything.
   */
  @Override
  protected final SourceUnderTest givenSource(Map<String, byte[]> documentsById) throws Exception {
    Map<String, byte[]> withAbsent = new TreeMap<>(documentsById);
    withAbsent.put(NEVER_STORED.value(), new byte[] {1});
    CorpusUnderTest corpus = givenCorpus(withAbsent);
    Map<DocumentId, DocumentRef> listed = new HashMap<>();
    for (DocumentRef ref : refs(corpus, null)) {
      listed.put(ref.id(), ref);
    }
    assertThat(listed.keySet())
        .as("the listing of a new corpus")
        .containsExactlyInAnyOrderElementsOf(
            withAbsent.keySet().stream().map(DocumentId::of).toList());
    corpus.remover().remove(NEVER_STORED);
    return new SourceUnderTest(
        corpus.source(),
        id -> {
          DocumentRef ref = listed.get(id);
          if (ref == null) {
            throw new IllegalArgumentException(id + " was not listed");
          }
          return ref;
        },
        corpus.remover());
  }

  // ---------------------------------------------------------------------------------------------
  // Listing

  @Test
  public void emptyCorpus_listsNothing() throws Exception {
    CorpusUnderTest corpus = givenCorpus(Map.of());

    assertThat(ids(corpus, null)).isEmpty();
    assertThat(ids(corpus, DocumentId.of("a"))).isEmpty();
  }

  @Test
  public void listing_isInDocumentIdOrder_withEachIdOnce() throws Exception {
    Map<String, byte[]> documents = texts(tricky());

    CorpusUnderTest corpus = givenCorpus(documents);

    assertThat(ids(corpus, null)).containsExactlyElementsOf(sortedIds(documents.keySet()));
  }

  @Test
  public void listing_isTheSameEachTime() throws Exception {
    CorpusUnderTest corpus = givenCorpus(texts(tricky()));

    assertThat(ids(corpus, null)).containsExactlyElementsOf(ids(corpus, null));
  }

  @Test
  public void listing_resumesStrictlyAfterAnIdInTheCorpus() throws Exception {
    Map<String, byte[]> documents = texts(tricky());
    List<String> all = sortedIds(documents.keySet());
    CorpusUnderTest corpus = givenCorpus(documents);

    for (int i = 0; i < all.size(); i++) {
      assertThat(ids(corpus, DocumentId.of(all.get(i))))
          .as("listing after %s", all.get(i))
          .containsExactlyElementsOf(all.subList(i + 1, all.size()));
    }
  }

  @Test
  public void listing_resumesAfterAnIdNotInTheCorpus() throws Exception {
    Map<String, byte[]> documents = texts(tricky());
    List<String> all = sortedIds(documents.keySet());
    CorpusUnderTest corpus = givenCorpus(documents);

    for (String startAfter :
        List.of("!", "a", "a-", "a/", "a/a", "a/b", "a/b.txt0", "a0", "b", "zzz", "\uD83D\uDE00")) {
      DocumentId start = DocumentId.of(startAfter);
      assertThat(ids(corpus, start))
          .as("listing after %s", startAfter)
          .containsExactlyElementsOf(
              all.stream().filter(id -> DocumentId.of(id).compareTo(start) > 0).toList());
    }
  }

  @Test
  public void unicodeIds_areListedAndFetchedUnchanged() throws Exception {
    Map<String, byte[]> documents =
        texts(List.of("ä.txt", "日本/文書.md", "\uD83D\uDE00.txt", "～.txt", "café/ñ.txt"));
    CorpusUnderTest corpus = givenCorpus(documents);

    List<DocumentRef> refs = refs(corpus, null);

    assertThat(refs)
        .extracting(ref -> ref.id().value())
        .containsExactlyElementsOf(sortedIds(documents.keySet()));
    for (DocumentRef ref : refs) {
      assertThat(corpus.source().fetch(ref, MAX_BYTES).content().toByteArray())
          .isEqualTo(documents.get(ref.id().value()));
    }
  }

  @Test
  public void randomCorpora_listInOrder_andResumeAnywhere() throws Exception {
    Random random = new Random(SEED);
    for (int round = 0; round < 12; round++) {
      Map<String, byte[]> documents = texts(randomIds(random, 1 + random.nextInt(40)));
      List<String> all = sortedIds(documents.keySet());
      CorpusUnderTest corpus = givenCorpus(documents);

      assertThat(ids(corpus, null))
          .as("seed %d, round %d: full listing", SEED, round)
          .containsExactlyElementsOf(all);
      for (int probe = 0; probe < 5; probe++) {
        String startAfter =
            random.nextBoolean()
                ? all.get(random.nextInt(all.size()))
                : randomIds(random, 1).getFirst();
        DocumentId start = DocumentId.of(startAfter);
        assertThat(ids(corpus, start))
            .as("seed %d, round %d: listing after %s", SEED, round, startAfter)
            .containsExactlyElementsOf(
                all.stream().filter(id -> DocumentId.of(id).compareTo(start) > 0).toList());
      }
    }
  }

  @Test
  public void aDocumentRemovedAfterListing_isNoLongerListed() throws Exception {
    CorpusUnderTest corpus = givenCorpus(texts(List.of("keep.txt", "dir/gone.txt")));
    assertThat(ids(corpus, null)).containsExactly("dir/gone.txt", "keep.txt");

    corpus.remover().remove(DocumentId.of("dir/gone.txt"));

    assertThat(ids(corpus, null)).containsExactly("keep.txt");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Ids whose code point order is easy to get wrong. */
  protected static List<String> tricky() {
    return List.of(
        "Z.txt",
        "a.txt",
        "a-c/x.txt",
        "a/b.txt",
        "a/b/c.txt",
        "a/b-c.txt",
        "a0.txt",
        "b.txt",
        "ä.txt",
        "～.txt",
        "\uD83D\uDE00.txt",
        "dir with space/file name.txt");
  }

  private static List<DocumentRef> refs(CorpusUnderTest corpus, @Nullable DocumentId startAfter) {
    try (Stream<DocumentRef> refs = corpus.listing().list(startAfter)) {
      return refs.toList();
    }
  }

  private static List<String> ids(CorpusUnderTest corpus, @Nullable DocumentId startAfter) {
    return refs(corpus, startAfter).stream().map(ref -> ref.id().value()).toList();
  }

  private static List<String> sortedIds(Set<String> ids) {
    return ids.stream().map(DocumentId::of).sorted().map(DocumentId::value).toList();
  }

  private static final String[] SEGMENT_PARTS = {
    "a", "b", "Z", "-", "_", "0", "ä", "é", "日", "～", "\uD83D\uDE00", ".txt", " "
  };

  /** Up to {@code count} distinct random ids that respect the constraints in the class doc. */
  private static List<String> randomIds(Random random, int count) {
    Set<String> ids = new HashSet<>();
    for (int attempt = 0; ids.size() < count && attempt < count * 20; attempt++) {
      int depth = 1 + random.nextInt(3);
      StringBuilder id = new StringBuilder();
      for (int level = 0; level < depth; level++) {
        if (level > 0) {
          id.append('/');
        }
        id.append(randomSegment(random));
      }
      String candidate = id.toString();
      boolean clashes =
          ids.stream()
              .anyMatch(
                  other -> other.startsWith(candidate + "/") || candidate.startsWith(other + "/"));
      if (!clashes) {
        ids.add(candidate);
      }
    }
    return new ArrayList<>(ids);
  }

  private static String randomSegment(Random random) {
    StringBuilder segment = new StringBuilder();
    int parts = 1 + random.nextInt(3);
    for (int i = 0; i < parts; i++) {
      segment.append(SEGMENT_PARTS[random.nextInt(SEGMENT_PARTS.length)]);
    }
    String s = segment.toString();
    // No hidden names, no blank names, no trailing blanks (some file systems drop them).
    if (s.startsWith(".") || s.isBlank() || !s.equals(s.strip())) {
      return "x" + s.strip() + "x";
    }
    return s;
  }
}
