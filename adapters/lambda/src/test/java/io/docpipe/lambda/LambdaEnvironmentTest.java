package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.SecretReader;
import io.docpipe.wiring.SecretRotation;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function's configuration: secrets read at start by ARN, and the embedded-index refusal. */
class LambdaEnvironmentTest {

  private static final String SSM_ARN =
      "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai-api-key";
  private static final String SM_ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf";

  private static Map<String, String> sharedStoreEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_VECTOR_STORE", "qdrant");
    env.put("DOCPIPE_QDRANT_HOST", "qdrant.internal");
    env.put("DOCPIPE_EMBEDDING", "openai");
    env.put(
        "DOCPIPE_SECRETS_FROM",
        "DOCPIPE_OPENAI_API_KEY=" + SSM_ARN + ",DOCPIPE_QDRANT_API_KEY=" + SM_ARN);
    return env;
  }

  @Test
  void secretsNamedByArn_areReadAtStart_intoTheConfiguration() {
    Map<String, String> store = Map.of(SSM_ARN, "sk-from-ssm", SM_ARN, "qdrant-from-sm");
    SecretReader reader = arn -> store.get(arn);
    try (SecretRotation secrets =
        SecretRotation.fromEnvironment(
            sharedStoreEnvironment(), () -> reader, InstantSource.system())) {
      DocpipeConfig config = LambdaEnvironment.configuration(secrets.environment());
      assertThat(config.openAi().orElseThrow().apiKey()).isEqualTo("sk-from-ssm");
      assertThat(config.qdrant().orElseThrow().apiKey()).isEqualTo("qdrant-from-sm");
    }
  }

  @Test
  void unreadableSecret_failsTheStart_namingTheVariableAndArn() {
    SecretReader reader =
        arn -> {
          throw new IllegalStateException("AccessDeniedException for " + arn);
        };
    assertThatThrownBy(
            () ->
                SecretRotation.fromEnvironment(
                    sharedStoreEnvironment(), () -> reader, InstantSource.system()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_QDRANT_API_KEY")
        .hasMessageContaining(SM_ARN);
  }

  @Test
  void embeddedIndex_isRefused_withWhatToSet_unlessExplicitlyAllowed() {
    assertThatThrownBy(() -> LambdaEnvironment.configuration(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_VECTOR_STORE=qdrant")
        .hasMessageContaining("DOCPIPE_ALLOW_EPHEMERAL_INDEX=true");
    assertThatThrownBy(
            () -> LambdaEnvironment.configuration(Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "false")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () -> LambdaEnvironment.configuration(Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "yes")))
        .hasMessageContaining("must be true or false");
    assertThat(
            LambdaEnvironment.configuration(Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true"))
                .vectorStore())
        .isEqualTo(DocpipeConfig.VectorStoreKind.LUCENE);
    assertThat(
            LambdaEnvironment.configuration(
                    Map.of("DOCPIPE_VECTOR_STORE", "qdrant", "DOCPIPE_QDRANT_HOST", "q"))
                .vectorStore())
        .isEqualTo(DocpipeConfig.VectorStoreKind.QDRANT);
  }
}
