package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.openai.OpenAiSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocpipeConfigTest {

  @Test
  void defaults_areTheEmbeddedModelAndIndexInDotDocpipe() {
    DocpipeConfig config = DocpipeConfig.defaults();
    assertThat(config.indexDir()).isEqualTo(Path.of(".docpipe"));
    assertThat(config.embedding()).isEqualTo(DocpipeConfig.Embedding.ONNX);
    assertThat(config.vectorStore()).isEqualTo(DocpipeConfig.VectorStoreKind.LUCENE);
    assertThat(config.ingest().chunking()).isEqualTo(ChunkingPolicy.defaults());
    assertThat(config.checkpointDir()).isEqualTo(Path.of(".docpipe", "checkpoints"));
  }

  @Test
  void luceneMergeWhenQuiet_isTenSecondsByDefault_zeroTurnsItOff_andNonsenseIsRefused() {
    assertThat(DocpipeConfig.defaults().luceneMergeWhenQuiet()).hasSeconds(10);
    assertThat(quiet("0").luceneMergeWhenQuiet()).isZero();
    assertThat(quiet("500ms").luceneMergeWhenQuiet()).hasMillis(500);
    assertThat(quiet("PT2M").luceneMergeWhenQuiet()).hasMinutes(2);
    for (String nonsense : new String[] {"-5s", "soon", "25h"}) {
      assertThatThrownBy(() -> quiet(nonsense))
          .hasMessageContaining("DOCPIPE_LUCENE_MERGE_WHEN_QUIET='" + nonsense + "'");
    }
  }

  private static DocpipeConfig quiet(String value) {
    return DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_LUCENE_MERGE_WHEN_QUIET", value));
  }

  @Test
  void extraction_isInProcessByDefault_andTheTikaSidecarWhenAsked() {
    assertThat(DocpipeConfig.defaults().extraction()).isEqualTo(DocpipeConfig.Extraction.INPROCESS);
    assertThat(DocpipeModule.extractors(DocpipeConfig.defaults()))
        .anyMatch(x -> x.supports("application/pdf"))
        .noneMatch(x -> x.getClass().getName().startsWith("io.docpipe.tika."));

    DocpipeConfig tika =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_EXTRACTION", "tika",
                "DOCPIPE_TIKA_URL", "http://127.0.0.1:9999",
                "DOCPIPE_TIKA_TIMEOUT", "30s"));
    assertThat(tika.extraction()).isEqualTo(DocpipeConfig.Extraction.TIKA);
    assertThat(tika.tika().orElseThrow().url()).hasToString("http://127.0.0.1:9999");
    assertThat(tika.tika().orElseThrow().timeout()).hasSeconds(30);
    var extractors = DocpipeModule.extractors(tika);
    // Plain text stays in-process; HTML and PDF go to the sidecar.
    assertThat(extractors.get(0).supports("text/plain")).isTrue();
    assertThat(extractors.stream().filter(x -> x.supports("text/html")).findFirst().orElseThrow())
        .matches(x -> x.getClass().getName().startsWith("io.docpipe.tika."));

    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_EXTRACTION", "sidecar")))
        .hasMessageContaining("DOCPIPE_EXTRACTION");
  }

  @Test
  void values_areParsedWithUnitsAndCaseInsensitiveChoices() {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_INDEX_DIR", "/data/index",
                "DOCPIPE_CHUNKING", "Truncate",
                "DOCPIPE_CHUNK_TOKENS", "128",
                "DOCPIPE_CHUNK_OVERLAP", "0",
                "DOCPIPE_MAX_DOCUMENT_BYTES", "10MiB",
                "DOCPIPE_ONNX_THREADS", "3"));
    assertThat(config.ingest().chunking())
        .isEqualTo(new ChunkingPolicy(128, 0, ChunkingPolicy.Mode.TRUNCATE));
    assertThat(config.ingest().maxDocumentBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(config.onnx().threads()).isEqualTo(3);
    assertThat(config.checkpointDir()).isEqualTo(Path.of("/data/index/checkpoints"));
  }

  @Test
  void onnxPreparedDir_isReadWhenSet_andUnsetByDefault() {
    assertThat(DocpipeConfig.defaults().onnx().preparedDir()).isNull();
    assertThat(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_PREPARED_DIR", "/app/onnx"))
                .onnx()
                .preparedDir())
        .isEqualTo(Path.of("/app/onnx"));
  }

  @Test
  void onnxModel_isChosenByName_andAnUnknownOneIsNamedAsAProblem() {
    assertThat(DocpipeConfig.defaults().onnx().model())
        .isEqualTo(io.docpipe.onnx.OnnxSettings.Model.BGE_SMALL_EN_V15_Q);
    assertThat(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_MODEL", "all-minilm-l6-v2"))
                .onnx()
                .model())
        .isEqualTo(io.docpipe.onnx.OnnxSettings.Model.ALL_MINILM_L6_V2);
    assertThat(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_MODEL", "all-minilm-l6-v2-q"))
                .onnx()
                .model())
        .isEqualTo(io.docpipe.onnx.OnnxSettings.Model.ALL_MINILM_L6_V2_Q);
    assertThat(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_MODEL", "BGE-small-en-v1.5-q"))
                .onnx()
                .model())
        .isEqualTo(io.docpipe.onnx.OnnxSettings.Model.BGE_SMALL_EN_V15_Q);
    assertThatThrownBy(
            () -> DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_MODEL", "bge-large")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_ONNX_MODEL")
        .hasMessageContaining("all-minilm-l6-v2-q")
        .hasMessageContaining("bge-small-en-v1.5-q");
  }

  @Test
  void everyBadValue_isReportedAtOnce_namingTheVariableAndWhatIsAllowed() {
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of(
                        "DOCPIPE_CHUNK_TOKENS", "lots",
                        "DOCPIPE_VECTOR_STORE", "postgres",
                        "DOCPIPE_MAX_DOCUMENT_BYTES", "12 parsecs",
                        "DOCPIPE_ONNX_THREADS", "0")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(4))
        .hasMessageContaining("DOCPIPE_CHUNK_TOKENS='lots' must be a whole number from 8 to 8192")
        .hasMessageContaining("DOCPIPE_VECTOR_STORE='postgres' is not one of [lucene, qdrant]")
        .hasMessageContaining("DOCPIPE_MAX_DOCUMENT_BYTES")
        .hasMessageContaining("DOCPIPE_ONNX_THREADS='0' must be a whole number from 1 to 256");
  }

  @Test
  void overlapOverHalfTheChunk_isRefused() {
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of("DOCPIPE_CHUNK_TOKENS", "100", "DOCPIPE_CHUNK_OVERLAP", "60")))
        .hasMessageContaining(
            "DOCPIPE_CHUNK_OVERLAP='60' must be at most half of DOCPIPE_CHUNK_TOKENS (50)");
  }

  @Test
  void secrets_neverShowTheirValue() {
    Secret key = Secret.of("sk-canary-0123456789");
    assertThat(key.toString()).doesNotContain("canary").isEqualTo("Secret[****]");
    assertThat(Map.of("key", key).toString()).doesNotContain("canary");
    assertThat(key.reveal()).isEqualTo("sk-canary-0123456789");
    assertThat(key).isEqualTo(Secret.of("sk-canary-0123456789")).isNotEqualTo(Secret.of("other"));
    assertThatThrownBy(() -> Secret.of(" ")).hasMessage("a secret must not be blank");
  }

  @Test
  void openAi_isConfiguredFromItsVariables_andTheKeyNeverShows() {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_EMBEDDING", "openai",
                "DOCPIPE_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1",
                "DOCPIPE_OPENAI_MODEL", "nomic-embed-text",
                "DOCPIPE_OPENAI_DIMENSION", "768",
                "DOCPIPE_OPENAI_API_KEY", "sk-canary-0123456789"));
    OpenAiSettings api = config.openAi().orElseThrow();
    assertThat(api.baseUrl().toString()).isEqualTo("http://127.0.0.1:8080/v1");
    assertThat(api.model()).isEqualTo("nomic-embed-text");
    assertThat(api.dimension()).isEqualTo(768);
    assertThat(api.apiKey()).isEqualTo("sk-canary-0123456789");
    assertThat(config.toString()).doesNotContain("canary");
  }

  @Test
  void openAi_rateLimits_defaultToTheAdapters_andFollowTheirVariables() {
    Map<String, String> local =
        Map.of("DOCPIPE_EMBEDDING", "openai", "DOCPIPE_OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    OpenAiSettings defaults = DocpipeConfig.fromEnvironment(local).openAi().orElseThrow();
    assertThat(defaults.requestsPerMinute()).isEqualTo(3_000);
    assertThat(defaults.tokensPerMinute()).isEqualTo(1_000_000);

    Map<String, String> raised = new java.util.HashMap<>(local);
    raised.put("DOCPIPE_OPENAI_REQUESTS_PER_MINUTE", "600000");
    raised.put("DOCPIPE_OPENAI_TOKENS_PER_MINUTE", "50000000");
    OpenAiSettings api = DocpipeConfig.fromEnvironment(raised).openAi().orElseThrow();
    assertThat(api.requestsPerMinute()).isEqualTo(600_000);
    assertThat(api.tokensPerMinute()).isEqualTo(50_000_000);

    Map<String, String> tooLow = new java.util.HashMap<>(local);
    tooLow.put("DOCPIPE_OPENAI_REQUESTS_PER_MINUTE", "0");
    tooLow.put("DOCPIPE_OPENAI_TOKENS_PER_MINUTE", "1000");
    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(tooLow))
        .hasMessageContaining("DOCPIPE_OPENAI_REQUESTS_PER_MINUTE")
        .hasMessageContaining("DOCPIPE_OPENAI_TOKENS_PER_MINUTE");
  }

  @Test
  void openAi_withoutAKeyForTheHostedApi_isRefused_andBadUrlsAreNamed() {
    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_EMBEDDING", "openai")))
        .hasMessageContaining("DOCPIPE_OPENAI_API_KEY must be set");
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of(
                        "DOCPIPE_EMBEDDING",
                        "openai",
                        "DOCPIPE_OPENAI_BASE_URL",
                        "file:///etc/passwd",
                        "DOCPIPE_OPENAI_API_KEY",
                        "sk-canary-x")))
        .hasMessageContaining(
            "DOCPIPE_OPENAI_BASE_URL='file:///etc/passwd' must be an absolute http(s) URL")
        .hasMessageNotContaining("sk-canary");
  }

  @Test
  void openAi_plainHttpUrlWithAKey_isRefusedAtConfiguration_namingTheSetting() {
    Map<String, String> remote =
        Map.of(
            "DOCPIPE_EMBEDDING", "openai",
            "DOCPIPE_OPENAI_BASE_URL", "http://embeddings.internal.example:8080/v1",
            "DOCPIPE_OPENAI_API_KEY", "sk-canary-plain");

    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(remote))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "DOCPIPE_OPENAI_BASE_URL='http://embeddings.internal.example:8080/v1'")
        .hasMessageContaining("DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP=true")
        .hasMessageNotContaining("sk-canary");

    Map<String, String> allowed = new java.util.HashMap<>(remote);
    allowed.put("DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP", "true");
    assertThat(DocpipeConfig.fromEnvironment(allowed).openAi().orElseThrow().allowPlainHttp())
        .isTrue();
    // Over https, or to a loopback address, the key never crosses a network in clear text.
    Map<String, String> tls = new java.util.HashMap<>(remote);
    tls.put("DOCPIPE_OPENAI_BASE_URL", "https://embeddings.internal.example/v1");
    assertThat(DocpipeConfig.fromEnvironment(tls).openAi()).isPresent();
  }

  @Test
  void onnx_hasNoOpenAiSettings() {
    assertThat(DocpipeConfig.defaults().openAi()).isEmpty();
  }

  @Test
  void s3Mirror_isAnExistingDirectory_orNamedAsAProblem(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    assertThat(DocpipeConfig.defaults().s3MirrorDir()).isEmpty();
    assertThat(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_S3_MIRROR_DIR", dir.toString()))
                .s3MirrorDir())
        .contains(dir);
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of("DOCPIPE_S3_MIRROR_DIR", dir.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_S3_MIRROR_DIR=")
        .hasMessageContaining("must be an existing directory");
  }
}
