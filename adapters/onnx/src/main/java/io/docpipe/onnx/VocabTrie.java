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
    // Build in tables sized by the vocabulary's chars (an upper bound on the nodes), then lay the
    // edges out in a table sized to their number. Arrays, not a map: this runs at every start-up.
    int chars = 1;
    for (String token : vocab.keySet()) {
      chars += token.length();
    }
    int buildCapacity = capacityFor(chars);
    int buildMask = buildCapacity - 1;
    long[] keys = new long[buildCapacity];
    Arrays.fill(keys, -1L);
    int[] targets = new int[buildCapacity];
    int[] ids = new int[chars];
    Arrays.fill(ids, NONE);
    int nodes = 1;
    for (Map.Entry<String, Integer> token : vocab.entrySet()) {
      String text = token.getKey();
      int node = ROOT;
      for (int i = 0; i < text.length(); i++) {
        long key = (long) node << 16 | text.charAt(i);
        int slot = slot(key, buildMask);
        while (keys[slot] != -1L && keys[slot] != key) {
          slot = (slot + 1) & buildMask;
        }
        if (keys[slot] == key) {
          node = targets[slot];
        } else {
          if (nodes > NODE_MASK) {
            throw new IllegalArgumentException("vocabulary too large for the trie");
          }
          keys[slot] = key;
          targets[slot] = nodes;
          node = nodes++;
        }
      }
      ids[node] = token.getValue();
    }
    int capacity = capacityFor(nodes - 1);
    long[] edges = new long[capacity];
    Arrays.fill(edges, -1L);
    for (int b = 0; b < buildCapacity; b++) {
      long key = keys[b];
      if (key == -1L) {
        continue;
      }
      int target = targets[b];
      int ref = target | (ids[target] != NONE ? TOKEN_ENDS_HERE : 0);
      int slot = slot(key, capacity - 1);
      while (edges[slot] != -1L) {
        slot = (slot + 1) & (capacity - 1);
      }
      edges[slot] = key << 24 | ref;
    }
    return new VocabTrie(edges, Arrays.copyOf(ids, nodes));
  }

  /** A power of two at least twice {@code entries}: probes stay short. */
  private static int capacityFor(int entries) {
    return Integer.highestOneBit(Math.max(4, entries * 2 - 1)) << 1;
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
