package io.docpipe.documents;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.io.IOException;
import java.io.Writer;

/** The text of one document as it is extracted; refuses to grow past the character limit. */
final class TextBudget {

  private final int maxChars;
  private final StringBuilder text = new StringBuilder();

  TextBudget(int maxChars) {
    this.maxChars = maxChars;
  }

  TextBudget append(CharSequence more) throws ExtractionException {
    if ((long) text.length() + more.length() > maxChars) {
      throw tooLong();
    }
    text.append(more);
    return this;
  }

  ExtractionException tooLong() {
    return new ExtractionException(
        FailureReason.TOO_LARGE,
        "extracted text passes " + maxChars + " chars; extraction stopped there");
  }

  /**
   * A writer for libraries that write text (PDFBox); it fails with {@link Exceeded} at the limit,
   * which stops the library mid-document.
   */
  Writer writer() {
    return new Writer() {
      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        if ((long) text.length() + length > maxChars) {
          throw new Exceeded();
        }
        text.append(buffer, offset, length);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  int maxChars() {
    return maxChars;
  }

  int length() {
    return text.length();
  }

  @Override
  public String toString() {
    return text.toString();
  }

  /** Thrown through a library's I/O calls when the text passes the limit. */
  static final class Exceeded extends IOException {
    Exceeded() {
      super("text limit reached");
    }
  }
}
