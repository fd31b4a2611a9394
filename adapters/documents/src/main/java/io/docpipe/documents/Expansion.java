package io.docpipe.documents;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * Counts the bytes a document's compressed parts inflate to, against the document's total and each
 * part's compression ratio. One instance per document.
 */
final class Expansion {

  private final DocumentLimits limits;
  private long total;

  Expansion(DocumentLimits limits) {
    this.limits = limits;
  }

  /** One compressed part (a zip entry, a PDF stream) being inflated. */
  Part part(String name) {
    return new Part(name);
  }

  /**
   * Carries an exceeded limit through a library's I/O calls (an inflater, a PDF filter); the caller
   * unwraps {@link #reason}.
   */
  static final class Exceeded extends IOException {
    final ExtractionException reason;

    Exceeded(ExtractionException reason) {
      super(reason.getMessage());
      this.reason = reason;
    }
  }

  final class Part {
    private final String name;
    private long expanded;

    private Part(String name) {
      this.name = name;
    }

    /**
     * Records {@code bytes} more inflated bytes, {@code compressed} compressed bytes having been
     * consumed so far for this part.
     */
    void inflated(long bytes, long compressed) throws ExtractionException {
      expanded += bytes;
      total += bytes;
      if (total > limits.maxExpandedBytes()) {
        throw new ExtractionException(
            FailureReason.TOO_LARGE,
            "document expands past "
                + limits.maxExpandedBytes()
                + " bytes (at "
                + name
                + "); refused as a decompression bomb");
      }
      if (expanded > DocumentLimits.RATIO_GRACE_BYTES
          && expanded > limits.maxCompressionRatio() * Math.max(1, compressed)) {
        throw new ExtractionException(
            FailureReason.TOO_LARGE,
            name
                + " inflates more than "
                + limits.maxCompressionRatio()
                + ":1 ("
                + compressed
                + " compressed bytes to more than "
                + expanded
                + "); refused as a decompression bomb");
      }
    }

    /** {@link #inflated} for I/O code: the limit arrives as {@link Exceeded}. */
    void inflatedIo(long bytes, long compressed) throws Exceeded {
      try {
        inflated(bytes, compressed);
      } catch (ExtractionException e) {
        throw new Exceeded(e);
      }
    }

    /**
     * A sink that counts what is written to it against this part and keeps nothing; {@code
     * compressed} tells how many compressed bytes have been consumed so far.
     */
    OutputStream countingSink(LongSupplier compressed) {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          inflatedIo(1, compressed.getAsLong());
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          inflatedIo(len, compressed.getAsLong());
        }
      };
    }
  }
}
