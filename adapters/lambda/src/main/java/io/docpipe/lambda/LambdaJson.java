package io.docpipe.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON mapping of Lambda events and responses: strict (UTF-8 only, no duplicate keys, nothing
 * after the value) and shared, because a mapper is costly to build and safe to share.
 */
final class LambdaJson {

  static final ObjectMapper MAPPER = newMapper();

  private LambdaJson() {}

  private static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    return mapper;
  }

  /**
   * Parses {@code bytes} as one JSON value.
   *
   * @throws IllegalArgumentException for invalid UTF-8, empty input or malformed JSON, saying which
   */
  static JsonNode read(byte[] bytes) {
    String text;
    try {
      text = StrictText.decode(bytes, 0, StandardCharsets.UTF_8);
    } catch (ExtractionException e) {
      throw new IllegalArgumentException("not valid UTF-8: " + e.getMessage(), e);
    }
    return read(text);
  }

  static JsonNode read(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty; expected a JSON object");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      // Our own records and trees always serialise: failing here is a bug.
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
