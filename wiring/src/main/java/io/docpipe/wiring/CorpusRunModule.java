package io.docpipe.wiring;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.ProcessShard;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.WriteStamps;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.ProcessShardService;
import java.util.List;

/** Core services of a run, built over the run's corpus and the component's shared adapters. */
@Module
abstract class CorpusRunModule {

  private CorpusRunModule() {}

  @Provides
  static IngestDocuments ingest(
      Corpus corpus,
      List<TextExtractor> extractors,
      EmbeddingModel model,
      VectorStore store,
      IngestionListener listener,
      DocpipeConfig config,
      WriteStamps stamps) {
    return new IngestDocumentsService(
        corpus.source(), extractors, model, store, listener, config.ingest(), stamps);
  }

  @Provides
  static ProcessShard processShard(
      Corpus corpus, IngestDocuments ingest, CheckpointStore checkpoints) {
    return new ProcessShardService(corpus.listing(), ingest, checkpoints);
  }
}
