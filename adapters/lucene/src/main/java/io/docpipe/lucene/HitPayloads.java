package io.docpipe.lucene;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.VectorStoreException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * A point's id and payload as one uncompressed binary doc value, for the search hit path. Stored
 * fields are compressed in blocks, so every hit read from them decompresses a block: a search that
 * reads a few hundred candidates (hybrid search, one hit per document) spent most of its time there
 * (profile in docs/benchmarks.md, "Fargate service"). The stored fields stay, for everything else
 * and for segments written before this field: those hits are read from them.
 */
final class HitPayloads {

  /** The doc-values field holding {@link #encode}'s bytes. */
  static final String FIELD = "hit.values";

  private static final byte FORMAT = 1;

  /** One hit's point id and payload. */
  record Hit(PointId id, PointPayload payload) {}

  private HitPayloads() {}

  static BytesRef encode(PointId id, PointPayload payload) {
    ByteBuffersDataOutput out = new ByteBuffersDataOutput();
    try {
      out.writeByte(FORMAT);
      out.writeLong(id.value().getMostSignificantBits());
      out.writeLong(id.value().getLeastSignificantBits());
      out.writeString(payload.documentId().value());
      out.writeString(payload.documentHash().hex());
      out.writeZInt(payload.chunkIndex());
      out.writeString(payload.text());
      out.writeZInt(payload.start());
      out.writeZInt(payload.end());
      out.writeString(payload.source());
      out.writeVInt(payload.metadata().size());
      for (Map.Entry<String, String> entry : payload.metadata().entrySet()) {
        out.writeString(entry.getKey());
        out.writeString(entry.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return new BytesRef(out.toArrayCopy());
  }

  static Hit decode(BytesRef bytes) throws IOException {
    ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
    byte format = in.readByte();
    if (format != FORMAT) {
      throw new VectorStoreException("unknown hit payload format " + format, false);
    }
    PointId id = new PointId(new UUID(in.readLong(), in.readLong()));
    DocumentId documentId = new DocumentId(in.readString());
    ContentHash hash = new ContentHash(in.readString());
    int chunkIndex = in.readZInt();
    String text = in.readString();
    int start = in.readZInt();
    int end = in.readZInt();
    String source = in.readString();
    int entries = in.readVInt();
    Map<String, String> metadata = new TreeMap<>();
    for (int i = 0; i < entries; i++) {
      metadata.put(in.readString(), in.readString());
    }
    return new Hit(
        id, new PointPayload(documentId, hash, chunkIndex, text, start, end, source, metadata));
  }

  /** The hits of {@code docs} (index-wide doc ids), by doc id. */
  static Map<Integer, Hit> read(IndexSearcher searcher, List<Integer> docs) throws IOException {
    int[] sorted = docs.stream().mapToInt(Integer::intValue).distinct().toArray();
    Arrays.sort(sorted);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Map<Integer, Hit> hits = new HashMap<>();
    StoredFields stored = null;
    int leafIndex = -1;
    BinaryDocValues values = null;
    LeafReaderContext leaf = null;
    for (int doc : sorted) {
      int index = ReaderUtil.subIndex(doc, leaves);
      if (index != leafIndex) {
        leafIndex = index;
        leaf = leaves.get(index);
        // Doc values iterate forwards only: one iterator per leaf, docs in ascending order.
        values = leaf.reader().getBinaryDocValues(FIELD);
      }
      if (values != null && leaf != null && values.advanceExact(doc - leaf.docBase)) {
        hits.put(doc, decode(values.binaryValue()));
      } else {
        if (stored == null) {
          stored = searcher.storedFields();
        }
        var document = stored.document(doc);
        hits.put(doc, new Hit(PointDocuments.pointId(document), PointDocuments.payload(document)));
      }
    }
    return hits;
  }
}
