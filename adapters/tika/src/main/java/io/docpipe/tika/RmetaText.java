package io.docpipe.tika;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads the answer of Tika's {@code /rmeta/text}: a JSON array of one object per document (the
 * container first, then each embedded file: a zip's entries, an e-mail's attachments), each with
 * its text in {@code X-TIKA:content}. Read as a stream, holding only the text: the caller's char
 * limit, which Tika was also asked to stop at ({@code writeLimit}), bounds what this process holds.
 */
final class RmetaText {

  static final String CONTENT = "X-TIKA:content";
  static final String CONTAINER_EXCEPTION = "X-TIKA:EXCEPTION:container_exception";
  static final String WRITE_LIMIT_REACHED = "X-TIKA:EXCEPTION:write_limit_reached";

  /** What the answer said. */
  sealed interface Result {
    record Text(String text, int embeddedFailures) implements Result {}

    record TooLong(int maxChars) implements Result {}

    /** Tika could not parse the document itself (its first line of the exception). */
    record Unparseable(String exception) implements Result {}
  }

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();

  private RmetaText() {}

  static Result read(InputStream body, int maxChars) throws IOException {
    StringBuilder text = new StringBuilder();
    String containerException = null;
    int embeddedFailures = 0;
    boolean first = true;
    try (JsonParser json = JSON.createParser(body)) {
      if (json.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("the Tika Server's answer is not a JSON array");
      }
      while (json.nextToken() == JsonToken.START_OBJECT) {
        boolean container = first;
        first = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (CONTENT.equals(field) && value == JsonToken.VALUE_STRING) {
            if (text.length() + json.getTextLength() > maxChars) {
              return new Result.TooLong(maxChars);
            }
            if (!text.isEmpty()) {
              text.append("\n\n");
            }
            text.append(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
          } else if (WRITE_LIMIT_REACHED.equals(field)) {
            return new Result.TooLong(maxChars);
          } else if (CONTAINER_EXCEPTION.equals(field) && value == JsonToken.VALUE_STRING) {
            containerException = firstLine(json.getText());
          } else if (field.startsWith("X-TIKA:EXCEPTION:") && !container) {
            embeddedFailures++;
            json.skipChildren();
          } else {
            json.skipChildren();
          }
        }
      }
    }
    if (containerException != null) {
      // Even when some text came out first: a document read in part fails, as in-process.
      return new Result.Unparseable(containerException);
    }
    return new Result.Text(text.toString(), embeddedFailures);
  }

  private static String firstLine(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
