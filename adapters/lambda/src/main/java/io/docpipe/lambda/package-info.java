/**
 * docpipe on AWS Lambda: {@link io.docpipe.lambda.S3Handler} (S3 object notifications), {@link
 * io.docpipe.lambda.SqsHandler} (SQS batches of commands or wrapped S3 notifications, with partial
 * batch responses) and {@link io.docpipe.lambda.HttpHandler} (API Gateway HTTP API / Function URL,
 * payload 2.0, the shared {@code /v1} JSON API). Each execution environment builds one Dagger
 * component, once, when the first handler is created; the AWS Lambda runtime interface client runs
 * the handlers. See {@code docs/adr/0006-lambda-container-runtime.md}.
 */
@NullMarked
package io.docpipe.lambda;

import org.jspecify.annotations.NullMarked;
