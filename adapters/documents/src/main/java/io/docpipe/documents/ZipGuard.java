package io.docpipe.documents;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Walks a zip container once, inflating every entry into nothing, before any library opens it:
 * entry count, names (no path escaping), duplicate names, total size and each entry's compression
 * ratio are checked against the limits while streaming, so a bomb is refused after inflating at
 * most about the limit, in a fixed small buffer.
 */
final class ZipGuard {

  private static final int BUFFER = 64 * 1024;

  private ZipGuard() {}

  /** A visitor of the entries that passed the checks, e.g. to read the ones worth reading. */
  interface EntryReader {
    /** Called for each file entry; may read {@code data} (already counted against the limits). */
    void entry(String name, InputStream data) throws IOException, ExtractionException;
  }

  /** Checks the whole container; nothing is kept. */
  static void check(byte[] zip, DocumentLimits limits, Expansion expansion)
      throws ExtractionException {
    walk(zip, limits, expansion, (name, data) -> {});
  }

  /**
   * Checks the container while handing each file entry to {@code reader}; the part of an entry the
   * reader leaves unread is inflated and counted too.
   */
  static void walk(byte[] zip, DocumentLimits limits, Expansion expansion, EntryReader reader)
      throws ExtractionException {
    CountingInputStream raw = new CountingInputStream(new ByteArrayInputStream(zip));
    Set<String> names = new HashSet<>();
    int entries = 0;
    byte[] buffer = new byte[BUFFER];
    try (ZipInputStream in = new ZipInputStream(raw)) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries++;
        if (entries > limits.maxEntries()) {
          throw new ExtractionException(
              FailureReason.TOO_LARGE,
              "archive has more than " + limits.maxEntries() + " entries; refused");
        }
        String name = entry.getName();
        checkName(name);
        if (!names.add(name)) {
          throw new ExtractionException(
              FailureReason.INVALID_INPUT, "archive has the entry " + name + " twice; refused");
        }
        if (entry.isDirectory()) {
          continue;
        }
        Expansion.Part part = expansion.part(name);
        long start = raw.count();
        MeteredEntry metered = new MeteredEntry(in, part, raw, start);
        reader.entry(name, metered);
        while (metered.read(buffer, 0, buffer.length) >= 0) {
          // drain and count what the reader left
        }
      }
    } catch (Expansion.Exceeded e) {
      throw e.reason;
    } catch (IOException | IllegalArgumentException e) {
      throw new ExtractionException(
          FailureReason.EXTRACTION_FAILED, "not a readable zip container: " + e.getMessage(), e);
    }
    if (entries == 0) {
      throw new ExtractionException(
          FailureReason.EXTRACTION_FAILED, "not a zip container (no entries)");
    }
  }

  /** Refuses names that would escape a directory they were extracted to ("zip slip"). */
  static void checkName(String name) throws ExtractionException {
    String n = name.replace('\\', '/');
    boolean escapes =
        n.isEmpty()
            || n.startsWith("/")
            || n.indexOf('\0') >= 0
            || (n.length() > 1 && n.charAt(1) == ':')
            || ("/" + n + "/").contains("/../");
    if (escapes) {
      throw new ExtractionException(
          FailureReason.INVALID_INPUT,
          "archive entry name escapes its directory: "
              + (n.length() > 200 ? n.substring(0, 200) + "…" : n)
              + "; refused");
    }
  }

  /** One entry's inflated bytes, counted as they are read; never closes the zip stream. */
  private static final class MeteredEntry extends InputStream {
    private final ZipInputStream in;
    private final Expansion.Part part;
    private final CountingInputStream raw;
    private final long start;

    MeteredEntry(ZipInputStream in, Expansion.Part part, CountingInputStream raw, long start) {
      this.in = in;
      this.part = part;
      this.raw = raw;
      this.start = start;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        part.inflatedIo(n, raw.count() - start);
      }
      return n;
    }

    @Override
    public void close() {
      // the container stays open for the next entry
    }
  }
}
