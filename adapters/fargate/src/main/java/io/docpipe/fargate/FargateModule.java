package io.docpipe.fargate;

import dagger.Module;
import dagger.Provides;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.EventIngestionModule;
import io.docpipe.wiring.EventIngestionModule.FromEvents;
import io.docpipe.wiring.observe.Listeners;
import io.docpipe.wiring.observe.Tracing;
import javax.inject.Singleton;

/**
 * The service's own bindings: its metrics listen to ingestion; the API serves the documents that
 * requests name, through wiring's {@link EventIngestionModule} (shared with the Lambda runtime).
 */
@Module
abstract class FargateModule {

  private FargateModule() {}

  @Provides
  @Singleton
  static ServiceMetrics metrics() {
    return new ServiceMetrics();
  }

  @Provides
  static IngestionListener listener(ServiceMetrics metrics, Tracing tracing) {
    return Listeners.all(metrics, tracing.listener());
  }

  @Provides
  @Singleton
  static DocpipeHttpApi api(
      @FromEvents IngestDocuments ingest,
      SearchDocuments search,
      DeleteDocuments delete,
      FargateSettings settings) {
    return new DocpipeHttpApi(ingest, search, delete, settings.limits());
  }
}
