package io.docpipe.wiring;

import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.port.in.IngestDocuments;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import javax.inject.Qualifier;
import javax.inject.Singleton;

/**
 * The ingestion of the documents that events and requests name, shared by the runtimes they drive
 * (Lambda, Fargate): no listing; {@code s3://} objects and {@code https://} URLs fetched through
 * the component's {@link DocumentSources} (the SSRF guard refuses private and metadata addresses),
 * local {@code file:} locations refused, so a request never reads the runtime's disk. A runtime's
 * component includes it beside {@link DocpipeModule}.
 */
@Module
public abstract class EventIngestionModule {

  private EventIngestionModule() {}

  /** Qualifies the ingestion of documents that events and requests name. */
  @Qualifier
  @Documented
  @Retention(RUNTIME)
  public @interface FromEvents {}

  @Provides
  @Singleton
  @FromEvents
  static IngestDocuments ingest(CorpusRun.Factory runs, DocumentSources sources) {
    return runs.create(Corpus.forEvents(sources)).ingest();
  }
}
