package io.docpipe.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.DocumentSourceContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The any-location S3 source ({@link S3Sources#source}, the one S3 events use) passes the document
 * source contract against S3Mock on loopback, one bucket per source.
 */
class S3ObjectsContractTest extends DocumentSourceContract {

  @RegisterExtension static final S3MockExtension S3_MOCK = LocalS3.server();

  @AutoClose private static S3Client s3;

  @BeforeAll
  static void connect() {
    s3 = LocalS3.client(S3_MOCK);
  }

  @Override
  protected SourceUnderTest givenSource(Map<String, byte[]> documentsById) {
    String bucket = LocalS3.newBucket(s3);
    documentsById.forEach(
        (id, bytes) -> LocalS3.put(s3, bucket, "docs/" + id, bytes, "application/octet-stream"));
    return new SourceUnderTest(
        S3Sources.source(s3),
        id ->
            new DocumentRef(
                id,
                new S3Location(bucket, "docs/" + id.value()).uri(),
                Map.of("team", "docs"),
                null),
        id -> s3.deleteObject(b -> b.bucket(bucket).key("docs/" + id.value())));
  }

  /** A "folder" location names no object. */
  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    String bucket = source.ref("present.txt").location().getHost();
    return Optional.of(
        new DocumentRef(
            DocumentId.of("docs"), new S3Location(bucket, "docs/").uri(), Map.of(), null));
  }
}
