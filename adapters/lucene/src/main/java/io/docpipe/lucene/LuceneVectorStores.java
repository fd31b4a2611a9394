package io.docpipe.lucene;

import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.jspecify.annotations.Nullable;

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
    return open(directory, dimension, null);
  }

  /**
   * As {@link #open(Path, int)}, for vectors of the embedding model {@code modelId}: a new index
   * records the id, and an index that recorded another one is refused, so that two models of the
   * same dimension never mix in one index silently (an index written before ids were recorded is
   * not checked).
   *
   * @throws VectorStoreException when the index holds another model's or dimension's vectors, is
   *     locked by another process or cannot be read
   */
  public static VectorStore open(Path directory, int dimension, @Nullable String modelId) {
    return open(directory, dimension, modelId, Duration.ZERO);
  }

  /**
   * As {@link #open(Path, int, String)}, merging the index into one segment once no write or delete
   * has come for {@code mergeWhenQuietFor}: each write adds a segment, and a search visits every
   * segment, so an index written by many small calls answers about twice as slowly until merged.
   * Indexes above 250,000 points are left to {@link VectorStore#optimizeForSearch()}. Closing the
   * store aborts a running merge. Zero: only {@code optimizeForSearch} merges (ADR 0036).
   *
   * @throws VectorStoreException as {@link #open(Path, int, String)}
   * @throws IllegalArgumentException when {@code mergeWhenQuietFor} is negative
   */
  public static VectorStore open(
      Path directory, int dimension, @Nullable String modelId, Duration mergeWhenQuietFor) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(mergeWhenQuietFor, "mergeWhenQuietFor");
    if (mergeWhenQuietFor.isNegative()) {
      throw new IllegalArgumentException(
          "the quiet period before a merge must not be negative: " + mergeWhenQuietFor);
    }
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
    return LuceneVectorStore.open(
        luceneDirectory, absolute.toString(), dimension, modelId, mergeWhenQuietFor);
  }

  /** A store that lives in this JVM's heap only and is gone when closed. */
  public static VectorStore inMemory(int dimension) {
    checkDimension(dimension);
    return LuceneVectorStore.open(
        new ByteBuffersDirectory(), "memory", dimension, null, Duration.ZERO);
  }

  /**
   * Every point of the committed index in {@code directory}, ordered by point id, with its vector
   * as stored (unit length). Reads without taking the writer's lock, for tools that compare indexes
   * written by other processes; it sees what the last commit holds.
   *
   * @throws VectorStoreException when the directory holds no index or cannot be read
   */
  public static List<Point> readAll(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path absolute = directory.toAbsolutePath().normalize();
    List<Point> points = new ArrayList<>();
    try (Directory luceneDirectory = FSDirectory.open(absolute);
        DirectoryReader reader = DirectoryReader.open(luceneDirectory)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        FloatVectorValues vectors = leaf.reader().getFloatVectorValues(PointDocuments.VECTOR);
        if (vectors == null) {
          continue;
        }
        KnnVectorValues.DocIndexIterator it = vectors.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          var document = stored.document(doc);
          points.add(
              new Point(
                  PointDocuments.pointId(document),
                  vectors.vectorValue(it.index()).clone(),
                  PointDocuments.payload(document)));
        }
      }
    } catch (IOException e) {
      throw new VectorStoreException(
          "cannot read the index in " + absolute + ": " + e.getMessage(), false, e);
    }
    points.sort(Comparator.comparing(p -> p.id().toString()));
    return points;
  }

  private static void checkDimension(int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "vector dimension must be between 1 and " + MAX_DIMENSION + ": " + dimension);
    }
  }
}
