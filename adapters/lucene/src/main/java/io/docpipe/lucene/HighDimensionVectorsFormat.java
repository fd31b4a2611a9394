package io.docpipe.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW vector format with a dimension limit of 4,096 instead of 1,024.
 *
 * <p>It keeps the delegate's name, so segments record the standard format and any Lucene can read
 * them; the limit is only checked when writing, through the codec {@link #codec()} returns.
 */
final class HighDimensionVectorsFormat extends KnnVectorsFormat {

  static final int MAX_DIMENSIONS = 4096;

  private final KnnVectorsFormat delegate;

  private HighDimensionVectorsFormat(KnnVectorsFormat delegate) {
    super(delegate.getName());
    this.delegate = delegate;
  }

  /** The current default codec, writing vector fields with this format. */
  static Codec codec() {
    KnnVectorsFormat format = new HighDimensionVectorsFormat(new Lucene99HnswVectorsFormat());
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return "HighDimensionVectorsFormat(" + delegate + ", maxDimensions=" + MAX_DIMENSIONS + ")";
  }
}
