package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's sweep of dead parsers' spool files: old ones go, anything else stays. */
class SidecarHealthProbeTest {

  @TempDir Path tmp;
  @TempDir Path elsewhere;

  private static Path file(Path dir, String name, Instant modified) throws IOException {
    Path f = Files.writeString(dir.resolve(name), "spooled document bytes");
    Files.setLastModifiedTime(f, FileTime.from(modified));
    return f;
  }

  @Test
  void sweep_deletesOnlyTikaSpoolFilesOlderThanTheCutoff() throws IOException {
    Instant now = Instant.now();
    Instant cutoff = now.minus(SidecarHealthProbe.ORPHANED_AFTER);
    Path orphan = file(tmp, "apache-tika-123.tmp", cutoff.minusSeconds(60));
    Path live = file(tmp, "apache-tika-456.tmp", now.minusSeconds(30));
    Path notTikas = file(tmp, "other-789.tmp", cutoff.minusSeconds(60));
    // The live parser's own file, as old as the parser: not a spool.
    Path parsers = file(tmp, "apache-tika-server-forked-tmp-4242", cutoff.minusSeconds(3_600));
    Path outside = file(elsewhere, "apache-tika-999.tmp", cutoff.minusSeconds(60));
    Path link = Files.createSymbolicLink(tmp.resolve("apache-tika-link.tmp"), outside);
    Files.createDirectory(tmp.resolve("apache-tika-dir.tmp"));

    assertEquals(1, SidecarHealthProbe.sweepOrphanedSpools(tmp, cutoff));

    assertFalse(Files.exists(orphan));
    assertTrue(Files.exists(live), "a spool of a parse that may still run stays");
    assertTrue(Files.exists(notTikas));
    assertTrue(Files.exists(parsers));
    assertTrue(Files.isSymbolicLink(link), "links are not followed nor removed");
    assertTrue(Files.exists(outside));
    assertTrue(Files.isDirectory(tmp.resolve("apache-tika-dir.tmp")));
  }

  @Test
  void sweep_ofAMissingDirectory_deletesNothingAndDoesNotThrow() {
    assertEquals(0, SidecarHealthProbe.sweepOrphanedSpools(tmp.resolve("missing"), Instant.now()));
  }
}
