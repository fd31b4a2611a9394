package io.docpipe.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.wiring.CorpusRun;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.DocumentSources;
import io.docpipe.wiring.Resources;
import javax.inject.Singleton;

/** The object graph of one Lambda execution environment, built once and kept for its lifetime. */
@Singleton
@Component(modules = DocpipeModule.class)
interface LambdaComponent {

  SearchDocuments search();

  DeleteDocuments delete();

  CorpusRun.Factory corpusRun();

  EmbeddingModel embeddingModel();

  VectorStore vectorStore();

  Resources resources();

  DocumentSources documentSources();

  /** Builds the graph for a configuration and a listener for per-document outcomes. */
  @Component.Factory
  interface Factory {
    LambdaComponent create(
        @BindsInstance DocpipeConfig config, @BindsInstance IngestionListener listener);
  }
}
