package io.docpipe.s3;

import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.CorpusContract;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
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

  @AutoClose private static ByteOrderS3 server;
  @AutoClose private static S3Client s3;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = new ByteOrderS3();
    s3 =
        S3Sources.client(
            S3Settings.compatibleServer(server.endpoint(), LocalS3.REGION),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")));
  }

  /** An object of the same bucket beside the corpus prefix. */
  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    return Optional.of(LocalS3.besideThePrefix(source.ref("present.txt")));
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
