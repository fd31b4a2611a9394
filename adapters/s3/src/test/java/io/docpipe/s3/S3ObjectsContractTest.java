package io.docpipe.s3;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.DocumentSourceContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The any-location S3 source ({@link S3Sources#source}, the one S3 events use) passes the document
 * source contract against S3Mock on loopback, one bucket per source.
 */
class S3ObjectsContractTest extends DocumentSourceContract {

  @RegisterExtension static final LocalS3.Server S3 = new LocalS3.Server();

  @Override
  protected SourceUnderTest givenSource(Map<String, byte[]> documentsById) {
    String bucket = S3.newBucket();
    documentsById.forEach(
        (id, bytes) -> S3.put(bucket, "docs/" + id, bytes, "application/octet-stream"));
    return new SourceUnderTest(
        S3Sources.source(S3.client()),
        id ->
            new DocumentRef(
                id,
                new S3Location(bucket, "docs/" + id.value()).uri(),
                Map.of("team", "docs"),
                null),
        id -> S3.client().deleteObject(b -> b.bucket(bucket).key("docs/" + id.value())));
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
