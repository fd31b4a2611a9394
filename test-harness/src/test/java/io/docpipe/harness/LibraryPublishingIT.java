package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libraries as a user gets them: the parent, the BOM and docpipe-core deployed with the {@code
 * release} profile to a file repository (a child Maven run, nothing written to ~/.m2), carrying
 * what Maven Central requires, each file signed with a key made for the test and checked with
 * {@code gpg --verify}; then a small consumer project that imports the BOM, depends on docpipe-core
 * without a version, compiles and runs a main. Kept to core + BOM: each further module adds about
 * half a minute of javadoc here.
 */
class LibraryPublishingIT {

  private static final Path ROOT =
      Path.of(System.getProperty("docpipe.samples.dir")).toAbsolutePath().getParent();

  private @Nullable Path gnupgHome;

  /** The gpg-agent that signing started outlives the test otherwise. */
  @AfterEach
  void stopGpgAgent() throws Exception {
    if (gnupgHome != null) {
      run(Map.of("GNUPGHOME", gnupgHome.toString()), "gpgconf", "--kill", "all");
    }
  }

  @Test
  void coreAndBom_deployToAFileRepository_andAConsumerBuildsAndRunsAgainstThem(@TempDir Path work)
      throws Exception {
    String version = version();
    Path repo = work.resolve("repo");
    Path local = work.resolve("m2");
    String tail = Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    Path gnupg = signingKey(work);
    gnupgHome = gnupg;

    maven(
        ROOT,
        Map.of("GNUPGHOME", gnupg.toString()),
        work.resolve("deploy.log"),
        "-Prelease",
        "-pl",
        ".,bom,core",
        "deploy",
        "-DskipTests",
        "-Djib.skip=true",
        "-Dexec.skip=true",
        "-DaltDeploymentRepository=local::" + repo.toUri(),
        "-Dmaven.repo.local=" + local,
        "-Dmaven.repo.local.tail=" + tail);

    Path core = repo.resolve("io/docpipe/docpipe-core/" + version);
    assertThat(files(core, "-sources.jar")).as("sources jar").hasSize(1);
    assertThat(files(core, "-javadoc.jar")).as("javadoc jar").hasSize(1);
    assertThat(files(core, ".jar")).as("the jar itself").hasSize(1);
    for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
      Path artifact = files(core, suffix).getFirst();
      Path signature = artifact.resolveSibling(artifact.getFileName() + ".asc");
      assertThat(signature).as("signature of %s", artifact.getFileName()).exists();
      assertThat(
              run(
                  Map.of("GNUPGHOME", gnupg.toString()),
                  "gpg",
                  "--batch",
                  "--verify",
                  signature.toString(),
                  artifact.toString()))
          .as("gpg --verify %s", signature.getFileName())
          .contains("Good signature");
    }
    String corePom = Files.readString(files(core, ".pom").getFirst());
    assertThat(corePom).contains("<name>").contains("<description>").contains("docpipe-parent");
    for (String pom :
        List.of(
            Files.readString(
                files(repo.resolve("io/docpipe/docpipe-parent/" + version), ".pom").getFirst()),
            Files.readString(
                files(repo.resolve("io/docpipe/docpipe-bom/" + version), ".pom").getFirst()))) {
      assertThat(pom)
          .contains("<url>")
          .contains("<licenses>")
          .contains("<developers>")
          .contains("<scm>")
          .contains("<description>");
    }

    Path consumer = work.resolve("consumer");
    Files.createDirectories(consumer.resolve("src/main/java/example"));
    Files.writeString(
        consumer.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId>
          <artifactId>consumer</artifactId>
          <version>1</version>
          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <repositories>
            <repository>
              <id>docpipe-release</id>
              <url>%s</url>
              <snapshots><enabled>true</enabled></snapshots>
            </repository>
          </repositories>
          <dependencyManagement>
            <dependencies>
              <dependency>
                <groupId>io.docpipe</groupId>
                <artifactId>docpipe-bom</artifactId>
                <version>%s</version>
                <type>pom</type>
                <scope>import</scope>
              </dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency>
              <groupId>io.docpipe</groupId>
              <artifactId>docpipe-core</artifactId>
            </dependency>
          </dependencies>
          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.14.1</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-dependency-plugin</artifactId>
                <version>3.9.0</version>
              </plugin>
            </plugins>
          </build>
        </project>
        """
            .formatted(repo.toUri(), version));
    Files.writeString(
        consumer.resolve("src/main/java/example/Main.java"),
        """
        package example;

        import io.docpipe.core.model.ContentHash;

        public class Main {
          public static void main(String[] args) {
            System.out.println(ContentHash.of("hello docpipe").hex());
          }
        }
        """);
    maven(
        ROOT,
        Map.of(),
        work.resolve("consumer.log"),
        "-f",
        consumer.resolve("pom.xml").toString(),
        "compile",
        "dependency:build-classpath",
        "-Dmdep.outputFile=" + consumer.resolve("cp.txt"),
        "-Dmaven.repo.local=" + local,
        "-Dmaven.repo.local.tail=" + tail);
    String classpath = Files.readString(consumer.resolve("cp.txt")).strip();
    assertThat(classpath)
        .as("docpipe-core comes from the file repository's copy")
        .contains(local.toString());

    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                consumer.resolve("target/classes") + java.io.File.pathSeparator + classpath,
                "example.Main")
            .redirectErrorStream(true)
            .start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(ContentHash.of("hello docpipe").hex());
  }

  private static String version() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^  <version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(
              p ->
                  suffix.startsWith("-")
                      || !p.getFileName().toString().matches(".*-(sources|javadoc)\\.jar"))
          .sorted()
          .toList();
    }
  }

  /**
   * A GNUPGHOME of its own holding one new signing key without a passphrase, as a release machine
   * holds the project's key: the release profile signs with the default key there.
   */
  private static Path signingKey(Path work) throws Exception {
    Path home = Files.createDirectories(work.resolve("gnupg"));
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    run(
        Map.of("GNUPGHOME", home.toString()),
        "gpg",
        "--batch",
        "--passphrase",
        "",
        "--quick-generate-key",
        "docpipe release test <release-test@docpipe.invalid>",
        "ed25519",
        "sign",
        "1d");
    return home;
  }

  /** Runs a command to its end (at most two minutes); its output and error, or a failed test. */
  private static String run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("LC_ALL", "C"); // gpg's messages, read below, in English
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s ended", command[0]).isTrue();
    assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    return out;
  }

  private static void maven(Path dir, Map<String, String> env, Path log, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-q"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done && p.exitValue() == 0)
        .as("%s\n%s", String.join(" ", command), Files.readString(log))
        .isTrue();
  }
}
