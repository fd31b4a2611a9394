package io.docpipe.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The recheck after a write (a fetch of at most 0 bytes, ADR 0027) asks S3 with a HEAD, against
 * S3Mock on loopback: the answers a recheck needs, and no GET whose body would be aborted with its
 * connection.
 */
class S3ObjectsRecheckTest {

  @RegisterExtension static final LocalS3.Server S3 = new LocalS3.Server();

  @Test
  void fetchOfAtMostZeroBytes_isOneHead_tooLargeEmptyOrNotFound() throws Exception {
    String bucket = S3.newBucket();
    S3.put(bucket, "present.txt", "some text".getBytes(StandardCharsets.UTF_8), "text/plain");
    S3.put(bucket, "empty.txt", new byte[0], "text/plain");
    List<String> requests = new CopyOnWriteArrayList<>();
    try (S3Client recorded = recordingClient(requests)) {
      DocumentSource source = S3Sources.source(recorded);

      SourceException present =
          catchThrowableOfType(
              SourceException.class, () -> source.fetch(ref(bucket, "present.txt"), 0));
      Document empty = source.fetch(ref(bucket, "empty.txt"), 0);
      SourceException gone =
          catchThrowableOfType(
              SourceException.class, () -> source.fetch(ref(bucket, "gone.txt"), 0));

      assertThat(present.reason()).isEqualTo(FailureReason.TOO_LARGE);
      assertThat(present).hasMessageContaining("9 bytes");
      assertThat(empty.content().size()).isZero();
      assertThat(empty.id()).isEqualTo(DocumentId.of("empty.txt"));
      assertThat(empty.metadata()).containsEntry("team", "docs").containsKey(S3Objects.ETAG_KEY);
      assertThat(gone.reason()).isEqualTo(FailureReason.NOT_FOUND);
      assertThat(requests)
          .containsExactly("HeadObjectRequest", "HeadObjectRequest", "HeadObjectRequest");

      // A fetch with room for the content still reads it with a GET.
      assertThat(source.fetch(ref(bucket, "present.txt"), 100).content().size()).isEqualTo(9);
      assertThat(requests).last().isEqualTo("GetObjectRequest");
    }
  }

  private static DocumentRef ref(String bucket, String key) {
    return new DocumentRef(
        DocumentId.of(key), new S3Location(bucket, key).uri(), Map.of("team", "docs"), null);
  }

  /** A client for the same S3Mock that records the name of each request it sends. */
  private static S3Client recordingClient(List<String> requests) {
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            requests.add(context.request().getClass().getSimpleName());
          }
        };
    return S3Client.builder()
        .endpointOverride(S3.client().serviceClientConfiguration().endpointOverride().orElseThrow())
        .region(Region.of(LocalS3.REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
        .httpClient(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build())
        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
        .build();
  }
}
