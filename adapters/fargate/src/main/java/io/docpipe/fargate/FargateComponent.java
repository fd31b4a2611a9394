package io.docpipe.fargate;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.EventIngestionModule;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.Tracing;
import javax.inject.Singleton;

/**
 * The service's object graph, one per process. The {@link Lifecycle} holds the use cases behind
 * providers: asking for them loads the embedding model and opens the index, which is why the
 * service does it on its warm-up, off the request path, before it reports ready.
 */
@Singleton
@Component(modules = {DocpipeModule.class, EventIngestionModule.class, FargateModule.class})
interface FargateComponent {

  Lifecycle lifecycle();

  Admission admission();

  ServiceMetrics metrics();

  FargateSettings settings();

  /** The service's tracing: spans per request and document, exported when configured. */
  Tracing tracing();

  /**
   * Builds the graph for a pipeline configuration and the service's settings; the clients that use
   * a key follow {@code secrets} (ADR 0025).
   */
  @Component.Factory
  interface Factory {
    FargateComponent create(
        @BindsInstance DocpipeConfig config,
        @BindsInstance FargateSettings settings,
        @BindsInstance Tracing tracing,
        @BindsInstance SecretRotation secrets);
  }

  /** With tracing from the process's {@code OTEL_*} variables (export off without an endpoint). */
  static FargateComponent create(DocpipeConfig config, FargateSettings settings) {
    return create(config, settings, Tracing.fromEnvironment(System.getenv(), "docpipe-fargate"));
  }

  static FargateComponent create(DocpipeConfig config, FargateSettings settings, Tracing tracing) {
    return create(config, settings, tracing, SecretRotation.none(java.util.Map.of()));
  }

  static FargateComponent create(
      DocpipeConfig config, FargateSettings settings, Tracing tracing, SecretRotation secrets) {
    return DaggerFargateComponent.factory().create(config, settings, tracing, secrets);
  }
}
