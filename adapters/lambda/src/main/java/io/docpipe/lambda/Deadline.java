package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.docpipe.core.model.StopSignal;
import java.time.Duration;

/**
 * Stop taking new documents once less than {@code margin} of the invocation is left, so that the
 * document in flight can finish and the handler can still answer before Lambda ends it.
 */
record Deadline(Context context, Duration margin) implements StopSignal {

  /** Enough for one embedding window of the in-process model and the answer. */
  static final Duration DEFAULT_MARGIN = Duration.ofSeconds(10);

  static Deadline of(Context context) {
    return new Deadline(context, DEFAULT_MARGIN);
  }

  @Override
  public boolean stopRequested() {
    return context.getRemainingTimeInMillis() < margin.toMillis();
  }
}
