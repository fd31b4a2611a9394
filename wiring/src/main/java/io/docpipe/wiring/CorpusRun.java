package io.docpipe.wiring;

import dagger.BindsInstance;
import dagger.Subcomponent;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.ProcessShard;

/** The use cases of one run over one {@link Corpus}: ingestion and shard processing. */
@Subcomponent(modules = CorpusRunModule.class)
public interface CorpusRun {

  IngestDocuments ingest();

  ProcessShard processShard();

  /** Creates the run for a corpus. */
  @Subcomponent.Factory
  interface Factory {
    CorpusRun create(@BindsInstance Corpus corpus);
  }
}
