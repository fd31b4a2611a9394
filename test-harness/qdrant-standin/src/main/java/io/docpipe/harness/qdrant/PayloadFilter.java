package io.docpipe.harness.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Qdrant's filter semantics over one point's payload: {@code must} (all), {@code should} (at least
 * one when present), {@code must_not} (none), {@code min_should}, nested filters, {@code has_id},
 * and field conditions with match keyword / integer / boolean / keywords (any) / except keywords
 * and numeric ranges. Keys are JSON paths ({@code a.b}, {@code a."dotted.key"}); a list value
 * matches when any element does. Anything else is refused with {@code UNIMPLEMENTED}.
 */
final class PayloadFilter {

  private static final Map<String, List<String>> PATHS = new ConcurrentHashMap<>();

  private PayloadFilter() {}

  static boolean matches(Filter filter, PointId id, Map<String, Value> payload) {
    for (Condition c : filter.getMustList()) {
      if (!matches(c, id, payload)) {
        return false;
      }
    }
    if (filter.getShouldCount() > 0
        && filter.getShouldList().stream().noneMatch(c -> matches(c, id, payload))) {
      return false;
    }
    for (Condition c : filter.getMustNotList()) {
      if (matches(c, id, payload)) {
        return false;
      }
    }
    if (filter.hasMinShould()) {
      long hits =
          filter.getMinShould().getConditionsList().stream()
              .filter(c -> matches(c, id, payload))
              .count();
      if (hits < filter.getMinShould().getMinCount()) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(Condition condition, PointId id, Map<String, Value> payload) {
    return switch (condition.getConditionOneOfCase()) {
      case FIELD -> matchesField(condition.getField(), payload);
      case FILTER -> matches(condition.getFilter(), id, payload);
      case HAS_ID -> condition.getHasId().getHasIdList().contains(id);
      default ->
          throw Status.UNIMPLEMENTED
              .withDescription(
                  "the Qdrant stand-in does not implement "
                      + condition.getConditionOneOfCase()
                      + " conditions")
              .asRuntimeException();
    };
  }

  private static boolean matchesField(FieldCondition field, Map<String, Value> payload) {
    List<Value> values = resolve(payload, field.getKey());
    if (field.hasMatch()) {
      Match match = field.getMatch();
      return switch (match.getMatchValueCase()) {
        case KEYWORD ->
            values.stream()
                .anyMatch(v -> v.hasStringValue() && v.getStringValue().equals(match.getKeyword()));
        case KEYWORDS ->
            values.stream()
                .anyMatch(
                    v ->
                        v.hasStringValue()
                            && match.getKeywords().getStringsList().contains(v.getStringValue()));
        case EXCEPT_KEYWORDS ->
            values.stream()
                .anyMatch(
                    v ->
                        v.hasStringValue()
                            && !match
                                .getExceptKeywords()
                                .getStringsList()
                                .contains(v.getStringValue()));
        case INTEGER ->
            values.stream()
                .anyMatch(v -> v.hasIntegerValue() && v.getIntegerValue() == match.getInteger());
        case INTEGERS ->
            values.stream()
                .anyMatch(
                    v ->
                        v.hasIntegerValue()
                            && match.getIntegers().getIntegersList().contains(v.getIntegerValue()));
        case BOOLEAN ->
            values.stream()
                .anyMatch(v -> v.hasBoolValue() && v.getBoolValue() == match.getBoolean());
        default ->
            throw Status.UNIMPLEMENTED
                .withDescription(
                    "the Qdrant stand-in does not implement match " + match.getMatchValueCase())
                .asRuntimeException();
      };
    }
    if (field.hasRange()) {
      Range range = field.getRange();
      return values.stream()
          .filter(v -> v.hasIntegerValue() || v.hasDoubleValue())
          .mapToDouble(v -> v.hasIntegerValue() ? v.getIntegerValue() : v.getDoubleValue())
          .anyMatch(
              x ->
                  (!range.hasLt() || x < range.getLt())
                      && (!range.hasLte() || x <= range.getLte())
                      && (!range.hasGt() || x > range.getGt())
                      && (!range.hasGte() || x >= range.getGte()));
    }
    throw Status.UNIMPLEMENTED
        .withDescription(
            "the Qdrant stand-in implements field conditions with match or range only: "
                + field.getKey())
        .asRuntimeException();
  }

  /** The values at a JSON path; lists are flattened, as Qdrant matches any element. */
  static List<Value> resolve(Map<String, Value> payload, String key) {
    List<String> path = PATHS.computeIfAbsent(key, PayloadFilter::parsePath);
    if (path.size() == 1) {
      Value only = payload.get(key);
      return only == null ? List.of() : flatten(List.of(only));
    }
    List<Value> current = new ArrayList<>();
    Value first = payload.get(path.getFirst());
    if (first != null) {
      current.add(first);
    }
    for (String segment : path.subList(1, path.size())) {
      List<Value> next = new ArrayList<>();
      for (Value v : flatten(current)) {
        if (v.hasStructValue() && v.getStructValue().containsFields(segment)) {
          next.add(v.getStructValue().getFieldsOrThrow(segment));
        }
      }
      current = next;
    }
    return flatten(current);
  }

  private static List<Value> flatten(List<Value> values) {
    List<Value> flat = new ArrayList<>();
    for (Value v : values) {
      if (v.hasListValue()) {
        flat.addAll(v.getListValue().getValuesList());
      } else {
        flat.add(v);
      }
    }
    return flat;
  }

  /** Splits {@code a.b."c.d"} into {@code [a, b, c.d]}. */
  static List<String> parsePath(String key) {
    List<String> segments = new ArrayList<>();
    StringBuilder segment = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        segments.add(segment.toString());
        segment.setLength(0);
      } else {
        segment.append(c);
      }
    }
    if (quoted) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: unclosed quote in key " + key)
          .asRuntimeException();
    }
    segments.add(segment.toString());
    if (PATHS.size() > 10_000) {
      PATHS.clear(); // a bound on the cache, not a correctness matter
    }
    if (segments.stream().anyMatch(String::isEmpty)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: empty segment in key " + key)
          .asRuntimeException();
    }
    return List.copyOf(segments);
  }
}
