package io.docpipe.cli;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.DescribeIndex;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.CorpusRun;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.DocumentSources;
import io.docpipe.wiring.Resources;
import javax.inject.Singleton;

/** The CLI's object graph: one per command invocation. */
@Singleton
@Component(modules = DocpipeModule.class)
interface CliComponent extends AutoCloseable {

  SearchDocuments search();

  DeleteDocuments delete();

  CorpusRun.Factory corpusRun();

  DescribeIndex describeIndex();

  Resources resources();

  DocumentSources documentSources();

  /** Closes the index and the model; every command ends with it (try-with-resources). */
  @Override
  default void close() {
    resources().close();
  }

  /** Builds the graph for a configuration and a listener for progress. */
  @Component.Factory
  interface Factory {
    CliComponent create(
        @BindsInstance DocpipeConfig config, @BindsInstance IngestionListener listener);
  }

  static CliComponent create(DocpipeConfig config, IngestionListener listener) {
    return DaggerCliComponent.factory().create(config, listener);
  }
}
