package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code .github/workflows/release.yml} cannot run here (no AWS, no GCP), so it is read: the digest
 * each push job's {@code push} step produces (from {@code build/release-images.sh}) is what its
 * scan and sign steps use and what the deploy jobs receive; nothing deploys a tag.
 */
class ReleaseWorkflowTest {

  private static final Path ROOT =
      Path.of(System.getProperty("docpipe.samples.dir")).toAbsolutePath().getParent();
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

  private static JsonNode workflow() throws Exception {
    return new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve(".github/workflows/release.yml").toFile());
  }

  /** The images the release script pushes, from its {@code images=(…)} line. */
  private static List<String> releasedImages() throws Exception {
    Matcher m =
        Pattern.compile("(?m)^images=\\(([^)]*)\\)")
            .matcher(Files.readString(ROOT.resolve("build/release-images.sh")));
    assertThat(m.find()).as("images=(...) in build/release-images.sh").isTrue();
    return List.of(m.group(1).strip().split("\\s+"));
  }

  /** Jobs whose step {@code push} runs the release script. */
  private static Map<String, JsonNode> pushJobs(JsonNode workflow) {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    workflow
        .get("jobs")
        .properties()
        .forEach(
            job -> {
              for (JsonNode step : job.getValue().path("steps")) {
                if (step.path("run").asText().contains("build/release-images.sh")) {
                  assertThat(step.path("id").asText()).as(job.getKey()).isEqualTo("push");
                  jobs.put(job.getKey(), job.getValue());
                }
              }
            });
    return jobs;
  }

  private static List<String> expressions(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = EXPRESSION.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  @Test
  void bothRegistries_arePushedByTheReleaseScript_andTheDigestsBecomeJobOutputs() throws Exception {
    JsonNode workflow = workflow();
    Map<String, JsonNode> push = pushJobs(workflow);
    assertThat(push.keySet()).containsExactlyInAnyOrder("push-ecr", "push-gar");
    List<String> images = releasedImages();
    assertThat(images).containsExactlyInAnyOrder("lambda", "fargate", "gke", "doc-builder");
    for (Map.Entry<String, JsonNode> job : push.entrySet()) {
      JsonNode step = stepWithId(job.getValue(), "push");
      String releaseDir = step.path("env").path("RELEASE_DIR").asText();
      assertThat(releaseDir).as(job.getKey() + " RELEASE_DIR").isNotEmpty();
      assertThat(step.path("run").asText())
          .as("the script's digests file becomes the step's outputs")
          .contains("cat " + releaseDir + "/digests >> \"$GITHUB_OUTPUT\"");
      assertThat(job.getValue().path("permissions").path("id-token").asText())
          .as(job.getKey() + ": OIDC for the cloud role and keyless signing")
          .isEqualTo("write");
      JsonNode outputs = job.getValue().path("outputs");
      assertThat(outputs.size()).isEqualTo(images.size());
      for (String image : images) {
        assertThat(outputs.path(image).asText())
            .as(job.getKey() + " output " + image)
            .isEqualTo("${{ steps.push.outputs." + image + " }}");
      }
    }
  }

  @Test
  void scanAndSignature_useExactlyThePushedDigests_ofEveryImage() throws Exception {
    JsonNode workflow = workflow();
    List<String> images = releasedImages();
    for (Map.Entry<String, JsonNode> job : pushJobs(workflow).entrySet()) {
      String scan = stepTextNamed(job.getValue(), "Scan");
      String sign = stepTextNamed(job.getValue(), "Sign");
      assertThat(sign).contains("cosign sign");
      for (String image : images) {
        String ref = "${{ steps.push.outputs." + image + " }}";
        assertThat(scan).as(job.getKey() + " scans " + image).contains(ref);
        assertThat(sign)
            .as(job.getKey() + " signs " + image)
            .contains("cosign sign --yes \"" + ref + "\"");
      }
      // Steps after the push name images only through its outputs.
      boolean afterPush = false;
      for (JsonNode step : job.getValue().path("steps")) {
        if (afterPush) {
          for (String e : expressions(step.toString())) {
            if (e.contains("outputs.")) {
              assertThat(e).as(job.getKey()).matches("steps\\.(push|ecr|gcp)\\.outputs\\.[a-z_-]+");
            }
          }
        }
        afterPush |= "push".equals(step.path("id").asText());
      }
    }
  }

  @Test
  void deployJobs_receiveThePushJobsDigests_andTheNamesTheDeployFilesTake() throws Exception {
    JsonNode jobs = workflow().get("jobs");
    String aws = jobs.get("deploy-aws").toString();
    assertThat(jobs.get("deploy-aws").path("needs").asText()).isEqualTo("push-ecr");
    assertThat(aws)
        .contains("-var \\\"lambda_image_uri=${{ needs.push-ecr.outputs.lambda }}\\\"")
        .contains("-var \\\"fargate_image=${{ needs.push-ecr.outputs.fargate }}\\\"")
        .contains("-var \\\"doc_builder_image=${{ needs.push-ecr.outputs.doc-builder }}\\\"");
    String example = Files.readString(ROOT.resolve("deploy/terraform/examples/aws/main.tf"));
    assertThat(example)
        .contains("variable \"lambda_image_uri\"")
        .contains("variable \"fargate_image\"")
        .contains("variable \"doc_builder_image\"");

    JsonNode gke = jobs.get("deploy-gke");
    assertThat(gke.path("needs").asText()).isEqualTo("push-gar");
    String deployStep = stepTextNamed(gke, "Deploy");
    assertThat(deployStep)
        .contains(
            "kustomize edit set image \"docpipe/docpipe-gke=${{ needs.push-gar.outputs.gke }}\"",
            "kustomize edit set image \"docpipe/docpipe-doc-builder="
                + "${{ needs.push-gar.outputs.doc-builder }}\"");
    String overlay = stepNamed(gke, "Deploy").path("working-directory").asText();
    assertThat(ROOT.resolve(overlay).resolve("kustomization.yaml")).isRegularFile();

    // Every job output a deploy job reads comes from a job it needs.
    jobs.properties()
        .forEach(
            job -> {
              for (String e : expressions(job.getValue().toString())) {
                Matcher m = Pattern.compile("needs\\.([a-z-]+)\\.outputs\\.([a-z-]+)").matcher(e);
                if (m.find()) {
                  assertThat(job.getValue().path("needs").toString())
                      .as(job.getKey() + " reads " + e)
                      .contains(m.group(1));
                }
              }
            });
  }

  private static JsonNode stepWithId(JsonNode job, String id) {
    for (JsonNode step : job.path("steps")) {
      if (id.equals(step.path("id").asText())) {
        return step;
      }
    }
    throw new AssertionError("no step with id " + id);
  }

  private static JsonNode stepNamed(JsonNode job, String prefix) {
    for (JsonNode step : job.path("steps")) {
      if (step.path("name").asText().startsWith(prefix)) {
        return step;
      }
    }
    throw new AssertionError("no step named " + prefix + "…");
  }

  private static String stepTextNamed(JsonNode job, String prefix) {
    JsonNode step = stepNamed(job, prefix);
    return step.path("run").asText() + step.path("with").toString();
  }
}
