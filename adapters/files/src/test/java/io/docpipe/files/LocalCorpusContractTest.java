package io.docpipe.files;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.testkit.CorpusContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local directory corpus passes the corpus contract; {@link ManifestCorpusContractTest} runs it
 * over the same files, listed by a manifest.
 */
class LocalCorpusContractTest extends CorpusContract {

  @TempDir Path temp;
  private int corpora;

  @Override
  protected CorpusUnderTest givenCorpus(Map<String, byte[]> documentsById) throws Exception {
    Path root = writeFiles(documentsById);
    LocalCorpus corpus = LocalFiles.corpus(root);
    return CorpusUnderTest.of(corpus, id -> Files.delete(root.resolve(id.value())));
  }

  /** A new folder holding each document as the file its id names. */
  final Path writeFiles(Map<String, byte[]> documentsById) throws IOException {
    Path root = Files.createDirectory(temp.resolve("corpus-" + corpora++));
    for (Map.Entry<String, byte[]> document : documentsById.entrySet()) {
      Path file = root.resolve(document.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, document.getValue());
    }
    return root;
  }

  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    Path outside = Files.writeString(temp.resolve("outside-" + corpora + ".txt"), "secret");
    return Optional.of(
        new DocumentRef(DocumentId.of("outside.txt"), outside.toUri(), Map.of(), null));
  }
}
