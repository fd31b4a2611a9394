package io.docpipe.onnx;

import java.util.Arrays;
import java.util.Map;

/**
 * The WordPiece vocabulary as a character trie in one flat array, so that the longest vocabulary
 * prefix of a word is found in one forward walk with no allocation.
 *
 * <p>A step from a node by a char is one probe in a table of edges, each a single long holding its
 * key (node, char), its target node and whether a token ends there: one memory access per char,
 * where separate key, target and token-id arrays cost three (the walk is memory-bound: the table of
 * all-MiniLM-L6-v2's 64,582 nodes is 1 MB, the three arrays were 6.8 MB).
 */
final class VocabTrie {

  static final int NONE = -1;
  private static final int ROOT = 0;

  /** A step's result ("ref"): the target node in the low bits, and this flag. */
  private static final int TOKEN_ENDS_HERE = 1 << 23;

  private static final int NODE_MASK = TOKEN_ENDS_HERE - 1;

  /** Edges {@code (node << 16 | char) << 24 | ref}, open addressing, linear probing; -1 empty. */
  private final long[] edges;

  private final int mask;
  private final int[] tokenIds;

  private VocabTrie(long[] edges, int[] tokenIds) {
    this.edges = edges;
    this.mask = edges.length - 1;
    this.tokenIds = tokenIds;
  }

  static VocabTrie of(Map<String, Integer> vocab) {
    // Build with a map of edges, then lay the edges out in a table sized to their number.
    Map<Long, Integer> children = new java.util.HashMap<>();
    int[] ids = new int[16];
    Arrays.fill(ids, NONE);
    int nodes = 1;
    for (Map.Entry<String, Integer> token : vocab.entrySet()) {
      String text = token.getKey();
      int node = ROOT;
      for (int i = 0; i < text.length(); i++) {
        long key = (long) node << 16 | text.charAt(i);
        Integer child = children.get(key);
        if (child == null) {
          if (nodes > NODE_MASK) {
            throw new IllegalArgumentException("vocabulary too large for the trie");
          }
          child = nodes++;
          children.put(key, child);
        }
        node = child;
      }
      if (node >= ids.length) {
        int old = ids.length;
        ids = Arrays.copyOf(ids, Math.max(node + 1, old * 2));
        Arrays.fill(ids, old, ids.length, NONE);
      }
      ids[node] = token.getValue();
    }
    int capacity = Integer.highestOneBit(Math.max(4, children.size() * 2 - 1)) << 1;
    long[] edges = new long[capacity];
    Arrays.fill(edges, -1L);
    int[] tokenIds = Arrays.copyOf(ids, nodes);
    for (Map.Entry<Long, Integer> edge : children.entrySet()) {
      long key = edge.getKey();
      int target = edge.getValue();
      int ref = target | (tokenIds[target] != NONE ? TOKEN_ENDS_HERE : 0);
      int slot = slot(key, capacity - 1);
      while (edges[slot] != -1L) {
        slot = (slot + 1) & (capacity - 1);
      }
      edges[slot] = key << 24 | ref;
    }
    return new VocabTrie(edges, tokenIds);
  }

  int root() {
    return ROOT;
  }

  /**
   * The step from {@code node} by {@code c}: a ref ({@link #node(int)}, {@link #endsToken(int)}),
   * or {@link #NONE}.
   */
  int child(int node, char c) {
    long key = (long) node << 16 | c;
    int slot = slot(key, mask);
    while (true) {
      long e = edges[slot];
      if (e >>> 24 == key) {
        return (int) e & 0xFFFFFF;
      }
      if (e == -1L) {
        return NONE;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The node a ref from {@link #child} leads to. */
  static int node(int ref) {
    return ref & NODE_MASK;
  }

  /** Whether a token ends at the node a ref from {@link #child} leads to. */
  static boolean endsToken(int ref) {
    return (ref & TOKEN_ENDS_HERE) != 0;
  }

  /** The token id that ends at {@code node}, or {@link #NONE}. */
  int tokenId(int node) {
    return tokenIds[node];
  }

  /** The refs of {@code node}'s children by each ASCII char ({@link #NONE} where none). */
  int[] asciiChildren(int node) {
    int[] refs = new int[0x80];
    for (char c = 0; c < 0x80; c++) {
      refs[c] = node == NONE ? NONE : child(node, c);
    }
    return refs;
  }

  /** The node reached from the root by all of {@code s}, or {@link #NONE}. */
  int find(String s) {
    int node = ROOT;
    for (int i = 0; i < s.length(); i++) {
      int ref = child(node, s.charAt(i));
      if (ref == NONE) {
        return NONE;
      }
      node = node(ref);
    }
    return node;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
