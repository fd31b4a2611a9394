package io.docpipe.fargate;

import io.docpipe.api.ApiResponse;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.core.model.StopSignal;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs a request's work under the request timeout. On timeout the client gets 408 at once and the
 * work is cancelled: its stop signal is raised, so an ingestion starts no further document. The
 * work keeps its {@link Admission.Ticket} and counts as {@link Activity} until it has really ended,
 * so cancelled work still occupies the bound and a drain waits for it. (It is not interrupted: an
 * interrupt in the middle of an index write would close the index's files under every request.)
 */
final class TimedWork {

  private final Lifecycle lifecycle;
  private final Duration timeout;

  TimedWork(Lifecycle lifecycle, Duration timeout) {
    this.lifecycle = lifecycle;
    this.timeout = timeout;
  }

  ApiResponse run(ServerRequest req, Function<StopSignal, ApiResponse> work) {
    AtomicBoolean stop = new AtomicBoolean();
    String requestId = RequestContext.requestId();
    Admission.Ticket ticket = req.context().get(Admission.Ticket.class).orElse(null);
    Activity activity = lifecycle.activity();
    activity.enter();
    if (ticket != null) {
      ticket.retain();
    }
    Future<ApiResponse> future;
    try {
      future =
          lifecycle
              .timedWork()
              .submit(
                  io.opentelemetry.context.Context.current()
                      .wrap(
                          () -> {
                            if (requestId != null) {
                              RequestContext.set(requestId);
                            }
                            try {
                              return work.apply(stop::get);
                            } finally {
                              RequestContext.clear();
                              if (ticket != null) {
                                ticket.close();
                              }
                              activity.exit();
                            }
                          }));
    } catch (RuntimeException e) {
      if (ticket != null) {
        ticket.close();
      }
      activity.exit();
      throw e;
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stop.set(true);
      return new Problem(ProblemType.TIMEOUT, "not answered within " + timeout.toMillis() + " ms")
          .toResponse();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
      return new Problem(ProblemType.SHUTTING_DOWN, "interrupted").toResponse();
    }
  }
}
