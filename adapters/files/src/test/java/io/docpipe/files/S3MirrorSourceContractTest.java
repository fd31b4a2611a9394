package io.docpipe.files;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.DocumentSourceContract;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The local S3 mirror passes the document source contract: one bucket directory per source. */
class S3MirrorSourceContractTest extends DocumentSourceContract {

  @TempDir Path root;
  private int buckets;

  @Override
  protected SourceUnderTest givenSource(Map<String, byte[]> documentsById) throws Exception {
    String bucket = "bucket-" + buckets++;
    Path bucketRoot = Files.createDirectory(root.resolve(bucket));
    for (Map.Entry<String, byte[]> document : documentsById.entrySet()) {
      Path file = bucketRoot.resolve(document.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, document.getValue());
    }
    return new SourceUnderTest(
        LocalFiles.s3Mirror(root),
        id -> new DocumentRef(id, s3(bucket, id.value()), Map.of("team", "docs"), null),
        id -> Files.delete(bucketRoot.resolve(id.value())));
  }

  /** A key that climbs out of its bucket. */
  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    String bucket = source.ref("present.txt").location().getHost();
    return Optional.of(
        new DocumentRef(DocumentId.of("escape.txt"), s3(bucket, "../escape.txt"), Map.of(), null));
  }

  private static URI s3(String bucket, String key) throws URISyntaxException {
    return new URI("s3", bucket, "/" + key, null);
  }
}
