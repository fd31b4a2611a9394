package io.docpipe.fargate;

import dagger.Module;
import dagger.Provides;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.CorpusRun;
import javax.inject.Named;
import javax.inject.Singleton;

/** The service's own bindings: its metrics listen to ingestion; the API serves inline documents. */
@Module
abstract class FargateModule {

  /** Names the ingestion of documents sent inline (no corpus to list or fetch from). */
  static final String INLINE = "inline";

  private FargateModule() {}

  @Provides
  @Singleton
  static ServiceMetrics metrics() {
    return new ServiceMetrics();
  }

  @Provides
  static IngestionListener listener(ServiceMetrics metrics) {
    return metrics;
  }

  /**
   * Documents arrive in the request body; {@code uri} documents are refused per document until a
   * source adapter (S3) is wired in.
   */
  @Provides
  @Singleton
  @Named(INLINE)
  static IngestDocuments ingest(CorpusRun.Factory runs) {
    return runs.create(Corpus.inlineOnly()).ingest();
  }

  @Provides
  @Singleton
  static DocpipeHttpApi api(
      @Named(INLINE) IngestDocuments ingest,
      SearchDocuments search,
      DeleteDocuments delete,
      FargateSettings settings) {
    return new DocpipeHttpApi(ingest, search, delete, settings.limits());
  }
}
