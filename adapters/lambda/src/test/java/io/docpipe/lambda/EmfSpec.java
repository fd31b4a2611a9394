package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A validator of CloudWatch Embedded Metric Format documents, written from the specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * and the CloudWatch limits it points to (MetricDatum units, dimension and name lengths). Returns
 * every violation, so a test shows them all.
 */
final class EmfSpec {

  /** The units a MetricDatum accepts (CloudWatch API reference, StandardUnit). */
  static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  /** A log event is at most 256 KB (the spec: EMF has the limits of any log event). */
  static final int MAX_EVENT_BYTES = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmfSpec() {}

  static List<String> violations(String line) {
    List<String> v = new ArrayList<>();
    if (line.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
      v.add("event larger than 256 KB");
    }
    if (!line.equals(line.strip()) || line.contains("\n")) {
      v.add("data before or after the JSON object, or a line break in it");
    }
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (Exception e) {
      return List.of("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return List.of("the root is not a JSON object");
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      return List.of("no _aws metadata object");
    }
    onlyMembers(aws, Set.of("Timestamp", "CloudWatchMetrics"), "_aws", v);
    JsonNode ts = aws.get("Timestamp");
    if (ts == null || !ts.isIntegralNumber() || ts.asLong() < 0) {
      v.add("_aws.Timestamp must be a number of milliseconds since the epoch");
    }
    JsonNode directives = aws.get("CloudWatchMetrics");
    if (directives == null || !directives.isArray()) {
      v.add("_aws.CloudWatchMetrics must be an array of MetricDirective objects");
      return v;
    }
    for (int d = 0; d < directives.size(); d++) {
      directive(root, directives.get(d), "CloudWatchMetrics[" + d + "]", v);
    }
    return v;
  }

  private static void directive(JsonNode root, JsonNode directive, String at, List<String> v) {
    if (!directive.isObject()) {
      v.add(at + " is not an object");
      return;
    }
    onlyMembers(directive, Set.of("Namespace", "Dimensions", "Metrics"), at, v);
    JsonNode ns = directive.get("Namespace");
    if (ns == null || !ns.isTextual() || ns.asText().isBlank() || ns.asText().length() > 255) {
      v.add(at + ".Namespace must be a string of 1 to 255 characters");
    }
    JsonNode dims = directive.get("Dimensions");
    if (dims == null || !dims.isArray()) {
      v.add(at + ".Dimensions must be an array of DimensionSets");
    } else {
      for (int s = 0; s < dims.size(); s++) {
        JsonNode set = dims.get(s);
        String where = at + ".Dimensions[" + s + "]";
        if (!set.isArray()) {
          v.add(where + " is not an array");
          continue;
        }
        if (set.size() > 30) {
          v.add(where + " has more than 30 dimensions");
        }
        for (JsonNode key : set) {
          JsonNode value = key.isTextual() ? root.get(key.asText()) : null;
          if (value == null || !value.isTextual()) {
            v.add(where + ": dimension " + key + " is not a string member of the root");
          } else if (value.asText().isEmpty() || value.asText().length() > 1024) {
            v.add(where + ": dimension " + key + " must have 1 to 1024 characters");
          }
        }
      }
    }
    JsonNode metrics = directive.get("Metrics");
    if (metrics == null || !metrics.isArray()) {
      v.add(at + ".Metrics must be an array of MetricDefinitions");
      return;
    }
    if (metrics.size() > 100) {
      v.add(at + ".Metrics has more than 100 MetricDefinitions");
    }
    for (int m = 0; m < metrics.size(); m++) {
      JsonNode def = metrics.get(m);
      String where = at + ".Metrics[" + m + "]";
      onlyMembers(def, Set.of("Name", "Unit", "StorageResolution"), where, v);
      JsonNode name = def.get("Name");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        v.add(where + ".Name must be a non-empty string");
        continue;
      }
      if (name.asText().length() > 255) {
        v.add(where + ".Name is longer than 255 characters");
      }
      JsonNode unit = def.get("Unit");
      if (unit != null && !(unit.isTextual() && UNITS.contains(unit.asText()))) {
        v.add(where + ".Unit " + unit + " is not a CloudWatch unit");
      }
      JsonNode res = def.get("StorageResolution");
      if (res != null && !(res.isInt() && (res.asInt() == 1 || res.asInt() == 60))) {
        v.add(where + ".StorageResolution must be 1 or 60");
      }
      JsonNode value = root.get(name.asText());
      if (value == null) {
        v.add(where + ": no root member " + name);
      } else if (value.isArray()) {
        if (value.size() > 100) {
          v.add(where + ": more than 100 values");
        }
        for (JsonNode x : value) {
          if (!x.isNumber()) {
            v.add(where + ": a value that is not a number: " + x);
          }
        }
      } else if (!value.isNumber()) {
        v.add(where + ": the value must be a number or an array of numbers");
      }
    }
  }

  private static void onlyMembers(JsonNode object, Set<String> allowed, String at, List<String> v) {
    if (!object.isObject()) {
      v.add(at + " is not an object");
      return;
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        v.add(at + " has a member the specification does not define: " + field);
      }
    }
  }
}
