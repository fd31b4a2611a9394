package io.docpipe.files;

import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.TextExtractor;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Local files as documents: directory corpora, single files, and the text extractors for them. */
public final class LocalFiles {

  private static final List<TextExtractor> EXTRACTORS =
      List.of(new PlainTextExtractor(), new MarkdownExtractor(), new HtmlExtractor());

  private LocalFiles() {}

  /**
   * The directory tree under {@code root} as a corpus. Nothing is read yet: a missing root fails
   * when the corpus is listed.
   */
  public static LocalCorpus corpus(Path root) {
    return new DirectoryCorpus(Objects.requireNonNull(root, "root"));
  }

  /**
   * The files named in a manifest (one path per line, relative to the manifest's directory) as a
   * corpus; ids are those relative paths. Nothing is read yet: a missing manifest fails when the
   * corpus is listed.
   */
  public static LocalCorpus manifestCorpus(Path manifest) {
    return new ManifestCorpus(Objects.requireNonNull(manifest, "manifest"));
  }

  /**
   * A reference to one file whose id is its file name, as for {@code docpipe ingest notes.txt}; the
   * corpus of its parent directory, {@code corpus(file.toAbsolutePath().getParent())}, fetches it.
   * Use {@link LocalCorpus#refFor(Path)} for an id relative to another root.
   */
  public static DocumentRef fileRef(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("not a file: " + file);
    }
    return corpus(parent).refFor(absolute);
  }

  /**
   * Checkpoints of shard runs as files in {@code directory} (created when first needed), for local
   * and single-machine runs. Each shard has its own file, replaced atomically.
   */
  public static CheckpointStore checkpointStore(Path directory) {
    return new FileCheckpointStore(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * A local stand-in for S3, for tests and local runs until the S3 adapter exists: fetches {@code
   * s3://bucket/key} from the file {@code <root>/<bucket>/<key>}. Keys that lead outside their
   * bucket directory ({@code ..}) are refused; limits and failure reasons are those of {@link
   * #corpus(Path)}.
   */
  public static DocumentSource s3Mirror(Path root) {
    return new S3MirrorSource(Objects.requireNonNull(root, "root"));
  }

  /** Extractors for {@code text/plain}, {@code text/markdown} and {@code text/html}. */
  public static List<TextExtractor> extractors() {
    return EXTRACTORS;
  }
}
