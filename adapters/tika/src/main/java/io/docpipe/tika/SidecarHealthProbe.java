package io.docpipe.tika;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The doc-builder image's health check (ECS {@code healthCheck}, the pod's exec probes): the image
 * has no shell or curl, so the check runs {@code java -cp @/app/jib-classpath-file
 * io.docpipe.tika.SidecarHealthProbe [url]}; exit 0 when Tika's {@code GET /tika} answers 200
 * within 5 s, 1 otherwise.
 *
 * <p>Each run also deletes the spool files that killed parsers left in the container's {@code
 * /tmp}: Tika's forked parser copies each document to {@code apache-tika-*.tmp} there and deletes
 * it when the parse ends, but a parser that dies (out of memory, past {@code taskTimeoutMillis}:
 * the normal end of a hostile document) never does, so without a sweep every hostile document would
 * stay on the sidecar's disk (or, on a memory-backed {@code /tmp}, in its memory) until the
 * container restarts. No parse lives longer than {@code taskTimeoutMillis} (90 s in the shipped
 * config), so a spool file untouched for {@link #ORPHANED_AFTER} belongs to no live parse.
 */
public final class SidecarHealthProbe {

  /** How long a spool file stays untouched before it counts as a dead parser's. */
  static final Duration ORPHANED_AFTER = Duration.ofMinutes(10);

  private SidecarHealthProbe() {}

  public static void main(String[] args) {
    URI url = args.length > 0 ? URI.create(args[0]) : TikaSettings.DEFAULT_URL.resolve("/tika");
    sweepOrphanedSpools(
        Path.of(System.getProperty("java.io.tmpdir")), Instant.now().minus(ORPHANED_AFTER));
    System.exit(healthy(url, Duration.ofSeconds(5)) ? 0 : 1);
  }

  /**
   * Deletes Tika's spool files ({@code apache-tika-*.tmp}, regular files, not links) in {@code
   * directory} last modified before {@code cutoff}; returns how many. Never fails the probe: a file
   * it cannot read or delete is left for the next run.
   */
  static int sweepOrphanedSpools(Path directory, Instant cutoff) {
    int deleted = 0;
    try (DirectoryStream<Path> spools = Files.newDirectoryStream(directory, "apache-tika-*.tmp")) {
      for (Path spool : spools) {
        try {
          if (Files.isRegularFile(spool, LinkOption.NOFOLLOW_LINKS)
              && Files.getLastModifiedTime(spool, LinkOption.NOFOLLOW_LINKS)
                  .toInstant()
                  .isBefore(cutoff)
              && Files.deleteIfExists(spool)) {
            deleted++;
          }
        } catch (IOException e) {
          // Gone meanwhile, or not ours to delete: the health check goes on.
        }
      }
    } catch (IOException e) {
      // No such directory or not readable: nothing to sweep.
    }
    return deleted;
  }

  static boolean healthy(URI url, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      return answers(client, url, timeout);
    }
  }

  /** Whether a GET of {@code url} answers 200 within {@code timeout}; false for any failure. */
  static boolean answers(HttpClient client, URI url, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
