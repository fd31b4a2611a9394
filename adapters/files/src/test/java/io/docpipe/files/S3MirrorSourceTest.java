package io.docpipe.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3MirrorSourceTest {

  @TempDir Path root;

  @Test
  void anObject_isServedFromBucketAndKey_withTheS3UriAsSource() throws Exception {
    write("docs-bucket/guides/intro page+1 ä.md", "# Intro");
    DocumentSource source = LocalFiles.s3Mirror(root);
    URI uri = s3("docs-bucket", "guides/intro page+1 ä.md");

    Document document = source.fetch(ref("guides/intro page+1 ä.md", uri), 1024);

    assertThat(document.source()).isEqualTo(uri);
    assertThat(document.mediaType()).isEqualTo(MediaTypes.MARKDOWN);
    assertThat(document.content().toByteArray())
        .isEqualTo("# Intro".getBytes(StandardCharsets.UTF_8));
    assertThat(document.metadata()).containsEntry("path", "guides/intro page+1 ä.md");
  }

  @Test
  void aMissingObject_isNotFound() throws Exception {
    Files.createDirectories(root.resolve("bk1"));
    assertThatThrownBy(
            () -> LocalFiles.s3Mirror(root).fetch(ref("nope.txt", s3("bk1", "nope.txt")), 9))
        .isInstanceOfSatisfying(
            SourceException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.NOT_FOUND));
  }

  @Test
  void aKeyLeadingOutOfItsBucket_isRefused() throws Exception {
    write("secret.txt", "s");
    write("bk1/x.txt", "x");
    assertThatThrownBy(
            () -> LocalFiles.s3Mirror(root).fetch(ref("x", s3("bk1", "../secret.txt")), 1024))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT);
              assertThat(e.getMessage()).contains("outside its bucket");
            });
  }

  @Test
  void otherSchemesAndBadBuckets_areInvalidInput() {
    DocumentSource source = LocalFiles.s3Mirror(root);
    assertThatThrownBy(() -> source.fetch(ref("a", URI.create("file:///etc/passwd")), 9))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT));
    assertThatThrownBy(() -> source.fetch(ref("a", URI.create("s3://UPPER_case/a")), 9))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT));
  }

  @Test
  void anObjectOverTheLimit_isTooLarge() throws Exception {
    write("bk1/big.txt", "0123456789");
    assertThatThrownBy(() -> LocalFiles.s3Mirror(root).fetch(ref("big", s3("bk1", "big.txt")), 5))
        .isInstanceOfSatisfying(
            SourceException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE));
  }

  private static URI s3(String bucket, String key) throws URISyntaxException {
    return new URI("s3", bucket, "/" + key, null);
  }

  private static DocumentRef ref(String id, URI uri) {
    return new DocumentRef(DocumentId.of(id), uri, Map.of(), null);
  }

  private void write(String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
