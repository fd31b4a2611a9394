package io.docpipe.lucene;

import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** Opens embedded Lucene vector stores, in a directory on disk or in memory. */
public final class LuceneVectorStores {

  /** Largest vector dimension a store accepts (OpenAI's largest embeddings have 3,072). */
  public static final int MAX_DIMENSION = HighDimensionVectorsFormat.MAX_DIMENSIONS;

  private LuceneVectorStores() {}

  /**
   * Opens the index in {@code directory}, creating the directory and an empty index when absent.
   * Only one store may have a directory open at a time.
   *
   * @throws VectorStoreException when the index holds vectors of another dimension, is locked by
   *     another process or cannot be read
   */
  public static VectorStore open(Path directory, int dimension) {
    Objects.requireNonNull(directory, "directory");
    checkDimension(dimension);
    Path absolute = directory.toAbsolutePath().normalize();
    Directory luceneDirectory;
    try {
      Files.createDirectories(absolute);
      luceneDirectory = FSDirectory.open(absolute);
    } catch (IOException e) {
      throw new VectorStoreException(
          "cannot open the index directory " + absolute + ": " + e.getMessage(), false, e);
    }
    return LuceneVectorStore.open(luceneDirectory, absolute.toString(), dimension);
  }

  /** A store that lives in this JVM's heap only and is gone when closed. */
  public static VectorStore inMemory(int dimension) {
    checkDimension(dimension);
    return LuceneVectorStore.open(new ByteBuffersDirectory(), "memory", dimension);
  }

  private static void checkDimension(int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "vector dimension must be between 1 and " + MAX_DIMENSION + ": " + dimension);
    }
  }
}
