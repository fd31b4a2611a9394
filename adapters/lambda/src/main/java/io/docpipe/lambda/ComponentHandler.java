package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.docpipe.core.model.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * What the S3 and SQS handlers share: the execution environment's component, asked on each
 * invocation (it is replaced when a secret rotates), and the stream in, answer out, metrics drained
 * shape of an invocation.
 */
abstract sealed class ComponentHandler implements RequestStreamHandler
    permits S3Handler, SqsHandler {

  final Supplier<LambdaComponent> component;

  /**
   * The Lambda runtime's path: the execution environment's component is built on the first call in
   * the JVM (Lambda's init phase) and rebuilt when a secret it read has rotated.
   */
  ComponentHandler() {
    this(LambdaEnvironment::component);
    LambdaEnvironment.component();
  }

  ComponentHandler(LambdaComponent component) {
    this(() -> component);
  }

  private ComponentHandler(Supplier<LambdaComponent> component) {
    this.component = component;
  }

  // Not final: javac then gives each public handler a bridge of this method, which the runtime
  // interface client invokes by reflection (it may not call a member of this package-private
  // class).
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    answer(input, output, context, this::handle, () -> component.get().emf());
  }

  /** The answer to one event, within {@code stop}'s deadline. */
  abstract byte[] handle(byte[] event, StopSignal stop);

  /** How one handler answers an event's bytes. */
  @FunctionalInterface
  interface EventAnswer {
    byte[] answer(byte[] event, StopSignal stop);
  }

  /**
   * Reads the whole event, writes {@code handle}'s answer and, whatever happened, writes the
   * invocation's EMF metrics to its log.
   */
  static void answer(
      InputStream input,
      OutputStream output,
      Context context,
      EventAnswer handle,
      Supplier<EmfMetrics> emf)
      throws IOException {
    try {
      output.write(handle.answer(input.readAllBytes(), Deadline.of(context)));
    } finally {
      EmfLog.flush(emf.get(), context);
    }
  }
}
