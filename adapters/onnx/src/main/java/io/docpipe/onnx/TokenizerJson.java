package io.docpipe.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a HuggingFace {@code tokenizer.json} into a {@link BertTokenizer}; rejects any component
 * the pure-Java tokenizer does not reproduce instead of tokenizing differently.
 */
final class TokenizerJson {

  private TokenizerJson() {}

  static BertTokenizer read(String json) {
    Map<String, @Nullable Object> root = object(Json.parse(json), "tokenizer.json");

    Map<String, @Nullable Object> normalizer = object(root.get("normalizer"), "normalizer");
    require("BertNormalizer".equals(normalizer.get("type")), "normalizer must be BertNormalizer");
    boolean lowercase = bool(normalizer, "lowercase", true);
    Object stripAccents = normalizer.get("strip_accents");
    require(
        stripAccents == null || stripAccents instanceof Boolean,
        "strip_accents must be null, true or false");
    BertTokenizer.Normalization normalization =
        new BertTokenizer.Normalization(
            bool(normalizer, "clean_text", true),
            bool(normalizer, "handle_chinese_chars", true),
            stripAccents == null ? lowercase : (Boolean) stripAccents,
            lowercase);

    Map<String, @Nullable Object> preTokenizer = object(root.get("pre_tokenizer"), "pre_tokenizer");
    require(
        "BertPreTokenizer".equals(preTokenizer.get("type")),
        "pre_tokenizer must be BertPreTokenizer");

    Map<String, @Nullable Object> model = object(root.get("model"), "model");
    require("WordPiece".equals(model.get("type")), "model must be WordPiece");
    Map<String, Integer> vocab = new HashMap<>();
    object(model.get("vocab"), "model.vocab")
        .forEach((token, id) -> vocab.put(token, Math.toIntExact(number(id, "vocab id"))));
    String unkToken = string(model.get("unk_token"), "model.unk_token");
    String prefix = string(model.get("continuing_subword_prefix"), "continuing_subword_prefix");
    int maxChars =
        Math.toIntExact(number(model.get("max_input_chars_per_word"), "max_input_chars_per_word"));

    List<BertTokenizer.SpecialToken> specials = new ArrayList<>();
    Object added = root.get("added_tokens");
    if (added != null) {
      for (Object entry : list(added, "added_tokens")) {
        Map<String, @Nullable Object> token = object(entry, "added token");
        String content = string(token.get("content"), "added token content");
        require(
            !bool(token, "normalized", false)
                && !bool(token, "single_word", false)
                && !bool(token, "lstrip", false)
                && !bool(token, "rstrip", false),
            "added token "
                + content
                + " must be matched verbatim (normalized, single_word,"
                + " lstrip and rstrip false)");
        specials.add(
            new BertTokenizer.SpecialToken(
                content, Math.toIntExact(number(token.get("id"), "added token id"))));
      }
    }

    Map<String, @Nullable Object> post = object(root.get("post_processor"), "post_processor");
    int cls;
    int sep;
    if ("BertProcessing".equals(post.get("type"))) {
      cls = Math.toIntExact(number(list(post.get("cls"), "cls").get(1), "cls id"));
      sep = Math.toIntExact(number(list(post.get("sep"), "sep").get(1), "sep id"));
    } else {
      require(
          "TemplateProcessing".equals(post.get("type")),
          "post_processor must be BertProcessing or TemplateProcessing");
      List<@Nullable Object> single = list(post.get("single"), "post_processor.single");
      require(single.size() == 3, "post_processor.single must be [CLS] $A [SEP]");
      Map<String, @Nullable Object> specialTokens =
          object(post.get("special_tokens"), "post_processor.special_tokens");
      cls = templateTokenId(single.get(0), specialTokens);
      require(
          object(single.get(1), "template").containsKey("Sequence"),
          "post_processor.single must be [CLS] $A [SEP]");
      sep = templateTokenId(single.get(2), specialTokens);
    }

    return new BertTokenizer(normalization, vocab, prefix, unkToken, maxChars, specials, cls, sep);
  }

  private static int templateTokenId(
      @Nullable Object piece, Map<String, @Nullable Object> specialTokens) {
    Map<String, @Nullable Object> special =
        object(object(piece, "template").get("SpecialToken"), "template special token");
    String name = string(special.get("id"), "template special token id");
    Map<String, @Nullable Object> token = object(specialTokens.get(name), "special token " + name);
    List<@Nullable Object> ids = list(token.get("ids"), "special token ids");
    require(ids.size() == 1, "special token " + name + " must be one id");
    return Math.toIntExact(number(ids.get(0), "special token id"));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw unsupported(message);
    }
  }

  private static IllegalArgumentException unsupported(String message) {
    return new IllegalArgumentException("Unsupported tokenizer.json: " + message);
  }

  @SuppressWarnings("unchecked") // a JSON object as the tokenizer's parser builds it
  private static Map<String, @Nullable Object> object(@Nullable Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, @Nullable Object>) map;
    }
    throw unsupported(what + " must be an object");
  }

  @SuppressWarnings("unchecked") // a JSON array as the tokenizer's parser builds it
  private static List<@Nullable Object> list(@Nullable Object value, String what) {
    if (value instanceof List<?> list) {
      return (List<@Nullable Object>) list;
    }
    throw unsupported(what + " must be an array");
  }

  private static String string(@Nullable Object value, String what) {
    if (value instanceof String string) {
      return string;
    }
    throw unsupported(what + " must be a string");
  }

  private static long number(@Nullable Object value, String what) {
    if (value instanceof Long number) {
      return number;
    }
    throw unsupported(what + " must be an integer");
  }

  private static boolean bool(Map<String, @Nullable Object> map, String key, boolean absent) {
    Object value = map.get(key);
    if (value == null) {
      return absent;
    }
    require(value instanceof Boolean, key + " must be true or false");
    return (Boolean) value;
  }
}
