package io.docpipe.s3;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.CorpusContract;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The corpus contract in full, including the ids S3Mock cannot order ({@link
 * S3CorpusContractTest}), against {@link ByteOrderS3}: a minimal stand-in that lists in S3's UTF-8
 * byte order, reached by the real SDK client over HTTP.
 */
class S3CorpusByteOrderContractTest extends CorpusContract {

  private static ByteOrderS3 server;
  private static S3Client s3;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = new ByteOrderS3();
    s3 =
        S3Sources.client(
            S3Settings.compatibleServer(server.endpoint(), LocalS3.REGION),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")));
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  /** An object of the same bucket beside the corpus prefix. */
  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    URI inside = source.ref("present.txt").location();
    return Optional.of(
        new DocumentRef(
            DocumentId.of("corpus-sibling.txt"),
            URI.create("s3://" + inside.getHost() + "/corpus-sibling.txt"),
            Map.of(),
            null));
  }

  @Override
  protected CorpusUnderTest givenCorpus(Map<String, byte[]> documentsById) {
    String bucket = "byte-order-" + BUCKETS.incrementAndGet();
    String prefix = "corpus/";
    server.createBucket(bucket);
    server.put(bucket, "corpus-sibling.txt", new byte[] {1}, "text/plain");
    server.put(bucket, "zzz.txt", new byte[] {1}, "text/plain");
    server.put(bucket, prefix + "folder/", new byte[0], "application/x-directory");
    documentsById.forEach((id, bytes) -> server.put(bucket, prefix + id, bytes, "text/plain"));
    return CorpusUnderTest.of(
        new PrefixCorpus(s3, bucket, prefix, 3), id -> server.delete(bucket, prefix + id.value()));
  }
}
