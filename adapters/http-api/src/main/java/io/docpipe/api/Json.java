package io.docpipe.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.json.ProblemBody;
import io.docpipe.api.json.SearchBody;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of request bodies and writes of responses over {@link StrictJson}'s one mapper: a
 * body that does not parse becomes a problem naming what is wrong.
 */
final class Json {

  private static final ObjectMapper MAPPER = StrictJson.MAPPER;

  private Json() {}

  /** Parses a request body strictly into {@code type}, or a problem naming what is wrong. */
  static <T> T read(byte[] body, Class<T> type) throws ApiProblemException {
    String text;
    try {
      text = StrictText.decode(body, 0, StandardCharsets.UTF_8);
    } catch (ExtractionException e) {
      throw new ApiProblemException(
          ProblemType.MALFORMED_JSON, "the body is not valid UTF-8: " + e.getMessage());
    }
    if (text.isBlank()) {
      throw new ApiProblemException(
          ProblemType.MALFORMED_JSON, "the body is empty; send a JSON object");
    }
    try {
      T value = MAPPER.readValue(text, type);
      if (value == null) {
        throw new ApiProblemException(
            ProblemType.INVALID_REQUEST, "the body must be a JSON object, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ApiProblemException(
          ProblemType.INVALID_REQUEST,
          "unknown field '"
              + e.getPropertyName()
              + "'"
              + at(e)
              + "; known fields: "
              + e.getKnownPropertyIds());
    } catch (InvalidFormatException e) {
      throw new ApiProblemException(
          ProblemType.INVALID_REQUEST,
          "wrong value" + at(e) + ": expected " + simpleName(e.getTargetType()));
    } catch (MismatchedInputException e) {
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
        throw new ApiProblemException(
            ProblemType.MALFORMED_JSON, "not valid JSON: content after the end of the JSON value");
      }
      throw new ApiProblemException(
          ProblemType.INVALID_REQUEST,
          "wrong type" + at(e) + ": expected " + simpleName(e.getTargetType()));
    } catch (JsonProcessingException e) {
      throw new ApiProblemException(
          ProblemType.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * A search body, read as {@link #read read(body, SearchBody.class)} reads it. A body of the usual
   * shape (an object of known fields, each of exactly the JSON type its field takes, or null) is
   * taken from its tree; any other body is read typed, so every problem is reported by the same
   * code, with the same words, as before. The tree is what the handlers already parse events into,
   * while a typed read first builds a deserializer by introspecting the record (reflection,
   * annotations, creators): on a cold start (Lambda) that is the first search's costliest JSON
   * step, for a body that needs none of it.
   */
  static SearchBody readSearch(byte[] body) throws ApiProblemException {
    SearchBody usual = usualSearch(body);
    return usual != null ? usual : read(body, SearchBody.class);
  }

  /** {@code body} as a search body when it has the usual shape, else null. */
  private static @Nullable SearchBody usualSearch(byte[] body) {
    JsonNode tree;
    try {
      tree = StrictJson.readTree(body); // UTF-8, strictness and limits as the typed read's
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!(tree instanceof ObjectNode object)) {
      return null;
    }
    String query = null;
    Integer k = null;
    Map<String, JsonNode> filter = null;
    Double minScore = null;
    Boolean perChunk = null;
    Integer snippetChars = null;
    String mode = null;
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (!SEARCH_FIELDS.contains(name)) {
        return null; // the typed read names the unknown field and the known ones
      }
      if (value.isNull()) {
        continue; // null, as the typed read leaves a field that is null
      }
      // A value not of its field's JSON type: the typed read says what was expected.
      switch (name) {
        case "query", "mode" -> {
          if (!value.isTextual()) {
            return null;
          }
          if (name.equals("query")) {
            query = value.textValue();
          } else {
            mode = value.textValue();
          }
        }
        case "k", "snippetChars" -> {
          if (!(value instanceof IntNode)) {
            return null;
          }
          if (name.equals("k")) {
            k = value.intValue();
          } else {
            snippetChars = value.intValue();
          }
        }
        case "perChunk" -> {
          if (!value.isBoolean()) {
            return null;
          }
          perChunk = value.booleanValue();
        }
        case "minScore" -> {
          boolean number =
              value instanceof IntNode
                  || value instanceof LongNode
                  || (value instanceof DoubleNode && Double.isFinite(value.doubleValue()));
          if (!number) {
            return null;
          }
          minScore = value.doubleValue();
        }
        default -> { // filter
          if (!(value instanceof ObjectNode entries)) {
            return null;
          }
          filter = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> entry : entries.properties()) {
            filter.put(entry.getKey(), entry.getValue());
          }
        }
      }
    }
    return new SearchBody(query, k, filter, minScore, perChunk, snippetChars, mode);
  }

  private static final java.util.Set<String> SEARCH_FIELDS =
      java.util.Set.of("query", "k", "filter", "minScore", "perChunk", "snippetChars", "mode");

  private static String at(MismatchedInputException e) {
    if (e.getPath().isEmpty()) {
      return "";
    }
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    return " at '" + path + "'";
  }

  private static String simpleName(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  static ApiResponse ok(Object body) {
    return response(200, ApiResponse.JSON, body);
  }

  static ApiResponse problem(Problem problem) {
    ProblemType type = problem.type();
    return response(
        type.status(),
        ApiResponse.PROBLEM_JSON,
        new ProblemBody(type.uri().toString(), type.title(), type.status(), problem.detail()));
  }

  static ApiResponse response(int status, String contentType, Object body) {
    return new ApiResponse(status, Map.of("Content-Type", contentType), StrictJson.write(body));
  }
}
