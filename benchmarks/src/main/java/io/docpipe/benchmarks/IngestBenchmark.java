package io.docpipe.benchmarks;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.files.LocalFiles;
import io.docpipe.lucene.LuceneVectorStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end ingestion, documents per wall second: docpipe's ingest use case with the onnx model
 * and the embedded Lucene index, against LangChain4j's {@code EmbeddingStoreIngestor} with its
 * recursive splitter, its in-process all-MiniLM-L6-v2 and its {@code InMemoryEmbeddingStore}. Both
 * chunk at {@value #CHUNK_TOKENS} word pieces with {@value #OVERLAP_TOKENS} of overlap, because
 * LangChain4j's model reads only the first 128 word pieces of a segment (its tokenizer truncates):
 * at docpipe's default of 256 the baseline would embed half of every chunk. Each run starts from an
 * empty index.
 */
final class IngestBenchmark {

  /** What the baseline's model reads of a segment; both sides chunk to it. */
  static final int CHUNK_TOKENS = 128;

  static final int OVERLAP_TOKENS = 16;

  record Result(
      int documents, long bytes, Samples docpipeDocsPerSecond, Samples baselineDocsPerSecond) {
    Samples ratio() {
      return docpipeDocsPerSecond.over(baselineDocsPerSecond);
    }
  }

  private IngestBenchmark() {}

  static Result run(
      List<String> documents,
      EmbeddingModel model,
      java.util.function.Supplier<AllMiniLmL6V2EmbeddingModel> baselineModelFactory,
      Path scratch,
      int warmups,
      int runs) {
    IngestSettings settings =
        IngestSettings.defaults()
            .withChunking(
                new ChunkingPolicy(CHUNK_TOKENS, OVERLAP_TOKENS, ChunkingPolicy.Mode.SPLIT));
    List<IngestRequest> requests = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      requests.add(
          new IngestRequest.Inline(
              io.docpipe.core.model.Document.ofText(
                  DocumentId.of("doc-" + i), documents.get(i), java.util.Map.of())));
    }
    Samples docpipe =
        Samples.of(
            warmups,
            runs,
            () -> {
              try (VectorStore store = LuceneVectorStores.inMemory(model.dimension())) {
                var service =
                    new IngestDocumentsService(
                        LocalFiles.corpus(scratch),
                        LocalFiles.extractors(),
                        model,
                        store,
                        IngestionListener.NONE,
                        settings);
                long start = System.nanoTime();
                IngestReport report = service.ingest(IngestCommand.of(requests));
                double seconds = (System.nanoTime() - start) / 1e9;
                long indexed =
                    report.outcomes().stream()
                        .filter(o -> o instanceof DocumentOutcome.Indexed)
                        .count();
                if (indexed != documents.size()) {
                  throw new IllegalStateException(
                      "docpipe indexed " + indexed + " of " + documents.size());
                }
                return documents.size() / seconds;
              }
            });
    List<Document> lcDocuments = documents.stream().map(Document::from).toList();
    // Created only now, after docpipe's runs: its native code never shares the process with them.
    AllMiniLmL6V2EmbeddingModel baselineModel = baselineModelFactory.get();
    Samples baseline =
        Samples.of(
            warmups,
            runs,
            () -> {
              InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
              EmbeddingStoreIngestor ingestor =
                  EmbeddingStoreIngestor.builder()
                      .documentSplitter(
                          DocumentSplitters.recursive(
                              CHUNK_TOKENS, OVERLAP_TOKENS, new HuggingFaceTokenizer()))
                      .embeddingModel(baselineModel)
                      .embeddingStore(store)
                      .build();
              long start = System.nanoTime();
              ingestor.ingest(lcDocuments);
              return documents.size() / ((System.nanoTime() - start) / 1e9);
            });
    return new Result(documents.size(), TextCorpus.utf8Bytes(documents), docpipe, baseline);
  }
}
