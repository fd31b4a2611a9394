package io.docpipe.onnx;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.chunking.TokenCounter;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The core chunker as it was before counting tokens by ranges (commit 30840d9), kept verbatim
 * (renamed) as the reference that {@link ChunkerEquivalenceTest} holds today's {@link
 * io.docpipe.core.chunking.Chunker} to: chunk spans and texts decide point ids and content hashes,
 * so a faster chunker must cut exactly where this one does. Since issue 17 it carries the one rule
 * added since: no chunk is longer than {@code maxTokens} × 24 chars, whatever the token count (the
 * code marked "char cap").
 */
final class ReferenceChunker {

  /** Boundaries tried in order; a piece is cut just after each occurrence. */
  private static final String[][] SEPARATORS = {
    {"\n\n", "\r\n\r\n"},
    {"\n"},
    {". ", "! ", "? ", "。", "！", "？"},
    {"; ", ": ", ", "},
    {" ", "\t"},
  };

  /**
   * A piece longer than this many chars per allowed token is split without counting its tokens: it
   * almost surely does not fit, and if it does the packing step joins its parts again.
   */
  private static final int CHARS_PER_TOKEN_CEILING = 24;

  private final ChunkingPolicy policy;
  private final TokenCounter counter;
  private final int maxChars; // char cap

  ReferenceChunker(ChunkingPolicy policy, TokenCounter counter) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.counter = Objects.requireNonNull(counter, "counter");
    this.maxChars = policy.maxTokens() * CHARS_PER_TOKEN_CEILING;
  }

  ChunkingPolicy policy() {
    return policy;
  }

  /** The chunks of {@code text}, in order, indexed from 0; empty when the text is blank. */
  List<Chunk> chunk(DocumentId documentId, String text) {
    if (policy.mode() == ChunkingPolicy.Mode.TRUNCATE) {
      Chunk first = truncate(documentId, text);
      return first == null ? List.of() : List.of(first);
    }
    List<Piece> pieces = new ArrayList<>();
    split(text, 0, text.length(), 0, pieces);
    return pack(documentId, text, pieces);
  }

  /**
   * The longest prefix of the text, ending at a word boundary, that fits in {@code maxTokens}: the
   * way retrieval benchmarks truncate a document to the model's input. Falls back to code points
   * when the first word alone does not fit.
   */
  private @Nullable Chunk truncate(DocumentId documentId, String text) {
    int start = 0;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    if (start == text.length()) {
      return null;
    }
    int max = policy.maxTokens();
    int limit = (int) Math.min(text.length(), start + (long) max * CHARS_PER_TOKEN_CEILING);
    // Word ends: positions just before a white space run, and the end of the window.
    List<Integer> ends = new ArrayList<>();
    for (int i = start + 1; i < limit; i++) {
      if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
        ends.add(i);
      }
    }
    if (limit == text.length() || !Character.isWhitespace(text.charAt(limit))) {
      ends.add(limit);
    }
    int lo = 0;
    int hi = ends.size() - 1;
    int best = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (counter.countTokens(text.substring(start, ends.get(mid))) <= max) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best < 0) {
      List<Piece> pieces = new ArrayList<>();
      splitByCodePoints(text, start, ends.get(0), pieces);
      return toChunk(documentId, 0, text, pieces, 0, 0);
    }
    return toChunk(documentId, 0, text, List.of(new Piece(start, ends.get(best), 0)), 0, 0);
  }

  /** A contiguous span of the text known to fit in one chunk, with its token count. */
  private record Piece(int start, int end, int tokens) {}

  private void split(String text, int start, int end, int level, List<Piece> out) {
    if (start >= end) {
      return;
    }
    int max = policy.maxTokens();
    int length = end - start;
    if (length <= max) {
      // Every token covers at least one char, so this fits without counting.
      out.add(new Piece(start, end, counter.countTokens(text.substring(start, end))));
      return;
    }
    if (length <= (long) max * CHARS_PER_TOKEN_CEILING) {
      int tokens = counter.countTokens(text.substring(start, end));
      if (tokens <= max) {
        out.add(new Piece(start, end, tokens));
        return;
      }
    }
    for (int l = level; l < SEPARATORS.length; l++) {
      List<Integer> cuts = cutsAfter(text, start, end, SEPARATORS[l]);
      if (!cuts.isEmpty()) {
        int from = start;
        for (int cut : cuts) {
          split(text, from, cut, l + 1, out);
          from = cut;
        }
        split(text, from, end, l + 1, out);
        return;
      }
    }
    splitByCodePoints(text, start, end, out);
  }

  /** Positions just after each separator occurrence inside (start, end). */
  private static List<Integer> cutsAfter(String text, int start, int end, String[] separators) {
    List<Integer> cuts = new ArrayList<>();
    int i = start;
    while (i < end) {
      int best = -1;
      int bestLength = 0;
      for (String sep : separators) {
        int at = text.indexOf(sep, i);
        if (at >= 0 && at + sep.length() <= end && (best < 0 || at < best)) {
          best = at;
          bestLength = sep.length();
        }
      }
      if (best < 0) {
        break;
      }
      int cut = best + bestLength;
      if (cut < end) {
        cuts.add(cut);
      }
      i = cut;
    }
    return cuts;
  }

  /**
   * Last resort for a run with no boundary: the longest prefixes that fit, found by binary search
   * over the number of code points, so no cut can fall inside a surrogate pair. At least one code
   * point is taken each time, which guarantees progress.
   */
  private void splitByCodePoints(String text, int start, int end, List<Piece> out) {
    int from = start;
    while (from < end) {
      // char cap
      int limit = (int) Math.min(end, (long) from + maxChars);
      if (limit < end && limit > from + 1 && Character.isLowSurrogate(text.charAt(limit))) {
        limit--;
      }
      int available = text.codePointCount(from, limit);
      int lo = 1;
      int hi = available;
      int bestEnd = text.offsetByCodePoints(from, 1);
      int bestTokens = counter.countTokens(text.substring(from, bestEnd));
      while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        int midEnd = text.offsetByCodePoints(from, mid);
        int tokens = counter.countTokens(text.substring(from, midEnd));
        if (tokens <= policy.maxTokens()) {
          lo = mid;
          bestEnd = midEnd;
          bestTokens = tokens;
        } else {
          hi = mid - 1;
        }
      }
      out.add(new Piece(from, bestEnd, bestTokens));
      from = bestEnd;
    }
  }

  private List<Chunk> pack(DocumentId documentId, String text, List<Piece> pieces) {
    int max = policy.maxTokens();
    List<Chunk> chunks = new ArrayList<>();
    int first = 0;
    while (first < pieces.size()) {
      // Extend while the summed estimate fits, then verify the real count of the joined text.
      int last = first;
      int sum = pieces.get(first).tokens();
      while (last + 1 < pieces.size()
          && sum + pieces.get(last + 1).tokens() <= max
          && pieces.get(last + 1).end() - pieces.get(first).start() <= maxChars) { // char cap
        last++;
        sum += pieces.get(last).tokens();
      }
      Chunk chunk = toChunk(documentId, chunks.size(), text, pieces, first, last);
      while (chunk != null && chunk.tokens() > max && last > first) {
        last--;
        chunk = toChunk(documentId, chunks.size(), text, pieces, first, last);
      }
      Chunk previous = chunks.isEmpty() ? null : chunks.getLast();
      if (chunk != null && previous != null && chunk.start() <= previous.start()) {
        // char cap: white-space pieces may trim to where the last chunk starts; keep the longer
        if (chunk.end() > previous.end()) {
          chunks.set(
              chunks.size() - 1,
              new Chunk(
                  documentId,
                  previous.index(),
                  chunk.text(),
                  chunk.start(),
                  chunk.end(),
                  chunk.tokens()));
        }
      } else if (chunk != null) {
        chunks.add(chunk);
        if (policy.mode() == ChunkingPolicy.Mode.TRUNCATE) {
          break;
        }
      }
      if (last + 1 >= pieces.size()) {
        break;
      }
      first = nextFirst(pieces, first, last);
    }
    return chunks;
  }

  /** Where the next chunk starts: far enough back to overlap, never before {@code first + 1}. */
  private int nextFirst(List<Piece> pieces, int first, int last) {
    int next = last + 1;
    int overlap = 0;
    int room = policy.maxTokens() - pieces.get(last + 1).tokens();
    while (next - 1 > first) {
      int tokens = pieces.get(next - 1).tokens();
      if (overlap + tokens > policy.overlapTokens()
          || overlap + tokens > room
          || pieces.get(last + 1).end() - pieces.get(next - 1).start() > maxChars) { // char cap
        break;
      }
      overlap += tokens;
      next--;
    }
    return next;
  }

  private @Nullable Chunk toChunk(
      DocumentId documentId, int index, String text, List<Piece> pieces, int first, int last) {
    int start = pieces.get(first).start();
    int end = pieces.get(last).end();
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return null;
    }
    String chunkText = text.substring(start, end);
    return new Chunk(documentId, index, chunkText, start, end, counter.countTokens(chunkText));
  }
}
