package io.docpipe.files;

import io.docpipe.testkit.CorpusContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The local directory corpus passes the corpus contract. */
class LocalCorpusContractTest extends CorpusContract {

  @TempDir Path temp;
  private int corpora;

  @Override
  protected CorpusUnderTest givenCorpus(Map<String, byte[]> documentsById) throws Exception {
    Path root = Files.createDirectory(temp.resolve("corpus-" + corpora++));
    for (Map.Entry<String, byte[]> document : documentsById.entrySet()) {
      Path file = root.resolve(document.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, document.getValue());
    }
    LocalCorpus corpus = LocalFiles.corpus(root);
    return CorpusUnderTest.of(corpus, id -> Files.delete(root.resolve(id.value())));
  }
}
