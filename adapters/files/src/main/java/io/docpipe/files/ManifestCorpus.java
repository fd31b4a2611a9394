package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A corpus named by a manifest: a UTF-8 text file with one path per line, relative to the
 * manifest's directory (blank lines and lines starting with {@code #} are ignored). Ids are those
 * relative paths, as for a directory corpus; the listing is sorted and each id listed once. A line
 * that leaves the manifest's directory or cannot be an id is skipped with a warning; a listed file
 * that does not exist is listed and fails {@code not_found} when fetched.
 */
final class ManifestCorpus implements LocalCorpus {

  private static final System.Logger LOG = System.getLogger(ManifestCorpus.class.getName());

  private final Path manifest;
  private final DirectoryCorpus files;

  ManifestCorpus(Path manifest) {
    this.manifest = manifest.toAbsolutePath().normalize();
    Path parent = this.manifest.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("not a manifest file: " + manifest);
    }
    this.files = new DirectoryCorpus(parent);
  }

  @Override
  public Path root() {
    return files.root();
  }

  @Override
  public String toString() {
    return "ManifestCorpus[" + manifest + "]";
  }

  @Override
  public Stream<DocumentRef> list(@Nullable DocumentId startAfter) {
    List<String> lines;
    try {
      lines = List.of(Files.readString(manifest, StandardCharsets.UTF_8).split("\r?\n"));
    } catch (NoSuchFileException e) {
      throw new CorpusUnavailableException("manifest " + manifest + " does not exist", false, e);
    } catch (AccessDeniedException e) {
      throw new CorpusUnavailableException(
          "manifest " + manifest + " cannot be read: permission denied", false, e);
    } catch (CharacterCodingException e) {
      throw new CorpusUnavailableException(
          "manifest " + manifest + " is not valid UTF-8", false, e);
    } catch (IOException e) {
      throw new CorpusUnavailableException(
          "manifest " + manifest + " cannot be read: " + e, true, e);
    }
    TreeMap<DocumentId, DocumentRef> refs = new TreeMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      DocumentRef ref;
      try {
        Path file = root().resolve(line).normalize();
        if (!file.startsWith(root()) || file.equals(root())) {
          LOG.log(
              Level.WARNING,
              "Skipping manifest line {0}: outside {1}",
              Printable.of(line),
              Printable.of(root()));
          continue;
        }
        ref = files.refFor(file);
      } catch (IllegalArgumentException e) {
        LOG.log(
            Level.WARNING,
            "Skipping manifest line {0}: {1}",
            Printable.of(line),
            Printable.of(e.getMessage()));
        continue;
      }
      if (startAfter == null || ref.id().compareTo(startAfter) > 0) {
        refs.putIfAbsent(ref.id(), ref);
      }
    }
    return refs.values().stream();
  }

  @Override
  public DocumentRef refFor(Path file) {
    return files.refFor(file);
  }

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    return files.fetch(ref, maxBytes);
  }
}
