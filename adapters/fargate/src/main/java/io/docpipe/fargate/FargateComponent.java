package io.docpipe.fargate;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.EventIngestionModule;
import io.docpipe.wiring.EventIngestionModule.FromEvents;
import io.docpipe.wiring.Resources;
import javax.inject.Singleton;

/**
 * The service's object graph, one per process. Asking for {@link #api()} loads the embedding model
 * and opens the index, which is why the service does it off the request path, before it reports
 * ready.
 */
@Singleton
@Component(modules = {DocpipeModule.class, EventIngestionModule.class, FargateModule.class})
interface FargateComponent {

  DocpipeHttpApi api();

  /** The ingestion of the documents requests name; it runs the jobs. */
  @FromEvents
  IngestDocuments ingest();

  EmbeddingModel embeddingModel();

  VectorStore vectorStore();

  ServiceMetrics metrics();

  FargateSettings settings();

  Resources resources();

  /** Builds the graph for a pipeline configuration and the service's settings. */
  @Component.Factory
  interface Factory {
    FargateComponent create(
        @BindsInstance DocpipeConfig config, @BindsInstance FargateSettings settings);
  }

  static FargateComponent create(DocpipeConfig config, FargateSettings settings) {
    return DaggerFargateComponent.factory().create(config, settings);
  }
}
