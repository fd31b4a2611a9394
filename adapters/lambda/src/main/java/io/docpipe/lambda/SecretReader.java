package io.docpipe.lambda;

/** Reads one secret's current value from the platform's secret store, by ARN. */
interface SecretReader extends AutoCloseable {

  /**
   * The value of the SSM parameter or Secrets Manager secret {@code arn}.
   *
   * @throws RuntimeException when the store refuses or cannot be reached; the message names the ARN
   *     but never a value
   */
  String read(String arn);

  @Override
  void close();
}
