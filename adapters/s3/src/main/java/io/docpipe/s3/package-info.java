/**
 * Objects in Amazon S3 (or an S3-compatible server) as documents: a corpus under an {@code
 * s3://bucket/prefix/}, listed in key order with ListObjectsV2 and fetched with GetObject under a
 * size cap, the ETag carried as a change hint. AWS SDK v2 with its URL-connection HTTP client.
 * Entry type: {@link io.docpipe.s3.S3Sources}, configured by {@link io.docpipe.s3.S3Settings}. Also
 * the runtimes' reader of secrets by ARN from SSM and Secrets Manager, {@link
 * io.docpipe.s3.AwsSecretStore} (the module is docpipe's one user of the AWS SDK; ADR 0025).
 */
@NullMarked
package io.docpipe.s3;

import org.jspecify.annotations.NullMarked;
