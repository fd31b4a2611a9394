package io.docpipe.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.CorpusListing.CorpusUnavailableException;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the local corpus does beyond the corpus contract: file-system details. */
class DirectoryCorpusTest {

  private static final long MAX_BYTES = 1 << 20;

  @TempDir Path temp;

  // ---------------------------------------------------------------------------------------------
  // Listing

  @Test
  void nestedDirectories_listInDocumentIdOrder() throws IOException {
    Path root = root();
    List<String> ids =
        List.of(
            "Z.txt",
            "a-c",
            "a.txt",
            "a/b",
            "a/b.md",
            "a/b0/c.txt",
            "a/b-c/d.txt",
            "ä.txt",
            "ß/x.txt",
            "\uD83D\uDE00.txt",
            "\uFF5E.txt");
    for (String id : ids) {
      write(root, id, id);
    }

    List<String> listed = ids(LocalFiles.corpus(root), null);

    assertThat(listed)
        .containsExactlyElementsOf(
            ids.stream().map(DocumentId::of).sorted().map(DocumentId::value).toList())
        .startsWith("Z.txt", "a-c", "a.txt", "a/b", "a/b-c/d.txt", "a/b.md", "a/b0/c.txt")
        // Code point order puts U+FF5E before U+1F600, which UTF-16 order would not.
        .endsWith("ß/x.txt", "ä.txt", "\uFF5E.txt", "\uD83D\uDE00.txt");
  }

  @Test
  void hiddenFilesAndDirectories_areSkipped() throws IOException {
    Path root = root();
    write(root, "visible.txt", "v");
    write(root, ".hidden.txt", "h");
    write(root, ".git/config", "h");
    write(root, "docs/.cache/page.html", "h");
    write(root, "docs/guide.md", "v");

    assertThat(ids(LocalFiles.corpus(root), null)).containsExactly("docs/guide.md", "visible.txt");
  }

  @Test
  void refs_carryTheFileUri_pathAndExtensionMetadata_andTheSize() throws IOException {
    Path root = root();
    Path file = write(root, "docs/Guide.MD", "12345");
    write(root, "docs/README", "no extension");

    List<DocumentRef> refs = refs(LocalFiles.corpus(root), null);

    assertThat(refs).hasSize(2);
    DocumentRef readme = refs.get(1);
    DocumentRef guide = refs.get(0);
    assertThat(guide.id()).isEqualTo(DocumentId.of("docs/Guide.MD"));
    assertThat(guide.location()).isEqualTo(file.toUri());
    assertThat(guide.location().getScheme()).isEqualTo("file");
    assertThat(guide.metadata()).containsOnly(entry("path", "docs/Guide.MD"), entry("ext", "md"));
    assertThat(guide.sizeHint()).isEqualTo(5L);
    assertThat(readme.metadata()).containsOnly(entry("path", "docs/README"));
  }

  @Test
  void ids_areNfcNormalised_andNamesDifferingOnlyInNormalisation_listOnce() throws Exception {
    Path root = root();
    write(root, "cafe\u0301/re\u0301sume\u0301.txt", "decomposed");
    write(root, "nai\u0308ve.txt", "decomposed");
    write(root, "na\u00efve.txt", "composed");

    LocalCorpus corpus = LocalFiles.corpus(root);
    List<DocumentRef> refs = refs(corpus, null);

    assertThat(refs)
        .extracting(ref -> ref.id().value())
        .containsExactly("caf\u00e9/r\u00e9sum\u00e9.txt", "na\u00efve.txt");
    assertThat(refs.getFirst().metadata()).containsEntry("path", "caf\u00e9/r\u00e9sum\u00e9.txt");
    // The location keeps the name as it is on disk, so the file is found.
    assertThat(text(corpus.fetch(refs.getFirst(), MAX_BYTES))).isEqualTo("decomposed");
  }

  @Test
  void symlinkLeadingOutsideTheRoot_isNotFollowed() throws IOException {
    Path root = root();
    Path outside = Files.createDirectory(temp.resolve("outside"));
    write(outside, "secret.txt", "secret");
    write(root, "inside.txt", "inside");
    Files.createSymbolicLink(root.resolve("file-link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dir-link"), outside);
    Files.createSymbolicLink(root.resolve("relative-link"), Path.of("../outside"));

    assertThat(ids(LocalFiles.corpus(root), null)).containsExactly("inside.txt");
  }

  /** Links inside the root are followed; the target is listed under both paths. */
  @Test
  void symlinkInsideTheRoot_isFollowed_andListedUnderItsOwnPath() throws Exception {
    Path root = root();
    write(root, "real/doc.txt", "doc");
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("real/doc.txt"));
    Files.createSymbolicLink(root.resolve("linked"), Path.of("real"));

    LocalCorpus corpus = LocalFiles.corpus(root);
    List<DocumentRef> refs = refs(corpus, null);

    assertThat(refs)
        .extracting(ref -> ref.id().value())
        .containsExactly("alias.txt", "linked/doc.txt", "real/doc.txt");
    assertThat(refs.getFirst().sizeHint()).isEqualTo(3L);
    for (DocumentRef ref : refs) {
      assertThat(text(corpus.fetch(ref, MAX_BYTES))).isEqualTo("doc");
    }
  }

  @Test
  void symlinkToAHiddenFileInsideTheRoot_isNotFollowed() throws IOException {
    Path root = root();
    write(root, ".env", "TOKEN=1");
    Files.createSymbolicLink(root.resolve("env.txt"), Path.of(".env"));

    assertThat(ids(LocalFiles.corpus(root), null)).isEmpty();
  }

  @Test
  void symlinkLoops_terminate() throws IOException {
    Path root = root();
    write(root, "a/doc.txt", "a");
    write(root, "b/doc.txt", "b");
    Files.createSymbolicLink(root.resolve("self"), Path.of("."));
    Files.createSymbolicLink(root.resolve("a/up"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("a/to-b"), Path.of("../b"));
    Files.createSymbolicLink(root.resolve("b/to-a"), Path.of("../a"));
    Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));

    List<String> ids =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ids(LocalFiles.corpus(root), null));

    // Each link is entered until it would lead back into a directory already being walked.
    assertThat(ids).containsExactly("a/doc.txt", "a/to-b/doc.txt", "b/doc.txt", "b/to-a/doc.txt");
  }

  @Test
  void danglingSymlinksAndSpecialFiles_areSkipped() throws Exception {
    Path root = root();
    write(root, "doc.txt", "doc");
    Files.createSymbolicLink(root.resolve("dangling.txt"), Path.of("nowhere.txt"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
    mkfifo.waitFor();

    assertThat(ids(LocalFiles.corpus(root), null)).containsExactly("doc.txt");
  }

  @Test
  void unreadableEntries_areSkipped() throws IOException {
    Path root = root();
    write(root, "ok.txt", "ok");
    Path lockedFile = write(root, "locked.txt", "locked");
    Path lockedDir = Files.createDirectories(root.resolve("locked-dir"));
    write(root, "locked-dir/inside.txt", "inside");
    Files.setPosixFilePermissions(lockedFile, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(Files.isReadable(lockedFile), "permissions are not enforced (running as root)");

      assertThat(ids(LocalFiles.corpus(root), null)).containsExactly("ok.txt");
    } finally {
      Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void namesThatCannotBeIds_areSkipped() throws IOException {
    Path root = root();
    write(root, "ok.txt", "ok");
    write(root, "line\nbreak.txt", "control character");
    String longName = "d".repeat(250);
    write(root, String.join("/", longName, longName, longName, longName, longName, "x.txt"), "x");

    assertThat(ids(LocalFiles.corpus(root), null)).containsExactly("ok.txt");
  }

  @Test
  void listingAfterAnId_resumesInsideAndAcrossDirectories() throws IOException {
    Path root = root();
    write(root, "a/1.txt", "1");
    write(root, "b/2.txt", "2");
    write(root, "c/3.txt", "3");
    write(root, "c/sub/4.txt", "4");
    LocalCorpus corpus = LocalFiles.corpus(root);

    assertThat(ids(corpus, DocumentId.of("b/1")))
        .containsExactly("b/2.txt", "c/3.txt", "c/sub/4.txt");
    assertThat(ids(corpus, DocumentId.of("b/2.txt"))).containsExactly("c/3.txt", "c/sub/4.txt");
    assertThat(ids(corpus, DocumentId.of("b")))
        .containsExactly("b/2.txt", "c/3.txt", "c/sub/4.txt");
    assertThat(ids(corpus, DocumentId.of("c/3.txt"))).containsExactly("c/sub/4.txt");
    assertThat(ids(corpus, DocumentId.of("c/sub/"))).containsExactly("c/sub/4.txt");
    assertThat(ids(corpus, DocumentId.of("c/sub0"))).isEmpty();
  }

  @Test
  void listing_canBeCutShort() throws IOException {
    Path root = root();
    for (int i = 0; i < 50; i++) {
      write(root, "d" + (i % 5) + "/f" + i + ".txt", "x");
    }

    try (Stream<DocumentRef> refs = LocalFiles.corpus(root).list(null)) {
      assertThat(refs.limit(3).map(ref -> ref.id().value()))
          .containsExactly("d0/f0.txt", "d0/f10.txt", "d0/f15.txt");
    }
  }

  @Test
  void missingRoot_isUnavailable_andNotRetriable() {
    LocalCorpus corpus = LocalFiles.corpus(temp.resolve("missing"));

    assertThatThrownBy(() -> corpus.list(null))
        .isInstanceOfSatisfying(
            CorpusUnavailableException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("missing");
  }

  @Test
  void fileAsRoot_isUnavailable_andNotRetriable() throws IOException {
    Path file = write(temp, "file.txt", "not a directory");

    assertThatThrownBy(() -> LocalFiles.corpus(file).list(null))
        .isInstanceOfSatisfying(
            CorpusUnavailableException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("is not a directory");
  }

  @Test
  void rootGivenThroughASymlink_isListed() throws IOException {
    Path root = root();
    write(root, "doc.txt", "doc");
    Path link = Files.createSymbolicLink(temp.resolve("root-link"), root);

    LocalCorpus corpus = LocalFiles.corpus(link);

    assertThat(ids(corpus, null)).containsExactly("doc.txt");
    assertThat(refs(corpus, null).getFirst().location()).isEqualTo(link.resolve("doc.txt").toUri());
  }

  // ---------------------------------------------------------------------------------------------
  // Fetching

  @ParameterizedTest
  @CsvSource({
    "a.txt, text/plain",
    "a.TEXT, text/plain",
    "server.log, text/plain",
    "README, text/plain",
    "notes., text/plain",
    "a.md, text/markdown",
    "a.markdown, text/markdown",
    "a.html, text/html",
    "a.HTM, text/html",
    "a.pdf, application/pdf",
    "a.PDF, application/pdf",
    "a.docx, application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "a.pptx, application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "a.xlsx, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "a.doc, application/octet-stream",
    "a.zip, application/zip",
    "archive.tar.gz, application/octet-stream",
  })
  void fetch_setsTheMediaTypeFromTheExtension(String name, String mediaType) throws Exception {
    Path root = root();
    Path file = write(root, name, "x");
    LocalCorpus corpus = LocalFiles.corpus(root);

    Document document = corpus.fetch(corpus.refFor(file), MAX_BYTES);

    assertThat(document.mediaType()).isEqualTo(mediaType);
    assertThat(document.source()).isEqualTo(file.toUri());
  }

  @Test
  void fetch_keepsTheRefsIdAndMetadata_andAddsPathAndExtension() throws Exception {
    Path root = root();
    Path file = write(root, "docs/page.html", "<p>hi</p>");
    LocalCorpus corpus = LocalFiles.corpus(root);
    DocumentRef bare = DocumentRef.of(DocumentId.of("my-id"), file.toUri());
    DocumentRef tagged =
        new DocumentRef(
            DocumentId.of("other"), file.toUri(), Map.of("team", "docs", "path", "custom"), null);

    Document fromBare = corpus.fetch(bare, MAX_BYTES);
    Document fromTagged = corpus.fetch(tagged, MAX_BYTES);

    assertThat(fromBare.id()).isEqualTo(DocumentId.of("my-id"));
    assertThat(fromBare.mediaType()).isEqualTo(MediaTypes.HTML);
    assertThat(fromBare.metadata())
        .containsOnly(entry("path", "docs/page.html"), entry("ext", "html"));
    assertThat(fromTagged.id()).isEqualTo(DocumentId.of("other"));
    assertThat(fromTagged.metadata())
        .containsOnly(entry("path", "custom"), entry("ext", "html"), entry("team", "docs"));
  }

  @Test
  void fetch_ofAFileFarOverMaxBytes_failsTooLarge_withoutReadingIt() throws Exception {
    Path root = root();
    Path big = root.resolve("big.txt");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(50L << 20); // sparse: 50 MiB of holes
    }
    LocalCorpus corpus = LocalFiles.corpus(root);
    DocumentRef ref = corpus.refFor(big);

    long started = System.nanoTime();
    SourceException failure = fetchFailure(corpus, ref, 1 << 20);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure.reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(failure).hasMessageContaining("52428800 bytes");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void fetch_trustsTheFile_notTheSizeHint() throws Exception {
    Path root = root();
    Path file = write(root, "grown.txt", "0123456789");
    LocalCorpus corpus = LocalFiles.corpus(root);
    DocumentRef staleHint = new DocumentRef(DocumentId.of("grown.txt"), file.toUri(), Map.of(), 1L);

    assertThat(fetchFailure(corpus, staleHint, 5).reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(corpus.fetch(staleHint, 10).content().size()).isEqualTo(10);
  }

  @Test
  void fetch_ofAFileUriOutsideTheRoot_failsInvalidInput() throws Exception {
    Path root = root();
    Path outside = write(temp, "outside.txt", "secret");
    LocalCorpus corpus = LocalFiles.corpus(root);

    assertInvalidInput(corpus, outside.toUri(), "is not inside the corpus root");
    assertInvalidInput(corpus, URI.create(root.toUri() + "../outside.txt"), "not inside");
    assertInvalidInput(corpus, root.toUri(), "not inside");
    assertInvalidInput(corpus, URI.create("file:///etc/passwd"), "not inside");
  }

  @Test
  void fetch_ofANonFileLocation_failsInvalidInput() throws Exception {
    LocalCorpus corpus = LocalFiles.corpus(root());

    assertInvalidInput(corpus, URI.create("https://example.com/a.txt"), "file: URIs only");
    assertInvalidInput(corpus, URI.create("s3://bucket/a.txt"), "file: URIs only");
    assertInvalidInput(corpus, URI.create("file://host/share/a.txt"), "not a local file URI");
  }

  @Test
  void fetch_throughASymlinkMadeAfterListing_thatLeadsOutside_failsInvalidInput() throws Exception {
    Path root = root();
    Path outside = write(temp, "outside.txt", "secret");
    Path doc = write(root, "doc.txt", "doc");
    LocalCorpus corpus = LocalFiles.corpus(root);
    DocumentRef ref = refs(corpus, null).getFirst();

    Files.delete(doc);
    Files.createSymbolicLink(doc, outside);

    assertInvalidInput(corpus, ref.location(), "leads outside the corpus root");
  }

  @Test
  void fetch_ofADirectory_failsInvalidInput() throws Exception {
    Path root = root();
    Path directory = Files.createDirectories(root.resolve("dir"));

    assertInvalidInput(LocalFiles.corpus(root), directory.toUri(), "not a regular file");
  }

  @Test
  void fetch_ofAMissingFileOrRoot_failsNotFound() throws Exception {
    Path root = root();
    LocalCorpus corpus = LocalFiles.corpus(root);
    DocumentRef missing = DocumentRef.of(DocumentId.of("x"), root.resolve("none/x.txt").toUri());
    Path notADirectory = write(root, "file.txt", "x");
    DocumentRef underAFile =
        DocumentRef.of(DocumentId.of("y"), notADirectory.resolve("y.txt").toUri());
    DocumentRef rootGone = DocumentRef.of(DocumentId.of("z"), temp.resolve("gone/z.txt").toUri());

    assertThat(fetchFailure(corpus, missing, MAX_BYTES).reason())
        .isEqualTo(FailureReason.NOT_FOUND);
    assertThat(fetchFailure(corpus, underAFile, MAX_BYTES).reason())
        .isEqualTo(FailureReason.NOT_FOUND);
    assertThat(fetchFailure(LocalFiles.corpus(temp.resolve("gone")), rootGone, MAX_BYTES).reason())
        .isEqualTo(FailureReason.NOT_FOUND);
  }

  @Test
  void fetch_ofAnUnreadableFile_failsRetriably() throws Exception {
    Path root = root();
    Path locked = write(root, "locked.txt", "locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(locked), "permissions are not enforced (running as root)");
    LocalCorpus corpus = LocalFiles.corpus(root);

    SourceException failure = fetchFailure(corpus, corpus.refFor(locked), MAX_BYTES);

    assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(failure.reason().retriable()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // Single files

  @Test
  void fileRef_ofASingleFile_isNamedByItsFileName_andFetchedByItsParentsCorpus() throws Exception {
    Path file = write(temp, "notes/today.md", "# Today");

    DocumentRef ref = LocalFiles.fileRef(file);
    Document document = LocalFiles.corpus(file.getParent()).fetch(ref, MAX_BYTES);

    assertThat(ref.id()).isEqualTo(DocumentId.of("today.md"));
    assertThat(ref.location()).isEqualTo(file.toUri());
    assertThat(ref.sizeHint()).isEqualTo(7L);
    assertThat(ref.metadata()).containsOnly(entry("path", "today.md"), entry("ext", "md"));
    assertThat(document.mediaType()).isEqualTo(MediaTypes.MARKDOWN);
    assertThat(text(document)).isEqualTo("# Today");
  }

  @Test
  void refFor_aFileUnderTheRoot_isNamedRelativeToIt() throws IOException {
    Path root = root();
    Path file = write(root, "a/b/c.txt", "c");
    Path missing = root.resolve("a/missing.txt");

    LocalCorpus corpus = LocalFiles.corpus(root);

    assertThat(corpus.refFor(file).id()).isEqualTo(DocumentId.of("a/b/c.txt"));
    assertThat(corpus.refFor(root.resolve("a/./b/../b/c.txt")).id())
        .isEqualTo(DocumentId.of("a/b/c.txt"));
    assertThat(corpus.refFor(missing).sizeHint()).isNull();
    assertThatThrownBy(() -> corpus.refFor(temp.resolve("elsewhere.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside the corpus root");
    assertThatThrownBy(() -> corpus.refFor(root)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private Path root() throws IOException {
    return Files.createDirectories(temp.resolve("root"));
  }

  private static Path write(Path root, String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static List<DocumentRef> refs(LocalCorpus corpus, @Nullable DocumentId startAfter) {
    try (Stream<DocumentRef> refs = corpus.list(startAfter)) {
      return refs.toList();
    }
  }

  private static List<String> ids(LocalCorpus corpus, @Nullable DocumentId startAfter) {
    return refs(corpus, startAfter).stream().map(ref -> ref.id().value()).toList();
  }

  private static String text(Document document) {
    return new String(document.content().toByteArray(), StandardCharsets.UTF_8);
  }

  private static SourceException fetchFailure(LocalCorpus corpus, DocumentRef ref, long maxBytes) {
    try {
      corpus.fetch(ref, maxBytes);
    } catch (SourceException e) {
      return e;
    }
    throw new AssertionError("fetching " + ref + " did not fail");
  }

  private static void assertInvalidInput(LocalCorpus corpus, URI location, String message) {
    SourceException failure =
        fetchFailure(corpus, DocumentRef.of(DocumentId.of("doc"), location), MAX_BYTES);
    assertThat(failure.reason())
        .as("reason for %s", location)
        .isEqualTo(FailureReason.INVALID_INPUT);
    assertThat(failure).hasMessageContaining(message);
  }

  @Test
  void aFileNameWithAnAnsiEscape_isLoggedEscaped_neverRaw() throws IOException {
    Path root = root();
    write(root, "ok.txt", "fine");
    Files.writeString(root.resolve("evil\u001b[2J\u001b[31mred.txt"), "x");
    List<String> messages;
    try (io.docpipe.testkit.LogCapture log =
        io.docpipe.testkit.LogCapture.of(DirectoryCorpus.class)) {
      List<String> ids = LocalFiles.corpus(root).list(null).map(r -> r.id().value()).toList();

      assertThat(ids).containsExactly("ok.txt");
      messages = log.messages();
    }
    assertThat(messages)
        .anySatisfy(m -> assertThat(m).contains("evil\\x1b[2J\\x1b[31mred.txt"))
        .allSatisfy(m -> assertThat(m).doesNotContain("\u001b"));
  }
}
