package io.docpipe.core.port.in;

import java.util.Locale;
import java.util.Objects;

/**
 * How a search ranks chunks: by meaning ({@link Dense}: cosine of embeddings), by words ({@link
 * Lexical}: BM25 over the analysed chunk text), or by both ({@link Hybrid}: the two rankings fused
 * by reciprocal rank). Dense retrieval finds paraphrases but not identifiers, error codes or part
 * numbers; lexical retrieval finds exact tokens but not meaning; fused, each covers the other's
 * misses (ADR 0021).
 */
public sealed interface RetrievalMode {

  /** The default: hybrid with equal weights, chosen by measurement on BEIR SciFact (ADR 0021). */
  RetrievalMode DEFAULT = new Hybrid(1, 1);

  /** The mode's name as the CLI, the HTTP API and the configuration spell it. */
  String label();

  /** Nearest neighbours of the query's embedding; scores are cosine similarities. */
  record Dense() implements RetrievalMode {
    @Override
    public String label() {
      return "dense";
    }
  }

  /** BM25 over the chunk text, analysed by the store; scores are the store's BM25 scores. */
  record Lexical() implements RetrievalMode {
    @Override
    public String label() {
      return "lexical";
    }
  }

  /**
   * Both rankings fused by reciprocal rank: an item at rank {@code r} (from 1) on a side adds
   * {@code weight / (K + r)} to its score, {@code K} = {@value #K}. A weight of 0 leaves that side
   * out entirely (it is not even queried).
   */
  record Hybrid(double denseWeight, double lexicalWeight) implements RetrievalMode {

    /** The reciprocal-rank constant of Cormack, Clarke and Büttcher (SIGIR 2009). */
    public static final int K = 60;

    public Hybrid {
      if (!(denseWeight >= 0)
          || !(lexicalWeight >= 0)
          || Double.isInfinite(denseWeight)
          || Double.isInfinite(lexicalWeight)) {
        throw new IllegalArgumentException(
            "hybrid weights must be finite and >= 0: dense "
                + denseWeight
                + ", lexical "
                + lexicalWeight);
      }
      if (denseWeight == 0 && lexicalWeight == 0) {
        throw new IllegalArgumentException("hybrid weights must not both be 0");
      }
    }

    /**
     * {@code hybrid} for equal weights, else {@code hybrid:DENSE:LEXICAL}, as {@link #parse} reads
     * it.
     */
    @Override
    public String label() {
      return denseWeight == lexicalWeight
          ? "hybrid"
          : "hybrid:" + number(denseWeight) + ":" + number(lexicalWeight);
    }

    private static String number(double weight) {
      return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
  }

  static RetrievalMode dense() {
    return new Dense();
  }

  static RetrievalMode lexical() {
    return new Lexical();
  }

  /** Hybrid with equal weights. */
  static RetrievalMode hybrid() {
    return new Hybrid(1, 1);
  }

  /**
   * {@code dense}, {@code lexical}, {@code hybrid} (equal weights) or {@code hybrid:DENSE:LEXICAL}
   * (the two weights, e.g. {@code hybrid:1:0.5}), in any case.
   */
  static RetrievalMode parse(String label) {
    Objects.requireNonNull(label, "label");
    String name = label.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("hybrid:")) {
      return weighted(label, name.substring("hybrid:".length()));
    }
    return switch (name) {
      case "dense" -> dense();
      case "lexical" -> lexical();
      case "hybrid" -> hybrid();
      default ->
          throw new IllegalArgumentException(
              "retrieval mode must be dense, lexical or hybrid (hybrid:DENSE:LEXICAL to weigh"
                  + " the two sides, e.g. hybrid:1:0.5), got '"
                  + label
                  + "'");
    };
  }

  private static RetrievalMode weighted(String label, String weights) {
    String[] parts = weights.split(":", -1);
    if (parts.length == 2) {
      try {
        return new Hybrid(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
      } catch (NumberFormatException e) {
        // answered below, with the label as given
      }
    }
    throw new IllegalArgumentException(
        "hybrid weights are written hybrid:DENSE:LEXICAL with two numbers >= 0, e.g. hybrid:1:0.5,"
            + " got '"
            + label
            + "'");
  }
}
