package io.docpipe.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.docpipe.api.json.ProblemBody;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

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
