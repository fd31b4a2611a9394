package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both AWS stacks ({@code deploy/terraform/ecs-fargate} and {@code deploy/terraform/lambda}) and
 * the alarms module they share ({@code deploy/terraform/modules/alarms}) pass {@code terraform fmt
 * -check}, {@code validate} and their {@code terraform test} files, run with the mocked AWS
 * provider of {@code deploy/terraform/testing/aws} and the provider from the machine's plugin
 * mirror. The ECS test file also proves that {@code deploy/ecs/task-definition.json} is what the
 * module renders; each stack's test file has a failing case per precondition and validation; {@code
 * examples/aws}, the README's walk-through, plans against both modules. Lives here because this
 * module already checks the deploy files (TaskDefinitionTest); the Lambda stack needs nothing from
 * adapters/lambda.
 *
 * <p>Skipped with one line when terraform or a mirror holding {@code hashicorp/aws} is missing
 * ({@code -Ddocpipe.terraform=<binary>}, {@code -Ddocpipe.terraform.plugins=<dir>} override the
 * search).
 */
class TerraformStacksTest {

  private static final Path DEPLOY = Path.of(System.getProperty("docpipe.deploy.dir"));
  private static final List<String> MIRRORS =
      List.of(
          "/opt/tf-plugins",
          System.getProperty("user.home") + "/.terraform.d/plugins",
          "/usr/local/share/terraform/plugins",
          "/usr/share/terraform/plugins");
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

  @ParameterizedTest
  @ValueSource(strings = {"ecs-fargate", "lambda", "examples/aws", "modules/alarms"})
  void stack_isFormatted_valid_andPassesItsTests(String stack, @TempDir Path work)
      throws Exception {
    Optional<Path> terraform = terraform();
    Optional<Path> mirror = mirror();
    assumeTrue(
        terraform.isPresent() && mirror.isPresent(),
        "terraform stacks not checked: needs terraform on PATH and a plugin mirror with"
            + " registry.terraform.io/hashicorp/aws (looked in "
            + MIRRORS
            + "; or -Ddocpipe.terraform.plugins=<dir>)");

    // A copy, so .terraform/ and the lock file never land in the source tree; the ECS test reads
    // ../../ecs/task-definition.json, so the layout under deploy/ is kept.
    copy(DEPLOY.resolve("terraform"), work.resolve("deploy/terraform"));
    copy(DEPLOY.resolve("ecs"), work.resolve("deploy/ecs"));
    Path dir = work.resolve("deploy/terraform/" + stack);
    String tf = terraform.get().toString();

    run(dir, tf, "init", "-backend=false", "-input=false", "-plugin-dir=" + mirror.get());
    run(dir, tf, "fmt", "-check", "-recursive", "-diff");
    run(dir, tf, "validate");
    String out = run(dir, tf, "test");

    Matcher summary = SUMMARY.matcher(out);
    assertThat(summary.find()).as("terraform test summary in:\n" + out).isTrue();
    assertThat(Integer.parseInt(summary.group(2))).as(out).isZero();
    assertThat(Integer.parseInt(summary.group(1))).as(out).isPositive();
    if (!stack.startsWith("examples/")) {
      // A stack has a failing case per precondition and validation; the shared module has fewer.
      int minimumFailingCases = stack.startsWith("modules/") ? 1 : 5;
      long expectFailures;
      try (Stream<Path> tests = Files.list(dir.resolve("tests"))) {
        expectFailures =
            tests
                .flatMap(f -> lines(f).stream())
                .filter(l -> l.strip().startsWith("expect_failures"))
                .count();
      }
      assertThat(expectFailures)
          .as("failing cases in " + stack)
          .isGreaterThanOrEqualTo(minimumFailingCases);
      assertThat(Integer.parseInt(summary.group(1))).isGreaterThan((int) expectFailures);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.add("-no-color");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("CHECKPOINT_DISABLE", "1");
    pb.environment().put("TF_IN_AUTOMATION", "1");
    pb.environment().put("TF_INPUT", "0");
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(done && p.exitValue() == 0)
        .as(String.join(" ", cmd) + " in " + dir + ":\n" + text)
        .isTrue();
    return text;
  }

  private static Optional<Path> terraform() {
    String explicit = System.getProperty("docpipe.terraform");
    if (explicit != null) {
      return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s, "terraform"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Optional<Path> mirror() {
    String explicit = System.getProperty("docpipe.terraform.plugins");
    List<String> candidates = explicit != null ? List.of(explicit) : MIRRORS;
    return candidates.stream()
        .map(Path::of)
        .filter(d -> Files.isDirectory(d.resolve("registry.terraform.io/hashicorp/aws")))
        .findFirst();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(f);
        // A stack someone ran in place: its providers, state and variables are not the source.
        boolean working = false;
        for (Path part : rel) {
          String name = part.toString();
          working |=
              name.startsWith(".terraform")
                  || name.contains(".tfstate")
                  || name.equals("terraform.tfvars");
        }
        if (working) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
