package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** Writes an invocation's EMF lines to its log when it ends. */
final class EmfLog {

  private EmfLog() {}

  /**
   * Each line goes out as one log event through the runtime's logger (one frame on Lambda's
   * telemetry channel), so CloudWatch sees exactly one JSON object per event, as EMF requires. The
   * function's log format must stay {@code Text}: the JSON format would wrap it in a message field.
   */
  static void flush(EmfMetrics metrics, Context context) {
    LambdaLogger logger = context.getLogger();
    for (String line : metrics.drain()) {
      if (logger != null) {
        logger.log(line);
      }
    }
  }
}
