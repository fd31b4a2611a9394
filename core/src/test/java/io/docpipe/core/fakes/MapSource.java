package io.docpipe.core.fakes;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.CorpusListing;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.SourceException;
import io.docpipe.core.port.out.StrictText;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A corpus held in a map: documents by id, as text/plain (or octet-stream for ids ending .bin). */
public final class MapSource implements DocumentSource, CorpusListing {

  private final Map<DocumentId, byte[]> documents = new ConcurrentHashMap<>();
  private final Map<DocumentId, FailureReason> failures = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  public MapSource put(String id, String text) {
    return put(id, text.getBytes(StandardCharsets.UTF_8));
  }

  public MapSource put(String id, byte[] bytes) {
    documents.put(DocumentId.of(id), bytes.clone());
    return this;
  }

  public MapSource remove(String id) {
    documents.remove(DocumentId.of(id));
    return this;
  }

  public MapSource failFetchOf(String id, FailureReason reason) {
    failures.put(DocumentId.of(id), reason);
    return this;
  }

  public MapSource clearFailures() {
    failures.clear();
    return this;
  }

  public int fetches() {
    return fetches.get();
  }

  public static DocumentRef ref(String id) {
    return DocumentRef.of(DocumentId.of(id), URI.create("mem:" + id.replace(' ', '_')));
  }

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    fetches.incrementAndGet();
    FailureReason failure = failures.get(ref.id());
    if (failure != null) {
      throw new SourceException(failure, "injected " + failure + " for " + ref.id());
    }
    byte[] bytes = documents.get(ref.id());
    if (bytes == null) {
      throw new SourceException(FailureReason.NOT_FOUND, "no document " + ref.id());
    }
    if (bytes.length > maxBytes) {
      throw new SourceException(FailureReason.TOO_LARGE, bytes.length + " bytes > " + maxBytes);
    }
    String type =
        ref.id().value().endsWith(".bin") ? MediaTypes.OCTET_STREAM : MediaTypes.TEXT_PLAIN;
    return new Document(ref.id(), ref.location(), type, ref.metadata(), Content.of(bytes));
  }

  @Override
  public Stream<DocumentRef> list(@Nullable DocumentId startAfter) {
    TreeMap<DocumentId, byte[]> sorted = new TreeMap<>(documents);
    var view = startAfter == null ? sorted : sorted.tailMap(startAfter, false);
    return view.keySet().stream().map(id -> ref(id.value()));
  }

  /**
   * An ingestion service for {@link io.docpipe.core.port.in.IngestRequest.Inline} documents of
   * plain text: a test that uses it never fetches, so a fetch fails the test.
   */
  public static IngestDocumentsService inlineIngest(
      EmbeddingModel model, VectorStore store, IngestSettings settings) {
    return new IngestDocumentsService(
        (ref, max) -> {
          throw new AssertionError("an inline-only test fetched " + ref);
        },
        List.of(PLAIN_TEXT),
        model,
        store,
        IngestionListener.NONE,
        settings);
  }

  /** The plain-text extractor the core tests use. */
  public static final TextExtractor PLAIN_TEXT =
      new TextExtractor() {
        @Override
        public boolean supports(String mediaType) {
          return mediaType.equals(MediaTypes.TEXT_PLAIN);
        }

        @Override
        public String extract(Document document) throws ExtractionException {
          return StrictText.decodeUtf8(document.content());
        }
      };
}
