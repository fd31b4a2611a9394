package io.docpipe.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * How chunk text and query text become lexical terms: the one analysis both sides of a lexical
 * search share, named so that an index records which one wrote it. {@link #CHOSEN} is the one
 * docpipe indexes with; the others stay for the measurement that chose it (ADR 0021).
 */
enum LexicalAnalysis {
  /** Unicode word breaks, lower case: no stop words, no stemming. */
  STANDARD,
  /** Lucene's EnglishAnalyzer: possessives, lower case, English stop words, Porter stemming. */
  ENGLISH,
  /** As {@link #ENGLISH} without stop words (BM25's IDF weighs them near 0 anyway). */
  ENGLISH_NO_STOP,
  /**
   * Unicode word breaks, lower case, English stop words, Krovetz stemming (gentler than Porter).
   */
  KSTEM;

  /**
   * The analysis docpipe writes and searches with. BM25 nDCG@10 on SciFact, one document per
   * abstract: standard 0.66058, english 0.68258, english-no-stop 0.68615, kstem 0.67964.
   */
  static final LexicalAnalysis CHOSEN = ENGLISH_NO_STOP;

  /** The name an index records in its commit data ({@code docpipe.lexical}). */
  String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-v1";
  }

  Analyzer analyzer() {
    return switch (this) {
      case STANDARD -> new StandardAnalyzer(CharArraySet.EMPTY_SET);
      case ENGLISH -> new EnglishAnalyzer();
      case ENGLISH_NO_STOP -> chain(false, true);
      case KSTEM -> chain(true, false);
    };
  }

  private static Analyzer chain(boolean stopWords, boolean porter) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        TokenStream result = new EnglishPossessiveFilter(source);
        result = new LowerCaseFilter(result);
        if (stopWords) {
          result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        }
        result = porter ? new PorterStemFilter(result) : new KStemFilter(result);
        return new TokenStreamComponents(source, result);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
  }

  /** The terms of {@code text} under {@code analyzer}, in order, repeats kept. */
  static List<String> terms(Analyzer analyzer, String field, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
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
}
