package io.docpipe.core.port.out;

import io.docpipe.core.chunking.TokenCounter;
import java.util.List;

/** Outgoing port for turning texts into unit-length vectors that can be compared by cosine. */
public interface EmbeddingModel {

  /**
   * A stable name of the model and its settings (e.g. {@code onnx:all-MiniLM-L6-v2}); part of every
   * document's hash, so that switching models re-indexes instead of mixing vectors.
   */
  String modelId();

  /** Length of every vector this model returns. */
  int dimension();

  /**
   * Most tokens of one input the model reads, not counting special tokens it adds itself (for a
   * BERT model with 256 positions: 254). Longer inputs would be truncated, so the chunker keeps
   * every chunk within it.
   */
  int maxInputTokens();

  /** Tokens {@code text} takes, counted the way {@link #maxInputTokens()} is. */
  int countTokens(String text);

  /**
   * {@link #countTokens} as the chunker uses it. Models whose tokenizer never joins text across
   * white space override it to count the ranges of one text from per-word counts (see {@link
   * TokenCounter#over}); the default counts each range afresh.
   */
  default TokenCounter tokenCounter() {
    return this::countTokens;
  }

  /**
   * Embeds {@code texts} in one call: one L2-normalised vector of {@link #dimension()} floats per
   * text, in the same order. Implementations split large lists into batches themselves.
   *
   * @throws EmbeddingException when the batch cannot be embedded
   */
  List<float[]> embed(List<String> texts);

  /**
   * Embeds search queries, to be compared with passages {@link #embed embedded} for the index.
   * Models trained with a query instruction (BGE: "Represent this sentence for searching relevant
   * passages: ") prepend it here and only here; the default embeds queries as passages, as
   * symmetric models (all-MiniLM-L6-v2) want.
   *
   * @throws EmbeddingException when the batch cannot be embedded
   */
  default List<float[]> embedQueries(List<String> queries) {
    return embed(queries);
  }
}
