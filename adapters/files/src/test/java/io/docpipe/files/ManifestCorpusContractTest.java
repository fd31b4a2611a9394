package io.docpipe.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.out.CorpusListing.CorpusUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A manifest-listed corpus passes the corpus contract (over the files {@link
 * LocalCorpusContractTest} writes), and lists only what its manifest names.
 */
class ManifestCorpusContractTest extends LocalCorpusContractTest {

  @Override
  protected CorpusUnderTest givenCorpus(Map<String, byte[]> documentsById) throws Exception {
    Path root = writeFiles(documentsById);
    List<String> lines = new ArrayList<>(documentsById.keySet());
    Collections.reverse(lines); // any order in the manifest; the listing sorts
    Path manifest = root.resolve(".manifest");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    LocalCorpus corpus = LocalFiles.manifestCorpus(manifest);
    return CorpusUnderTest.of(
        corpus,
        id -> {
          Files.delete(root.resolve(id.value()));
          List<String> kept = new ArrayList<>(Files.readAllLines(manifest));
          kept.remove(id.value());
          Files.write(manifest, kept, StandardCharsets.UTF_8);
        });
  }

  @Test
  void onlyNamedFilesAreListed_commentsBlanksDuplicatesAndEscapesSkipped() throws Exception {
    Path root = Files.createDirectory(temp.resolve("m"));
    Files.writeString(root.resolve("a.txt"), "a");
    Files.writeString(root.resolve("b.txt"), "b");
    Files.writeString(root.resolve("unlisted.txt"), "c");
    Path manifest = root.resolve("corpus.manifest");
    Files.writeString(
        manifest, "# the corpus\nb.txt\n\n a.txt \nb.txt\n../outside.txt\nmissing.txt\n");
    List<String> ids =
        LocalFiles.manifestCorpus(manifest).list(null).map(r -> r.id().value()).toList();
    assertThat(ids).containsExactly("a.txt", "b.txt", "missing.txt");
    List<DocumentRef> after =
        LocalFiles.manifestCorpus(manifest).list(DocumentId.of("a.txt")).toList();
    assertThat(after).extracting(r -> r.id().value()).containsExactly("b.txt", "missing.txt");
  }

  @Test
  void aMissingManifest_isAPermanentCorpusFailure() {
    assertThatThrownBy(() -> LocalFiles.manifestCorpus(temp.resolve("nope.manifest")).list(null))
        .isInstanceOfSatisfying(
            CorpusUnavailableException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("does not exist");
  }
}
