package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client replaced after a rotation: calls in flight finish on the old one, which is closed only
 * then; new calls use the new one. The clients are fakes that record which key served each call and
 * when they were closed: the interleaving is what is under test, and it needs a call held open.
 */
class RotatingTest {

  @TempDir Path tmp;

  /** A client that serves with one key, holding a call open when asked to. */
  static final class Client implements AutoCloseable {
    final String key;
    final List<String> events;

    Client(String key, List<String> events) {
      this.key = key;
      this.events = events;
    }

    String call(CountDownLatch entered, CountDownLatch release) throws InterruptedException {
      entered.countDown();
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      events.add("served with " + key);
      return key;
    }

    @Override
    public void close() {
      events.add("closed " + key);
    }
  }

  @Test
  void callInFlight_finishesOnTheOldClient_newCallsUseTheNewOne_andTheOldClosesAfterwards()
      throws Exception {
    SecretFolder folder = keyFolder();
    List<String> events = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (SecretRotation secrets = openAiKeyFrom(folder);
        Rotating<Client> rotating = rotatingClient(secrets, events)) {
      CountDownLatch oldEntered = new CountDownLatch(1);
      CountDownLatch releaseOld = new CountDownLatch(1);
      Future<String> inFlight =
          pool.submit(() -> rotating.call(c -> uncheckedCall(c, oldEntered, releaseOld)));
      assertThat(oldEntered.await(10, TimeUnit.SECONDS)).isTrue();

      folder.rotate(Map.of("DOCPIPE_OPENAI_API_KEY", "k2"));
      // A refusal makes the rotation read the folder at once.
      assertThat(secrets.refreshAfterRefusal(secrets.version())).isTrue();
      String fresh =
          rotating.call(c -> uncheckedCall(c, new CountDownLatch(1), new CountDownLatch(0)));
      assertThat(fresh).isEqualTo("k2");
      assertThat(events).containsExactly("served with k2").doesNotContain("closed k1");

      releaseOld.countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("k1");
      assertThat(events).containsExactly("served with k2", "served with k1", "closed k1");
    } finally {
      pool.shutdownNow();
    }
    assertThat(events).endsWith("closed k2");
  }

  @Test
  void refusedCall_isSentOnceMoreOnTheNewClient_andOnlyOnce() throws Exception {
    SecretFolder folder = keyFolder();
    List<String> events = new CopyOnWriteArrayList<>();
    try (SecretRotation secrets = openAiKeyFrom(folder);
        Rotating<Client> rotating = rotatingClient(secrets, events)) {
      folder.rotate(Map.of("DOCPIPE_OPENAI_API_KEY", "k2"));
      String served =
          rotating.call(
              c -> {
                events.add("attempt with " + c.key);
                if (!c.key.equals("k2")) {
                  throw new IllegalArgumentException("HTTP 401");
                }
                return c.key;
              });
      assertThat(served).isEqualTo("k2");
      assertThat(events).containsExactly("attempt with k1", "closed k1", "attempt with k2");
    }
  }

  @Test
  void clientBuiltFromTheStartsKeys_afterAnotherClientsRefusalReadNewOnes_isReplacedOnItsFirstCall()
      throws Exception {
    SecretFolder folder = keyFolder();
    List<String> events = new CopyOnWriteArrayList<>();
    try (SecretRotation secrets = openAiKeyFrom(folder)) {
      DocpipeConfig atStart = secrets.config();
      // The store opens first and is refused: the rotation reads the new key before the
      // embeddings client is built from the start's configuration (ADR 0030's order).
      folder.rotate(Map.of("DOCPIPE_OPENAI_API_KEY", "k2"));
      assertThat(secrets.refreshAfterRefusal(secrets.version())).isTrue();
      try (Rotating<Client> rotating = rotatingClient(secrets, atStart, events)) {
        String served =
            rotating.call(
                c -> {
                  events.add("attempt with " + c.key);
                  return c.key;
                });
        assertThat(served).isEqualTo("k2");
        assertThat(events).containsExactly("closed k1", "attempt with k2");
      }
    }
  }

  @Test
  void manyCallsRefusedAtOnce_shareOneRead_andAllSucceedWithTheNewKey() throws Exception {
    SecretFolder folder = keyFolder();
    List<String> events = new CopyOnWriteArrayList<>();
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (SecretRotation secrets = openAiKeyFrom(folder);
        Rotating<Client> rotating = rotatingClient(secrets, events)) {
      // Every caller is inside a call on the old client before the key rotates.
      CountDownLatch allIn = new CountDownLatch(callers);
      CountDownLatch rotated = new CountDownLatch(1);
      List<Future<String>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < callers; i++) {
        calls.add(
            pool.submit(
                () ->
                    rotating.call(
                        c -> {
                          if (c.key.equals("k2")) {
                            return c.key;
                          }
                          allIn.countDown();
                          awaitUnchecked(rotated);
                          throw new IllegalArgumentException("HTTP 401 for " + c.key);
                        })));
      }
      assertThat(allIn.await(10, TimeUnit.SECONDS)).isTrue();
      folder.rotate(Map.of("DOCPIPE_OPENAI_API_KEY", "k2"));
      rotated.countDown();
      for (Future<String> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("k2");
      }
      assertThat(secrets.version()).as("one read changed the values, once").isEqualTo(1);
      assertThat(events).containsExactly("closed k1");
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitUnchecked(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String uncheckedCall(Client c, CountDownLatch entered, CountDownLatch release) {
    try {
      return c.call(entered, release);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A mounted-Secret folder holding the OpenAI key {@code k1}. */
  private SecretFolder keyFolder() throws IOException {
    return new SecretFolder(
        Files.createDirectory(tmp.resolve("secrets")), Map.of("DOCPIPE_OPENAI_API_KEY", "k1"));
  }

  /** The OpenAI key read from {@code folder}; no ARNs. */
  private static SecretRotation openAiKeyFrom(SecretFolder folder) {
    return SecretRotation.fromEnvironment(
        Map.of(
            "DOCPIPE_SECRETS_DIR",
            folder.dir().toString(),
            "DOCPIPE_EMBEDDING",
            "openai",
            "DOCPIPE_OPENAI_BASE_URL",
            "http://127.0.0.1:9/v1"),
        () -> {
          throw new AssertionError("no ARN");
        },
        InstantSource.system());
  }

  /** Test clients built with the current key; an IllegalArgumentException is a refusal. */
  private static Rotating<Client> rotatingClient(SecretRotation secrets, List<String> events) {
    return rotatingClient(secrets, secrets.config(), events);
  }

  /** Test clients whose first is built from {@code config}, as a component builds it at start. */
  private static Rotating<Client> rotatingClient(
      SecretRotation secrets, DocpipeConfig config, List<String> events) {
    return new Rotating<>(
        "test client",
        secrets,
        config,
        c -> c.openAi().orElseThrow(),
        c -> new Client(c.openAi().orElseThrow().apiKey(), events),
        failure -> failure instanceof IllegalArgumentException);
  }
}
