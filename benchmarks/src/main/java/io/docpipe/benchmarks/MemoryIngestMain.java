package io.docpipe.benchmarks;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.files.LocalCorpus;
import io.docpipe.files.LocalFiles;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.openai.OpenAiEmbeddingModel;
import io.docpipe.openai.OpenAiSettings;
import io.docpipe.testkit.EmbeddingsStandIn;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The memory run's measured process: docpipe's ingest use case as {@code docpipe ingest} runs it
 * (the local-files corpus and extractors, batches of 256 documents fetched by reference, the
 * on-disk Lucene index), with the openai adapter pointed at the stand-in. Unlike the CLI's wiring,
 * the adapter's client-side throttle (1M tokens per minute by default, for OpenAI's quotas) is
 * lifted: it would make a gigabyte take 17 hours and measure the throttle, not memory.
 *
 * <p>Arguments: corpus directory, index directory, stand-in base URL, chunk tokens.
 */
public final class MemoryIngestMain {

  private static final int BATCH = 256;

  private MemoryIngestMain() {}

  /** The model the benchmarks' embeddings stand-in plays: 384 dimensions, as all-MiniLM-L6-v2. */
  static final String STAND_IN_MODEL = "stand-in-384";

  static final int STAND_IN_DIMENSION = 384;

  /** The embeddings API every benchmark that does not measure a model embeds through. */
  static EmbeddingsStandIn embeddingsStandIn() {
    return EmbeddingsStandIn.start(STAND_IN_DIMENSION, STAND_IN_MODEL);
  }

  @SuppressWarnings("SystemOut") // a CLI main: its summary goes to stdout for the suite to read
  public static void main(String[] args) {
    Path corpusDir = Path.of(args[0]);
    Path indexDir = Path.of(args[1]);
    OpenAiSettings defaults =
        OpenAiSettings.defaults(URI.create(args[2]), STAND_IN_MODEL, STAND_IN_DIMENSION, "");
    OpenAiSettings unthrottled = defaults.withRateLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);
    int chunkTokens = Integer.parseInt(args[3]);
    IngestSettings settings =
        IngestSettings.defaults()
            .withChunking(
                new ChunkingPolicy(
                    chunkTokens, ChunkingPolicy.DEFAULT_OVERLAP_TOKENS, ChunkingPolicy.Mode.SPLIT));
    LocalCorpus corpus = LocalFiles.corpus(corpusDir);
    List<DocumentRef> refs;
    try (Stream<DocumentRef> listed = corpus.list(null)) {
      refs = listed.toList();
    }
    long started = System.nanoTime();
    long indexed = 0;
    long failed = 0;
    long chunks = 0;
    try (OpenAiEmbeddingModel model = OpenAiEmbeddingModel.create(unthrottled);
        VectorStore store = LuceneVectorStores.open(indexDir, model.dimension())) {
      IngestDocumentsService ingest =
          new IngestDocumentsService(
              corpus, LocalFiles.extractors(), model, store, IngestionListener.NONE, settings);
      for (int from = 0; from < refs.size(); from += BATCH) {
        List<IngestRequest> batch =
            refs.subList(from, Math.min(refs.size(), from + BATCH)).stream()
                .<IngestRequest>map(IngestRequest.Fetch::new)
                .toList();
        IngestReport report = ingest.ingest(IngestCommand.of(batch));
        indexed +=
            report.outcomes().stream().filter(o -> o instanceof DocumentOutcome.Indexed).count();
        failed +=
            report.outcomes().stream().filter(o -> o instanceof DocumentOutcome.Failed).count();
        chunks += report.chunksEmbedded();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d documents: %d indexed, %d failed; %d chunks embedded in %.1f s%n",
        refs.size(),
        indexed,
        failed,
        chunks,
        Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
  }
}
