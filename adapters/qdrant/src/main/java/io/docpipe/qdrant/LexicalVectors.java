package io.docpipe.qdrant;

import io.qdrant.client.VectorFactory;
import io.qdrant.client.grpc.Points.Vector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Chunk text and query text as sparse vectors for Qdrant's BM25-style lexical search. Terms come
 * from the analysis the Lucene adapter chose by measurement (Unicode word breaks, possessives
 * removed, lower case, Porter stemming, no stop words: ADR 0021); a term's index is a stable 32-bit
 * hash of its UTF-8 bytes (MurmurHash3), so every writer and reader agrees without a shared
 * vocabulary. A chunk's weights are BM25's saturated term frequencies, {@code tf (k1 + 1) / (tf +
 * k1 (1 - b + b len / avgLen))}; the query's are 1 per distinct term; the collection's {@code IDF}
 * modifier makes Qdrant multiply in each term's inverse document frequency, so a score is BM25.
 */
final class LexicalVectors implements AutoCloseable {

  /** The name of the sparse vector in every point and in the collection's configuration. */
  static final String NAME = "lexical";

  static final double K1 = 1.2;
  static final double B = 0.75;

  /**
   * The length a chunk's terms are normalised against. Qdrant keeps no collection-wide average, so
   * docpipe fixes one: default chunks hold 256 word pieces, about 200 analysed terms.
   */
  static final double AVERAGE_TERMS = 200;

  private final Analyzer analyzer =
      new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
          StandardTokenizer source = new StandardTokenizer();
          TokenStream result = new EnglishPossessiveFilter(source);
          result = new LowerCaseFilter(result);
          result = new PorterStemFilter(result);
          return new TokenStreamComponents(source, result);
        }
      };

  /** A chunk's sparse vector, or null when its text has no terms. */
  @org.jspecify.annotations.Nullable
  Vector document(String text) {
    List<String> terms = terms(text);
    if (terms.isEmpty()) {
      return null;
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    for (String term : terms) {
      counts.merge(termIndex(term), 1, Integer::sum);
    }
    double norm = K1 * (1 - B + B * terms.size() / AVERAGE_TERMS);
    List<Float> values = new ArrayList<>(counts.size());
    List<Integer> indices = new ArrayList<>(counts.size());
    counts.forEach(
        (index, tf) -> {
          indices.add(index);
          values.add((float) (tf * (K1 + 1) / (tf + norm)));
        });
    return VectorFactory.vector(values, indices);
  }

  /** The query's distinct term indexes, sorted; empty when the text has no terms. */
  List<Integer> query(String text) {
    TreeMap<Integer, Boolean> distinct = new TreeMap<>();
    for (String term : terms(text)) {
      distinct.put(termIndex(term), true);
    }
    return List.copyOf(distinct.keySet());
  }

  List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(NAME, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing an in-memory string cannot fail", e);
    }
    return terms;
  }

  /** MurmurHash3 (x86, 32 bit, seed 0) of the term's UTF-8 bytes; Qdrant reads it as uint32. */
  static int termIndex(String term) {
    byte[] data = term.getBytes(StandardCharsets.UTF_8);
    int h = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xff)
              | (data[4 * i + 1] & 0xff) << 8
              | (data[4 * i + 2] & 0xff) << 16
              | (data[4 * i + 3] & 0xff) << 24;
      h ^= mix(k);
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int rest = data.length & 3;
    if (rest > 0) {
      int k = 0;
      if (rest == 3) {
        k ^= (data[tail + 2] & 0xff) << 16;
      }
      if (rest >= 2) {
        k ^= (data[tail + 1] & 0xff) << 8;
      }
      k ^= data[tail] & 0xff;
      h ^= mix(k);
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mix(int k) {
    k *= 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    return k * 0x1b873593;
  }

  @Override
  public void close() {
    analyzer.close();
  }
}
