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
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocumentSources;
import javax.inject.Named;
import javax.inject.Singleton;

/** The service's own bindings: its metrics listen to ingestion; the API serves its documents. */
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
   * Documents arrive in the request body, inline or as a {@code uri}: {@code s3://} objects and
   * {@code https://} URLs are fetched through wiring's sources (the SSRF guard refuses private and
   * metadata addresses); local {@code file:} paths are refused, a request never reads the task's
   * disk.
   */
  @Provides
  @Singleton
  @Named(INLINE)
  static IngestDocuments ingest(
      CorpusRun.Factory runs, DocpipeConfig config, DocumentSources sources) {
    return runs.create(Corpus.forEvents(config, sources)).ingest();
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
