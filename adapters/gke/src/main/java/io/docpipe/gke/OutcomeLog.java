package io.docpipe.gke;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.out.IngestionListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * One line per document outcome appended to a file ({@code worker --outcome-log}): {@code indexed
 * <chunks> <id>}, {@code unchanged 0 <id>}, {@code failed <reason> <id>}. Each line is one append
 * write, so concurrent workers may share a file and a killed worker loses at most the line it was
 * writing. For audits and the crash tests that count how often a document was embedded.
 */
interface OutcomeLog extends IngestionListener {

  OutcomeLog NONE = new OutcomeLog() {};

  static OutcomeLog appendingTo(Path file) {
    return new OutcomeLog() {
      @Override
      public synchronized void documentFinished(DocumentOutcome outcome, Duration took) {
        String line =
            switch (outcome) {
              case DocumentOutcome.Indexed i -> "indexed " + i.chunks() + " " + i.documentId();
              case DocumentOutcome.Unchanged u -> "unchanged 0 " + u.documentId();
              case DocumentOutcome.Deleted d -> "deleted 0 " + d.documentId();
              case DocumentOutcome.Failed f ->
                  "failed " + f.reason().name().toLowerCase(Locale.ROOT) + " " + f.documentId();
            };
        try (FileChannel out =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
          // Escaped, so that an id can never split or forge a line.
          out.write(ByteBuffer.wrap((Printable.of(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          System.getLogger(OutcomeLog.class.getName())
              .log(System.Logger.Level.WARNING, "cannot append to outcome log " + file, e);
        }
      }
    };
  }
}
