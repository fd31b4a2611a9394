package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

  @TempDir Path dir;

  @Test
  void aSingleFile_listsItselfAndIsFetchable() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.writeString(dir.resolve("other.txt"), "not listed");
    Corpus corpus = Corpus.localPath(file);
    try (Stream<DocumentRef> refs = corpus.listing().list(null)) {
      DocumentRef ref = refs.toList().getFirst();
      assertThat(ref.id()).isEqualTo(DocumentId.of("notes.txt"));
      assertThat(corpus.source().fetch(ref, 100).content().size()).isEqualTo(5);
    }
    try (Stream<DocumentRef> refs = corpus.listing().list(DocumentId.of("notes.txt"))) {
      assertThat(refs).isEmpty();
    }
  }

  @Test
  void aDirectory_listsItsTree() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/b.md"), "b");
    Files.writeString(dir.resolve("c.txt"), "c");
    try (Stream<DocumentRef> refs = Corpus.localPath(dir).listing().list(null)) {
      assertThat(refs.map(r -> r.id().value())).containsExactly("a/b.md", "c.txt");
    }
  }

  @Test
  void inlineOnly_refusesToFetch_withAClearReason() {
    assertThatThrownBy(
            () ->
                Corpus.inlineOnly()
                    .source()
                    .fetch(DocumentRef.of(DocumentId.of("x"), URI.create("s3://b/x")), 10))
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT))
        .hasMessageContaining("inline documents only");
  }

  @Test
  void forEvents_readsS3FromTheMirror_andRefusesLocalFiles() throws Exception {
    Files.createDirectories(dir.resolve("bucket-1/a"));
    Files.writeString(dir.resolve("bucket-1/a/b c.txt"), "hello");
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(java.util.Map.of("DOCPIPE_S3_MIRROR_DIR", dir.toString()));
    try (DocumentSources sources = new DocumentSources(config.sources(), config.s3MirrorDir())) {
      Corpus corpus = Corpus.forEvents(sources);
      DocumentRef ref =
          DocumentRef.of(DocumentId.of("a/b c.txt"), new URI("s3", "bucket-1", "/a/b c.txt", null));
      assertThat(corpus.source().fetch(ref, 100).content().size()).isEqualTo(5);
      assertThatThrownBy(
              () ->
                  corpus
                      .source()
                      .fetch(DocumentRef.of(DocumentId.of("x"), dir.resolve("x").toUri()), 10))
          .isInstanceOfSatisfying(
              SourceException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT))
          .hasMessageContaining("file: locations are read only from a local corpus");
    }
  }

  @Test
  void forEvents_refusesSchemesNoSourceServes() {
    DocpipeConfig config = DocpipeConfig.defaults();
    try (DocumentSources sources = new DocumentSources(config.sources())) {
      assertThatThrownBy(
              () ->
                  Corpus.forEvents(sources)
                      .source()
                      .fetch(DocumentRef.of(DocumentId.of("x"), URI.create("ftp://host/x")), 10))
          .isInstanceOfSatisfying(
              SourceException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT))
          .hasMessageContaining("no source for scheme 'ftp'");
    }
  }
}
