package io.docpipe.onnx;

import java.util.Map;

/**
 * The WordPiece vocabulary as a character trie in flat arrays, so that the longest vocabulary
 * prefix of a word is found in one forward walk with no allocation.
 */
final class VocabTrie {

  static final int NONE = -1;
  private static final int ROOT = 0;

  /** Edge keys {@code node << 16 | char}, open addressing with linear probing; -1 is empty. */
  private final long[] keys;

  private final int[] targets;
  private final int mask;
  private final int[] tokenIds;
  private int nodeCount = 1;

  private VocabTrie(int maxNodes) {
    int capacity = Integer.highestOneBit(Math.max(4, maxNodes * 2 - 1)) << 1;
    keys = new long[capacity];
    java.util.Arrays.fill(keys, -1L);
    targets = new int[capacity];
    mask = capacity - 1;
    tokenIds = new int[maxNodes];
    java.util.Arrays.fill(tokenIds, NONE);
  }

  static VocabTrie of(Map<String, Integer> vocab) {
    int chars = 1;
    for (String token : vocab.keySet()) {
      chars += token.length();
    }
    VocabTrie trie = new VocabTrie(chars);
    vocab.forEach(trie::insert);
    return trie;
  }

  int root() {
    return ROOT;
  }

  /** The node reached from {@code node} by {@code c}, or {@link #NONE}. */
  int child(int node, char c) {
    long key = (long) node << 16 | c;
    int slot = slot(key);
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return targets[slot];
      }
      if (k == -1L) {
        return NONE;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The token id that ends at {@code node}, or {@link #NONE}. */
  int tokenId(int node) {
    return tokenIds[node];
  }

  /** The node reached from the root by all of {@code s}, or {@link #NONE}. */
  int find(String s) {
    int node = ROOT;
    for (int i = 0; i < s.length() && node != NONE; i++) {
      node = child(node, s.charAt(i));
    }
    return node;
  }

  private void insert(String token, int id) {
    int node = ROOT;
    for (int i = 0; i < token.length(); i++) {
      long key = (long) node << 16 | token.charAt(i);
      int slot = slot(key);
      while (keys[slot] != -1L && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (keys[slot] == key) {
        node = targets[slot];
      } else {
        keys[slot] = key;
        targets[slot] = nodeCount;
        node = nodeCount++;
      }
    }
    tokenIds[node] = id;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
