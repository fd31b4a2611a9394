package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and random bodies against the JSON endpoints: every answer is a 2xx or a 4xx problem,
 * never a 500, and every request is answered within the client's timeout (no hang). Seeded; the
 * seed and the body are in every failure message.
 */
class FuzzTest {

  private static final long SEED = 20261123L;
  private static final int CASES_PER_ENDPOINT = 300;
  private static final Set<Integer> ALLOWED = Set.of(200, 202, 400, 413, 415);

  private static final String[] VALID = {
    "{\"query\":\"cats that purr\",\"k\":3,\"filter\":{\"team\":\"pets\"},\"minScore\":0.1}",
    "{\"query\":\"x\",\"filter\":{\"lang\":[\"en\",\"de\"]},\"perChunk\":true}",
    "{\"documents\":[{\"id\":\"f.md\",\"text\":\"fuzz\",\"mediaType\":\"text/markdown\",\"metadata\":{\"k\":\"v\"}}]}",
    "{\"documents\":[{\"id\":\"u\",\"uri\":\"s3://bucket/key\"}]}",
  };
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-1",
    "1e309",
    "0.5",
    "\"\\u0000\"",
    "\"query\"",
    "\"documents\"",
    "\"id\"",
    "\"text\"",
    "\"k\"",
    "\"filter\"",
    "\"uri\"",
    "\"\\ud800\"",
    "99999999999999999999",
    "\"metadata\"",
    "{}",
    "[]",
    "\"mediaType\"",
    "\"" + "a".repeat(300) + "\"",
  };

  @TempDir static Path indexDir;
  private static FargateService service;
  private static TestServices.Client client;

  @BeforeAll
  static void start() {
    service =
        TestServices.start(
            indexDir,
            Map.of("DOCPIPE_HTTP_MAX_BODY_BYTES", "16384", "DOCPIPE_HTTP_REQUEST_TIMEOUT", "20s"),
            Runnable::run);
    client = new TestServices.Client(service.port());
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void search_neverAnswers500() {
    fuzz("/v1/search", new Random(SEED));
  }

  @Test
  void documents_neverAnswers500() {
    fuzz("/v1/documents", new Random(SEED + 1));
  }

  private void fuzz(String path, Random random) {
    for (int i = 0; i < CASES_PER_ENDPOINT; i++) {
      byte[] body = body(random);
      HttpResponse<String> response = client.post(path, WRITER, body); // 60 s timeout: no hang
      assertThat(response.statusCode())
          .as(
              "seed %d case %d body %s -> %s",
              SEED, i, new String(body, StandardCharsets.ISO_8859_1), response.body())
          .isIn(ALLOWED);
      if (response.statusCode() >= 400) {
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
      }
    }
  }

  private static byte[] body(Random random) {
    byte[] valid = VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(7)) {
      case 0 -> flipBytes(valid, random);
      case 1 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1)); // truncated
      case 2 -> tokens(random);
      case 3 -> randomBytes(random);
      case 4 -> nested(random);
      case 5 -> splice(valid, random);
      default -> valid;
    };
  }

  private static byte[] flipBytes(byte[] valid, Random random) {
    byte[] copy = valid.clone();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }

  private static byte[] tokens(Random random) {
    StringBuilder sb = new StringBuilder();
    for (int n = random.nextInt(40); n > 0; n--) {
      sb.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(200)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] nested(Random random) {
    int depth = random.nextInt(2000);
    return ("[".repeat(depth) + "]".repeat(random.nextInt(depth + 1)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A valid body with a random value replaced by a token of another type. */
  private static byte[] splice(byte[] valid, Random random) {
    String text = new String(valid, StandardCharsets.UTF_8);
    int colon = text.indexOf(':', random.nextInt(text.length()));
    if (colon < 0) {
      return valid;
    }
    int end = colon + 1;
    while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    return (text.substring(0, colon + 1)
            + TOKENS[random.nextInt(TOKENS.length)]
            + text.substring(end))
        .getBytes(StandardCharsets.UTF_8);
  }
}
