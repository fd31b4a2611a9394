package io.docpipe.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe S3Mock, a real S3-compatible server, in this JVM on 127.0.0.1 (HTTP, random port), and
 * clients made by {@link S3Sources#client} for it.
 */
final class LocalS3 {

  static final String REGION = "us-east-1";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private LocalS3() {}

  static S3MockExtension server() {
    return S3MockExtension.builder()
        .silent()
        .withSecureConnection(false)
        .withHttpPort(0)
        .withProperty("server.address", "127.0.0.1")
        .build();
  }

  static URI endpoint(S3MockExtension server) {
    return URI.create("http://127.0.0.1:" + server.getHttpPort());
  }

  /**
   * S3Mock started before a test class and stopped after it, with one client for it, closed before
   * the server stops.
   */
  static final class Server implements BeforeAllCallback, AfterAllCallback {
    private final S3MockExtension mock = server();
    private @Nullable S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) {
      mock.beforeAll(context);
      client = LocalS3.client(mock);
    }

    @Override
    public void afterAll(ExtensionContext context) {
      try {
        if (client != null) {
          client.close();
        }
      } finally {
        mock.afterAll(context);
      }
    }

    S3Client client() {
      return Objects.requireNonNull(client, "S3Mock starts before the test class");
    }

    /** {@link LocalS3#newBucket} on this server. */
    String newBucket() {
      return LocalS3.newBucket(client());
    }

    /** {@link LocalS3#put} on this server. */
    void put(String bucket, String key, byte[] bytes, String contentType) {
      LocalS3.put(client(), bucket, key, bytes, contentType);
    }
  }

  /** A client through the adapter's own builder, path-style, with any static keys. */
  static S3Client client(S3MockExtension server) {
    return S3Sources.client(
        S3Settings.compatibleServer(endpoint(server), REGION),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")));
  }

  /**
   * Whether S3Mock's UTF-16 key order differs from S3's UTF-8 byte order for these keys: they hold
   * both a character in U+E000..U+FFFF and one beyond U+FFFF.
   */
  static boolean ordersDifferOnS3Mock(java.util.Collection<String> keys) {
    boolean highBmp = false;
    boolean supplementary = false;
    for (String key : keys) {
      highBmp |= key.chars().anyMatch(c -> c >= 0xE000 && c <= 0xFFFF);
      supplementary |= key.codePoints().anyMatch(c -> c > 0xFFFF);
    }
    return highBmp && supplementary;
  }

  /** A ref to {@code corpus-sibling.txt}, an object of the same bucket beside the corpus prefix. */
  static DocumentRef besideThePrefix(DocumentRef inside) {
    return new DocumentRef(
        DocumentId.of("corpus-sibling.txt"),
        URI.create("s3://" + inside.location().getHost() + "/corpus-sibling.txt"),
        Map.of(),
        null);
  }

  static String newBucket(S3Client s3) {
    String bucket = "docpipe-test-" + BUCKETS.incrementAndGet();
    s3.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  static void put(S3Client s3, String bucket, String key, byte[] bytes, String contentType) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
  }
}
