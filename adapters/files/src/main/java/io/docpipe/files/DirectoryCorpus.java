package io.docpipe.files;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A directory tree listed depth first, each directory's entries sorted so that the whole listing
 * comes out in {@link DocumentId} order: a directory {@code a} sorts as {@code "a/"}, which puts
 * {@code a-c} before {@code a/b} exactly as their ids compare. Subtrees that lie wholly before
 * {@code startAfter} are not read at all.
 */
final class DirectoryCorpus implements LocalCorpus {

  private static final System.Logger LOG = System.getLogger(DirectoryCorpus.class.getName());

  private final Path root;

  DirectoryCorpus(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public String toString() {
    return "LocalCorpus[" + root + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Listing

  @Override
  public Stream<DocumentRef> list(@Nullable DocumentId startAfter) {
    Path realRoot = checkedRealRoot();
    List<Entry> top;
    try {
      top = readDirectory(root, realRoot, "", List.of(realRoot), realRoot, startAfter);
    } catch (IOException e) {
      throw unreadableRoot(e);
    }
    Walk walk = new Walk(realRoot, startAfter, new Frame(realRoot, top.iterator(), null));
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            walk, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL),
        false);
  }

  /** A root that exists but cannot be read: permanent when access is denied, else retriable. */
  private CorpusUnavailableException unreadableRoot(IOException e) {
    return e instanceof AccessDeniedException
        ? new CorpusUnavailableException(
            "corpus root " + root + " cannot be read: permission denied", false, e)
        : new CorpusUnavailableException("corpus root " + root + " cannot be read: " + e, true, e);
  }

  private Path checkedRealRoot() {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(root, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new CorpusUnavailableException("corpus root " + root + " does not exist", false, e);
    } catch (IOException e) {
      throw unreadableRoot(e);
    }
    if (!attributes.isDirectory()) {
      throw new CorpusUnavailableException("corpus root " + root + " is not a directory", false);
    }
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw new CorpusUnavailableException(
          "corpus root " + root + " cannot be resolved: " + e, true, e);
    }
  }

  /**
   * One directory entry that made it into the listing. {@code key} is the document id for a file
   * and the id prefix ({@code "a/b/"}) for a directory, so sorting by it is listing order.
   */
  private record Entry(
      String rawName, DocumentId key, Path path, Path real, boolean directory, long size) {}

  /** A directory being walked: its real path, the entries still to visit, the one above. */
  private record Frame(Path real, Iterator<Entry> entries, @Nullable Frame parent) {}

  /** The depth-first walk behind one listing stream. */
  private static final class Walk implements Iterator<DocumentRef> {
    private final Path realRoot;
    private final @Nullable DocumentId startAfter;
    private @Nullable Frame current;
    private @Nullable DocumentRef next;
    private @Nullable DocumentId last;

    Walk(Path realRoot, @Nullable DocumentId startAfter, Frame top) {
      this.realRoot = realRoot;
      this.startAfter = startAfter;
      this.last = startAfter;
      this.current = top;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public DocumentRef next() {
      DocumentRef ref = hasNext() ? next : null;
      if (ref == null) {
        throw new NoSuchElementException();
      }
      next = null;
      return ref;
    }

    private @Nullable DocumentRef advance() {
      while (current != null) {
        Frame frame = current;
        if (!frame.entries().hasNext()) {
          current = frame.parent();
          continue;
        }
        Entry entry = frame.entries().next();
        if (entry.directory()) {
          List<Entry> entries;
          try {
            entries =
                readDirectory(
                    entry.path(),
                    entry.real(),
                    entry.key().value(),
                    ancestors(frame, entry),
                    realRoot,
                    startAfter);
          } catch (IOException e) {
            LOG.log(
                Level.WARNING,
                "Skipping unreadable directory {0}: {1}",
                Printable.of(entry.path()),
                Printable.of(e));
            continue;
          }
          current = new Frame(entry.real(), entries.iterator(), frame);
          continue;
        }
        if (last != null && entry.key().compareTo(last) <= 0) {
          // Cannot happen with the sorted walk; guards the port's ordering promise all the same.
          LOG.log(
              Level.WARNING,
              "Skipping {0}: out of order after {1}",
              Printable.of(entry.path()),
              Printable.of(last));
          continue;
        }
        last = entry.key();
        return toRef(entry);
      }
      return null;
    }

    private List<Path> ancestors(Frame frame, Entry directory) {
      List<Path> ancestors = new ArrayList<>();
      ancestors.add(directory.real());
      for (Frame f = frame; f != null; f = f.parent()) {
        ancestors.add(f.real());
      }
      return ancestors;
    }
  }

  private static DocumentRef toRef(Entry entry) {
    String id = entry.key().value();
    return new DocumentRef(entry.key(), entry.path().toUri(), FileTypes.metadata(id), entry.size());
  }

  /**
   * The listable entries of one directory, sorted, without those wholly before {@code startAfter}.
   *
   * @param ancestors real paths of this directory and the directories above it, to cut loops
   */
  private static List<Entry> readDirectory(
      Path directory,
      Path realDirectory,
      String idPrefix,
      List<Path> ancestors,
      Path realRoot,
      @Nullable DocumentId startAfter)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path path : stream) {
        Path fileName = path.getFileName();
        String rawName = fileName.toString();
        if (rawName.startsWith(".")) {
          continue;
        }
        Entry entry =
            entry(path, rawName, realDirectory.resolve(fileName), idPrefix, ancestors, realRoot);
        if (entry != null && !beforeStart(entry, startAfter)) {
          entries.add(entry);
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    entries.sort(Comparator.comparing(Entry::key).thenComparing(Entry::rawName));
    List<Entry> unique = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      Entry previous = unique.isEmpty() ? null : unique.getLast();
      if (previous != null && previous.key().equals(entry.key())) {
        LOG.log(
            Level.WARNING,
            "Skipping {0}: its name normalises to the same id as {1}",
            Printable.of(entry.path()),
            Printable.of(previous.path()));
        continue;
      }
      unique.add(entry);
    }
    return unique;
  }

  /** Whether every id the entry stands for is at or before {@code startAfter}. */
  private static boolean beforeStart(Entry entry, @Nullable DocumentId startAfter) {
    if (startAfter == null) {
      return false;
    }
    int c = entry.key().compareTo(startAfter);
    if (!entry.directory()) {
      return c <= 0;
    }
    return c < 0 && !startAfter.value().startsWith(entry.key().value());
  }

  private static @Nullable Entry entry(
      Path path,
      String rawName,
      Path realIfNoLink,
      String idPrefix,
      List<Path> ancestors,
      Path realRoot) {
    BasicFileAttributes attributes;
    Path real = realIfNoLink;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        real = path.toRealPath();
        if (!real.startsWith(realRoot)) {
          LOG.log(
              Level.INFO,
              "Not following {0}: it leads outside the corpus root",
              Printable.of(path));
          return null;
        }
        if (hasHiddenPart(realRoot.relativize(real))) {
          LOG.log(Level.INFO, "Not following {0}: it leads to a hidden file", Printable.of(path));
          return null;
        }
        attributes = Files.readAttributes(real, BasicFileAttributes.class);
      }
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "Skipping unreadable or dangling entry {0}: {1}",
          Printable.of(path),
          Printable.of(e));
      return null;
    }
    boolean directory = attributes.isDirectory();
    if (directory) {
      if (ancestors.contains(real)) {
        LOG.log(
            Level.INFO,
            "Not following {0}: it loops back to {1}",
            Printable.of(path),
            Printable.of(real));
        return null;
      }
    } else if (!attributes.isRegularFile()) {
      LOG.log(Level.DEBUG, "Skipping {0}: not a regular file", Printable.of(path));
      return null;
    } else if (!Files.isReadable(path)) {
      LOG.log(Level.WARNING, "Skipping unreadable file {0}", Printable.of(path));
      return null;
    }
    DocumentId key;
    try {
      key = DocumentId.of(idPrefix + FileTypes.nfc(rawName) + (directory ? "/" : ""));
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.WARNING,
          "Skipping {0}: its path cannot be a document id: {1}",
          Printable.of(path),
          Printable.of(e.getMessage()));
      return null;
    }
    return new Entry(rawName, key, path, real, directory, directory ? 0 : attributes.size());
  }

  private static boolean hasHiddenPart(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Single files

  @Override
  public DocumentRef refFor(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path relative = relativeInside(absolute);
    if (relative == null) {
      throw new IllegalArgumentException(file + " is not inside the corpus root " + root);
    }
    String id = relativeId(relative);
    DocumentId documentId;
    try {
      documentId = DocumentId.of(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " cannot be a document: " + e.getMessage(), e);
    }
    Long size = null;
    try {
      BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
      if (attributes.isRegularFile()) {
        size = attributes.size();
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "No size for {0}: {1}", absolute, e);
    }
    return new DocumentRef(
        documentId, root.resolve(relative).toUri(), FileTypes.metadata(id), size);
  }

  /** {@code path} relative to the root (as given or its real path), or null if not inside. */
  private @Nullable Path relativeInside(Path absolute) {
    if (absolute.startsWith(root) && !absolute.equals(root)) {
      return root.relativize(absolute);
    }
    try {
      Path realRoot = root.toRealPath();
      if (absolute.startsWith(realRoot) && !absolute.equals(realRoot)) {
        return realRoot.relativize(absolute);
      }
    } catch (IOException e) {
      // A root that does not exist contains nothing.
    }
    return null;
  }

  private static String relativeId(Path relative) {
    StringBuilder id = new StringBuilder();
    for (Path part : relative) {
      if (!id.isEmpty()) {
        id.append('/');
      }
      id.append(FileTypes.nfc(part.toString()));
    }
    return id.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Fetching

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    }
    URI location = ref.location();
    if (!"file".equalsIgnoreCase(location.getScheme())) {
      throw new SourceException(
          FailureReason.INVALID_INPUT,
          "this source reads file: URIs only, not " + location + " (" + ref.id() + ")");
    }
    Path path;
    try {
      path = Path.of(location).normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new SourceException(
          FailureReason.INVALID_INPUT,
          "not a local file URI: " + location + ": " + e.getMessage(),
          e);
    }
    Path relative = relativeInside(path);
    if (relative == null) {
      throw new SourceException(
          FailureReason.INVALID_INPUT, location + " is not inside the corpus root " + root);
    }
    try {
      Path realRoot = root.toRealPath();
      Path real = path.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new SourceException(
            FailureReason.INVALID_INPUT,
            location + " leads outside the corpus root " + root + " (a symbolic link)");
      }
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new SourceException(FailureReason.INVALID_INPUT, location + " is not a regular file");
      }
      checkSize(location, attributes.size(), maxBytes);
      byte[] bytes;
      try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
        long size = channel.size();
        checkSize(location, size, maxBytes);
        bytes = BoundedRead.readAtMost(channel, size, maxBytes);
      }
      if (bytes == null) {
        throw new SourceException(
            FailureReason.TOO_LARGE,
            location + " grew past the limit of " + maxBytes + " bytes while it was read");
      }
      Map<String, String> metadata = new HashMap<>(FileTypes.metadata(relativeId(relative)));
      metadata.putAll(ref.metadata());
      String mediaType =
          FileTypes.mediaType(FileTypes.extension(FileTypes.nfc(path.getFileName().toString())));
      return new Document(ref.id(), location, mediaType, metadata, Content.adopt(bytes));
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new SourceException(FailureReason.NOT_FOUND, location + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE, location + " cannot be read: permission denied", e);
    } catch (IOException e) {
      if (cannotExist(path)) {
        throw new SourceException(FailureReason.NOT_FOUND, location + " does not exist", e);
      }
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE, location + " cannot be read: " + e, e);
    }
  }

  /**
   * Whether {@code path} failed to resolve for good: a file stands where one of its directories
   * should be, or it is a symbolic link that leads nowhere (a loop). The JDK reports both as a
   * plain {@link java.nio.file.FileSystemException}.
   */
  private boolean cannotExist(Path path) {
    if (Files.isSymbolicLink(path) && !Files.exists(path)) {
      return true;
    }
    for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isRegularFile(p)) {
        return true;
      }
    }
    return false;
  }

  private static void checkSize(URI location, long size, long maxBytes) throws SourceException {
    if (size > maxBytes) {
      throw new SourceException(
          FailureReason.TOO_LARGE, location + " has " + size + " bytes; the limit is " + maxBytes);
    }
  }
}
