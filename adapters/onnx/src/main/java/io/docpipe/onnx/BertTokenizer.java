package io.docpipe.onnx;

import static java.util.Objects.requireNonNull;

import io.docpipe.core.chunking.TokenCounter;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * BERT's WordPiece tokenizer as HuggingFace's {@code tokenizers} runs it for a {@code
 * tokenizer.json} with a {@code BertNormalizer}, a {@code BertPreTokenizer} and a {@code WordPiece}
 * model: special tokens found in the raw text, then clean text, CJK splitting, accent stripping,
 * lower-casing, whitespace and punctuation splitting, greedy longest-match-first word pieces.
 *
 * <p>Thread-safe; its only state that changes is a lossy cache of word counts (see {@link #over}).
 * Text that is plain ASCII without control characters (most text) is tokenized without normalizing
 * it (lower-cased on the fly).
 *
 * <p>Character classes come from the JDK's Unicode tables; HuggingFace's come from an older Unicode
 * version, so characters assigned since (rare marks, format characters, punctuation) may be
 * classified differently. Ids are checked against HuggingFace's on SciFact and on awkward text.
 */
final class BertTokenizer implements TokenCounter {

  /** The normalizer's switches, as {@code BertNormalizer} declares them. */
  record Normalization(
      boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {}

  /** A token matched in the raw text before normalization, e.g. {@code [MASK]}. */
  record SpecialToken(String content, int id) {
    SpecialToken {
      requireNonNull(content);
      if (content.isEmpty()) {
        throw new IllegalArgumentException("empty special token");
      }
    }
  }

  private static final byte WORD = 0;
  private static final byte SPACE = 1;
  private static final byte PUNCT = 2;
  private static final byte CONTROL = 3;
  private static final byte[] ASCII_CLASS = asciiClasses();

  /** Kinds of ASCII chars for counting by words (see {@link #wordCharKinds}). */
  private static final byte PLAIN_CHAR = 0;

  private static final byte SPACE_CHAR = 1;
  private static final byte OTHER_CHAR = 2;

  private final Normalization normalization;
  private final VocabTrie vocab;
  private final int continuationRoot;

  /** The first step of a word's first piece, and of a continuation piece, by an ASCII char. */
  private final int[] rootAsciiChildren;

  private final int[] continuationAsciiChildren;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final int maxInputCharsPerWord;
  private final SpecialToken[] specialTokens;
  private final char[] specialFirstChars;
  private final boolean[] asciiSpecialFirst = new boolean[0x80];

  /**
   * Per ASCII char: {@link #SPACE_CHAR} (the white space words are counted apart at), {@link
   * #OTHER_CHAR} (a word holding it takes the general path: a special token may start there, or
   * clean text drops it) or {@link #PLAIN_CHAR}.
   */
  private final byte[] wordCharKinds = new byte[0x80];

  /**
   * Per ASCII char inside a plain word: {@link #PART_OF_A_RUN} for a char of a word piece's word,
   * else the tokens it makes alone where the pre-tokenizer cuts the word at it: 1 for punctuation
   * (a word of its own, one piece or {@code [UNK]}), 0 for white space the word kinds above do not
   * separate words at (vertical tab and form feed without clean text).
   */
  private final byte[] plainCharTokens = new byte[0x80];

  private static final byte PART_OF_A_RUN = -1;

  /**
   * Whether no special token contains ASCII white space: then tokens never span an ASCII white
   * space character, and a text's count is the sum of its words' counts (see {@link #over}).
   */
  private final boolean wordsCountApart;

  BertTokenizer(
      Normalization normalization,
      Map<String, Integer> vocab,
      String continuingSubwordPrefix,
      String unkToken,
      int maxInputCharsPerWord,
      List<SpecialToken> specialTokens,
      int clsId,
      int sepId) {
    this.normalization = requireNonNull(normalization);
    this.vocab = VocabTrie.of(vocab);
    this.continuationRoot = this.vocab.find(continuingSubwordPrefix);
    this.rootAsciiChildren = this.vocab.asciiChildren(this.vocab.root());
    this.continuationAsciiChildren = this.vocab.asciiChildren(continuationRoot);
    Integer unk = vocab.get(unkToken);
    if (unk == null) {
      throw new IllegalArgumentException("unknown token " + unkToken + " is not in the vocabulary");
    }
    this.unkId = unk;
    this.clsId = clsId;
    this.sepId = sepId;
    if (maxInputCharsPerWord < 1) {
      throw new IllegalArgumentException("max_input_chars_per_word must be positive");
    }
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.specialTokens = specialTokens.toArray(SpecialToken[]::new);
    StringBuilder firsts = new StringBuilder();
    for (SpecialToken token : this.specialTokens) {
      char first = token.content().charAt(0);
      if (firsts.indexOf(String.valueOf(first)) < 0) {
        firsts.append(first);
      }
    }
    this.specialFirstChars = firsts.toString().toCharArray();
    boolean apart = true;
    for (SpecialToken token : this.specialTokens) {
      char first = token.content().charAt(0);
      if (first < 0x80) {
        asciiSpecialFirst[first] = true;
      }
      for (int i = 0; i < token.content().length(); i++) {
        apart &= !isAsciiSpace(token.content().charAt(i));
      }
    }
    this.wordsCountApart = apart;
    for (char c = 0; c < 0x80; c++) {
      wordCharKinds[c] =
          isAsciiSpace(c)
              ? SPACE_CHAR
              : asciiSpecialFirst[c] || (normalization.cleanText() && ASCII_CLASS[c] == CONTROL)
                  ? OTHER_CHAR
                  : PLAIN_CHAR;
      byte kind = ASCII_CLASS[c];
      plainCharTokens[c] =
          kind == PUNCT
              ? 1
              : kind == SPACE || (kind == CONTROL && isWhitespace(c)) ? 0 : PART_OF_A_RUN;
    }
  }

  int clsId() {
    return clsId;
  }

  int sepId() {
    return sepId;
  }

  /** Word pieces {@code text} takes, without {@code [CLS]} and {@code [SEP]}. */
  @Override
  public int countTokens(String text) {
    Ids ids = new Ids(Integer.MAX_VALUE, false);
    tokenize(text, ids);
    return ids.size;
  }

  /**
   * Counts of ranges of {@code text} from its words' counts, each word counted once: the chunker
   * asks about the same text many times over (the whole, paragraphs, sentences, then the packed
   * chunks). A range that starts and ends next to ASCII white space (or at an end of the text)
   * holds whole words only, and no step of this tokenizer joins text across such white space
   * (special tokens hold none, pre-tokenization splits there, and normalization never moves a
   * character past it), so its count is the difference of two running sums. Other ranges (cut
   * inside a word, or next to other white space) are counted afresh.
   */
  @Override
  public TokenCounter.Ranges over(String text) {
    requireNonNull(text, "text");
    return wordsCountApart ? new WordRanges(text) : TokenCounter.super.over(text);
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  }

  /** Running word counts of one text, computed as far as the ranges asked about reach. */
  private final class WordRanges implements TokenCounter.Ranges {
    private static final int INSIDE_A_WORD = -1;

    private final String text;

    /** The text's chars, copied once: the scan below reads them without String's coder checks. */
    private final char[] chars;

    /** Tokens of {@code text[0, i)} for each word boundary i up to {@link #done}, else -1. */
    private final int[] before;

    private final Ids counted = new Ids(Integer.MAX_VALUE, false);
    private int done;

    WordRanges(String text) {
      this.text = text;
      this.chars = text.toCharArray();
      this.before = new int[chars.length + 1];
    }

    @Override
    public int countTokens(int start, int end) {
      Objects.checkFromToIndex(start, end, chars.length);
      if (end > done) {
        countWordsTo(end);
      }
      if (before[start] != INSIDE_A_WORD && before[end] != INSIDE_A_WORD) {
        return before[end] - before[start];
      }
      return BertTokenizer.this.countTokens(text.substring(start, end));
    }

    private void countWordsTo(int target) {
      char[] s = chars;
      int[] sums = before;
      byte[] kinds = wordCharKinds;
      int n = s.length;
      int i = done;
      while (i < target) {
        char c = s[i];
        if (c < 0x80 && kinds[c] == SPACE_CHAR) {
          sums[i + 1] = sums[i];
          i++;
          continue;
        }
        int from = i;
        boolean plain = true;
        for (; i < n; i++) {
          c = s[i];
          if (c < 0x80) {
            byte kind = kinds[c];
            if (kind == SPACE_CHAR) {
              break;
            }
            plain &= kind == PLAIN_CHAR;
          } else {
            plain = false;
          }
        }
        int tokens;
        if (plain) {
          tokens = plainWordTokens(from, i);
        } else {
          tokens = BertTokenizer.this.countTokens(text.substring(from, i));
        }
        if (i - from > 1) {
          Arrays.fill(sums, from + 1, i, INSIDE_A_WORD);
        }
        sums[i] = sums[from] + tokens;
      }
      done = i;
    }

    /**
     * Tokens of the ASCII word {@code chars[from, to)} (no white space, control characters or
     * special tokens), as segment() would count it in place: its punctuation alone, plus the runs
     * of letters and digits between, each counted once and remembered. Keyed by runs, not by the
     * whole word, the cache holds "cells" once rather than "cells", "cells," and "(cells": on
     * SciFact (simulated) 43k distinct keys instead of 91k, and cache misses, each a walk of the
     * vocabulary trie, fall from 12.5% to 6.4% of words on a first pass, from 9.7% to 4.0% after.
     */
    private int plainWordTokens(int from, int to) {
      char[] s = chars;
      byte[] alone = plainCharTokens;
      int tokens = 0;
      int run = -1;
      for (int i = from; i < to; i++) {
        byte t = alone[s[i]];
        if (t == PART_OF_A_RUN) {
          if (run < 0) {
            run = i;
          }
        } else {
          if (run >= 0) {
            tokens += runTokens(run, i);
            run = -1;
          }
          tokens += t;
        }
      }
      return run >= 0 ? tokens + runTokens(run, to) : tokens;
    }

    /**
     * Tokens of the run of letters and digits {@code chars[from, to)}, one word to the
     * pre-tokenizer; remembered in {@link #wordCounts} when it has at most {@link
     * #MAX_CACHED_WORD_CHARS} chars.
     */
    private int runTokens(int from, int to) {
      int length = to - from;
      if (length > MAX_CACHED_WORD_CHARS) {
        return countPlainWord(from, to);
      }
      // The word itself, 7 bits per ASCII char: 9 chars per long, no hashing of a copy.
      char[] s = chars;
      int mid = Math.min(to, from + 9);
      long lo = 0;
      long hi = 0;
      for (int i = from; i < mid; i++) {
        lo = lo << 7 | s[i];
      }
      for (int i = mid; i < to; i++) {
        hi = hi << 7 | s[i];
      }
      long h = (lo + length) * 0x9E3779B97F4A7C15L ^ hi * 0xC2B2AE3D27D4EB4FL;
      int slot = (int) (h >>> (64 - WORD_COUNT_BITS));
      WordCount cached = wordCounts[slot];
      if (cached != null && cached.lo == lo && cached.hi == hi && cached.length == length) {
        return cached.tokens;
      }
      int tokens = countPlainWord(from, to);
      wordCounts[slot] = new WordCount(lo, hi, length, tokens);
      return tokens;
    }

    private int countPlainWord(int from, int to) {
      counted.size = 0;
      split(chars, from, to, normalization.lowercase(), counted);
      return counted.size;
    }
  }

  /**
   * 2^16 slots: SciFact's 1.15M runs of letters and digits hold 43k distinct ones (simulated: 6.4%
   * of words miss on a first pass, 4.0% after). A larger table was no clear gain when the keys were
   * whole words (2^18 slots, measured), and a slower one at 2^21: a hit then misses the core's
   * caches too. Full, the cache holds about 2.9 MB.
   */
  private static final int WORD_COUNT_BITS = 16;

  /** Two longs of 9 ASCII chars each: 99.94% of SciFact's runs. */
  private static final int MAX_CACHED_WORD_CHARS = 18;

  /**
   * A plain ASCII word (its chars packed 7 bits each, and its length) and its token count;
   * immutable, so sharing it across threads is safe.
   */
  private static final class WordCount {
    final long lo;
    final long hi;
    final int length;
    final int tokens;

    WordCount(long lo, long hi, int length, int tokens) {
      this.lo = lo;
      this.hi = hi;
      this.length = length;
      this.tokens = tokens;
    }
  }

  /**
   * Token counts of recently counted plain words, one per slot by hash (a newer word replaces an
   * older one): looking a word up costs one probe where walking the vocabulary trie costs one per
   * character. Threads share it without locks: slots hold immutable objects (final fields, so a
   * reader that sees one sees it whole) or an older one, and a lost write only costs a recount.
   * Counts never change, so what is cached cannot change any result.
   */
  private final WordCount[] wordCounts = new WordCount[1 << WORD_COUNT_BITS];

  /** The word-piece ids of {@code text}, without special tokens, at most {@code maxTokens}. */
  int[] wordPieceIds(String text, int maxTokens) {
    Ids ids = new Ids(maxTokens, true);
    tokenize(text, ids);
    return Arrays.copyOf(ids.data, Math.min(ids.size, maxTokens));
  }

  /**
   * The model's input ids for {@code text}: {@code [CLS]}, its word pieces cut so that the whole
   * fits in {@code maxSequenceLength}, {@code [SEP]} — as a HuggingFace tokenizer with {@code
   * truncation=True, max_length=maxSequenceLength} gives them.
   */
  int[] encode(String text, int maxSequenceLength) {
    int maxTokens = maxSequenceLength - 2;
    Ids ids = new Ids(maxTokens, true);
    tokenize(text, ids);
    int n = Math.min(ids.size, maxTokens);
    int[] out = new int[n + 2];
    out[0] = clsId;
    System.arraycopy(ids.data, 0, out, 1, n);
    out[n + 1] = sepId;
    return out;
  }

  // ---- special tokens -------------------------------------------------------------------------

  private void tokenize(String text, Ids ids) {
    requireNonNull(text, "text");
    int from = 0;
    int candidate = nextSpecialCandidate(text, 0);
    while (candidate >= 0 && !ids.full()) {
      SpecialToken match = longestSpecialAt(text, candidate);
      if (match == null) {
        candidate = nextSpecialCandidate(text, candidate + 1);
        continue;
      }
      segment(text, from, candidate, ids);
      if (ids.full()) {
        return;
      }
      ids.add(match.id());
      from = candidate + match.content().length();
      candidate = nextSpecialCandidate(text, from);
    }
    if (!ids.full()) {
      segment(text, from, text.length(), ids);
    }
  }

  private int nextSpecialCandidate(String text, int from) {
    int best = -1;
    for (char c : specialFirstChars) {
      int i = text.indexOf(c, from);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  private @Nullable SpecialToken longestSpecialAt(String text, int at) {
    @Nullable SpecialToken best = null;
    for (SpecialToken token : specialTokens) {
      if (text.startsWith(token.content(), at)
          && (best == null || token.content().length() > best.content().length())) {
        best = token;
      }
    }
    return best;
  }

  // ---- normalization --------------------------------------------------------------------------

  private void segment(String text, int from, int to, Ids ids) {
    if (from >= to) {
      return;
    }
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= 0x80 || (normalization.cleanText() && ASCII_CLASS[c] == CONTROL)) {
        plain = false;
        break;
      }
    }
    if (plain) {
      // ASCII: cleaning keeps every character, CJK and accents cannot occur, lower-case on the fly.
      char[] chars = new char[to - from];
      text.getChars(from, to, chars, 0);
      split(chars, 0, chars.length, normalization.lowercase(), ids);
    } else {
      char[] normalized = normalize(text, from, to).toCharArray();
      split(normalized, 0, normalized.length, false, ids);
    }
  }

  /** {@code BertNormalizer}: clean text, pad CJK characters, strip accents, lower-case. */
  private String normalize(String text, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from + 16);
    for (int i = from; i < to; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (normalization.cleanText()) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
          continue;
        }
        if (isWhitespace(cp)) {
          sb.append(' ');
          continue;
        }
      }
      if (normalization.handleChineseChars() && isChineseChar(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    }
    String s = sb.toString();
    if (!normalization.stripAccents() && !normalization.lowercase()) {
      return s;
    }
    if (normalization.stripAccents()) {
      s = Normalizer.normalize(s, Normalizer.Form.NFD);
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (normalization.stripAccents() && Character.getType(cp) == Character.NON_SPACING_MARK) {
        continue;
      }
      if (!normalization.lowercase()) {
        out.appendCodePoint(cp);
      } else if (cp == 0x130) {
        // Full lower-case mapping (Rust's char::to_lowercase), only reached without strip accents.
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return out.toString();
  }

  // ---- pre-tokenization and word pieces -------------------------------------------------------

  /** {@code BertPreTokenizer}: split on whitespace (dropped) and punctuation (kept alone). */
  private void split(char[] s, int from, int to, boolean lowerAscii, Ids ids) {
    int wordStart = -1;
    for (int i = from; i < to; ) {
      char c = s[i];
      int cp;
      int next;
      byte kind;
      if (c < 0x80) {
        cp = c;
        next = i + 1;
        kind = ASCII_CLASS[c];
        if (kind == CONTROL) {
          // Only reached without clean text: vertical tab and form feed still split words.
          kind = isWhitespace(c) ? SPACE : WORD;
        }
      } else {
        cp = Character.codePointAt(s, i, to);
        next = i + Character.charCount(cp);
        kind = isWhitespace(cp) ? SPACE : isPunctuation(cp) ? PUNCT : WORD;
      }
      if (kind == SPACE || kind == PUNCT) {
        if (wordStart >= 0) {
          wordPieces(s, wordStart, i, lowerAscii, ids);
          wordStart = -1;
          if (ids.full()) {
            return;
          }
        }
        if (kind == PUNCT) {
          wordPieces(s, i, next, lowerAscii, ids);
          if (ids.full()) {
            return;
          }
        }
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i = next;
    }
    if (wordStart >= 0) {
      wordPieces(s, wordStart, to, lowerAscii, ids);
    }
  }

  /**
   * {@code WordPiece}: greedy longest-match-first, the whole word {@code [UNK]} if any part fails.
   */
  private void wordPieces(char[] s, int from, int to, boolean lowerAscii, Ids ids) {
    if (to - from > maxInputCharsPerWord
        && Character.codePointCount(s, from, to - from) > maxInputCharsPerWord) {
      ids.add(unkId);
      return;
    }
    int mark = ids.size;
    int start = from;
    while (start < to) {
      // The first char's step from a table (the root or the continuation prefix), then the trie.
      char first = lowerAscii ? lowerAscii(s[start]) : s[start];
      int ref =
          first < 0x80
              ? (start == from ? rootAsciiChildren : continuationAsciiChildren)[first]
              : start == from || continuationRoot != VocabTrie.NONE
                  ? vocab.child(start == from ? vocab.root() : continuationRoot, first)
                  : VocabTrie.NONE;
      int bestEnd = -1;
      int bestNode = VocabTrie.NONE;
      for (int i = start + 1; ref != VocabTrie.NONE; i++) {
        if (VocabTrie.endsToken(ref)) {
          bestEnd = i;
          bestNode = VocabTrie.node(ref);
        }
        if (i == to) {
          break;
        }
        char c = lowerAscii ? lowerAscii(s[i]) : s[i];
        ref = vocab.child(VocabTrie.node(ref), c);
      }
      if (bestNode == VocabTrie.NONE) {
        ids.size = mark;
        ids.add(unkId);
        return;
      }
      ids.add(vocab.tokenId(bestNode));
      start = bestEnd;
    }
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  // ---- character classes (as HuggingFace tokenizers defines them) -----------------------------

  /** Unicode White_Space, as Rust's {@code char::is_whitespace}. */
  static boolean isWhitespace(int cp) {
    return switch (cp) {
      case 0x09,
          0x0A,
          0x0B,
          0x0C,
          0x0D,
          0x20,
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }

  /** Cc, Cf or Co, except tab, newline and carriage return (which count as whitespace). */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE;
  }

  /** ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or any Unicode P*. */
  static boolean isPunctuation(int cp) {
    if (cp < 0x80) {
      return ASCII_CLASS[cp] == PUNCT;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  /** The CJK blocks BERT splits into single characters (HuggingFace's ranges, verbatim). */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  private static byte[] asciiClasses() {
    byte[] classes = new byte[0x80];
    for (int c = 0; c < 0x80; c++) {
      if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
        classes[c] = SPACE;
      } else if (c < 0x20 || c == 0x7F) {
        classes[c] = CONTROL;
      } else if ((c >= 0x21 && c <= 0x2F)
          || (c >= 0x3A && c <= 0x40)
          || (c >= 0x5B && c <= 0x60)
          || (c >= 0x7B && c <= 0x7E)) {
        classes[c] = PUNCT;
      } else {
        classes[c] = WORD;
      }
    }
    return classes;
  }

  /** Collected (or only counted) ids; {@link #full()} once {@code limit} is reached. */
  private static final class Ids {
    private int[] data;
    private int size;
    private final int limit;
    private final boolean keep;

    Ids(int limit, boolean keep) {
      this.limit = limit;
      this.keep = keep;
      this.data = new int[keep ? Math.min(limit, 64) + 8 : 0];
    }

    void add(int id) {
      if (keep) {
        if (size == data.length) {
          data = Arrays.copyOf(data, data.length * 2);
        }
        data[size] = id;
      }
      size++;
    }

    boolean full() {
      return size >= limit;
    }
  }
}
