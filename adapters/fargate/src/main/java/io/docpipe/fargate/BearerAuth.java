package io.docpipe.fargate;

import io.docpipe.fargate.FargateSettings.ApiToken;
import io.docpipe.fargate.FargateSettings.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens.
 *
 * <p>401 means "we do not know who you are": no header, another scheme, or a token we do not
 * accept. 403 means "we know you, but your token may not do this": a read token on a route that
 * changes data. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against
 * every configured token without stopping early, so the time taken tells nothing about how much of
 * a token was right or which one matched.
 */
final class BearerAuth {

  /** The outcome of one check. */
  sealed interface Decision {
    /** The request may proceed. */
    record Allowed() implements Decision {}

    /** 401: {@code challenge} goes into {@code WWW-Authenticate}. */
    record Unauthenticated(String detail, String challenge) implements Decision {}

    /** 403: the token is valid but its scope is too narrow. */
    record Forbidden(String detail, String challenge) implements Decision {}
  }

  private static final String REALM = "Bearer realm=\"docpipe\"";
  private static final Decision ALLOWED = new Decision.Allowed();

  private record Entry(byte[] digest, Scope scope) {}

  private final boolean required;
  private final List<Entry> entries;

  BearerAuth(FargateSettings settings) {
    this.required = settings.authRequired();
    this.entries =
        settings.tokens().stream()
            .map((ApiToken t) -> new Entry(sha256(t.token().reveal()), t.scope()))
            .toList();
  }

  Decision check(@Nullable String authorization, Scope needed) {
    if (!required) {
      return ALLOWED;
    }
    if (authorization == null || authorization.isBlank()) {
      return new Decision.Unauthenticated("send 'Authorization: Bearer <token>'", REALM);
    }
    String value = authorization.strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Decision.Unauthenticated(
          "only the Bearer scheme is accepted", REALM + ", error=\"invalid_request\"");
    }
    byte[] presented = sha256(value.substring(7).strip());
    Scope granted = null;
    for (Entry entry : entries) {
      // No early exit: every entry is compared, whatever matched before.
      if (MessageDigest.isEqual(entry.digest(), presented)) {
        granted = entry.scope();
      }
    }
    if (granted == null) {
      return new Decision.Unauthenticated(
          "the bearer token is not accepted", REALM + ", error=\"invalid_token\"");
    }
    if (needed == Scope.WRITE && granted == Scope.READ) {
      return new Decision.Forbidden(
          "this token may only read (search, stats, jobs); this route changes data",
          REALM + ", error=\"insufficient_scope\", scope=\"write\"");
    }
    return ALLOWED;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
