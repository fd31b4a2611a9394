package io.docpipe.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON mapping of docpipe's driving side, for everything that arrives from outside (API
 * bodies, Lambda events, queue messages) and every answer: strict (UTF-8 only, no duplicate keys,
 * nothing after the value, nesting at most {@value #MAX_NESTING} deep; typed reads also refuse
 * unknown fields and silent coercion, {@code "10"} is not a number) and built once, because a
 * mapper is costly to build and safe to share. The HTTP runtimes write their own answers with
 * {@link #write(Object)}.
 */
public final class StrictJson {

  /** Deeper than any docpipe body or AWS event needs; refuses nesting bombs early. */
  public static final int MAX_NESTING = 32;

  static final ObjectMapper MAPPER = newMapper();

  private StrictJson() {}

  private static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    // Numbers and booleans are not strings, strings are not numbers: {"id": 5} or {"k": "10"} is
    // a mistake to report, not to repair.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper
          .coercionConfigFor(numeric)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  /**
   * Parses {@code bytes} as one JSON value.
   *
   * @throws IllegalArgumentException for invalid UTF-8, empty input or malformed JSON, saying which
   */
  public static JsonNode readTree(byte[] bytes) {
    String text;
    try {
      text = StrictText.decode(bytes, 0, StandardCharsets.UTF_8);
    } catch (ExtractionException e) {
      throw new IllegalArgumentException("not valid UTF-8: " + e.getMessage(), e);
    }
    return readTree(text);
  }

  /**
   * Parses {@code text} as one JSON value.
   *
   * @throws IllegalArgumentException for empty input or malformed JSON, saying which
   */
  public static JsonNode readTree(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty; expected a JSON object");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} (a record, a map, a tree) as UTF-8 JSON. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // Our own records and trees always serialise: failing here is a bug worth a loud error.
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** A new, empty object to build an answer in. */
  public static ObjectNode objectNode() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new, empty array to build an answer in. */
  public static ArrayNode arrayNode() {
    return JsonNodeFactory.instance.arrayNode();
  }
}
