package io.docpipe.wiring;

/**
 * Reads one secret's current value from a platform's secret store by ARN (production: the AWS
 * reader of {@code docpipe-s3}; tests: a stand-in that can rotate a value).
 */
public interface SecretReader extends AutoCloseable {

  /**
   * The value of the SSM parameter or Secrets Manager secret {@code arn}.
   *
   * @throws RuntimeException when the store refuses or cannot be reached; the message names the ARN
   *     but never a value
   */
  String read(String arn);

  @Override
  default void close() {}
}
