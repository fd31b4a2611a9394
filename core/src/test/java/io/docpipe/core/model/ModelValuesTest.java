package io.docpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ModelValuesTest {

  @Test
  void pointIds_areUuidV5OfDocumentAndChunk_matchingAnIndependentImplementation() {
    // Values from Python's uuid.uuid5 with docpipe's namespace.
    assertThat(PointId.of(DocumentId.of("guides/setup.md"), 0).toString())
        .isEqualTo("e84d71fa-8df3-5f50-8422-460230033d76");
    assertThat(PointId.of(DocumentId.of("ä/文書.txt"), 12).toString())
        .isEqualTo("7e18eca8-e31f-55d3-b463-514c743454f3");
    assertThat(PointId.of(DocumentId.of("a"), 1).value().version()).isEqualTo(5);
  }

  @Test
  void documentIds_sortByCodePoint_likeS3KeysInUtf8() {
    List<DocumentId> ids =
        new ArrayList<>(
            List.of(
                DocumentId.of("\uFF21"),
                DocumentId.of("\uD83D\uDE00"),
                DocumentId.of("a/b"),
                DocumentId.of("a-c"),
                DocumentId.of("Z")));
    ids.sort(null);
    // U+FF21 sorts before U+1F600 in code point (and UTF-8 byte) order, though not in UTF-16 order.
    assertThat(ids)
        .extracting(DocumentId::value)
        .containsExactly("Z", "a-c", "a/b", "\uFF21", "\uD83D\uDE00");
  }

  @Test
  void documentIds_refuseBlankControlCharsAndLoneSurrogates() {
    assertThatThrownBy(() -> DocumentId.of(" ")).hasMessageContaining("blank");
    assertThatThrownBy(() -> DocumentId.of("a\nb")).hasMessageContaining("control character");
    assertThatThrownBy(() -> DocumentId.of("a\uD800")).hasMessageContaining("surrogate");
    assertThatThrownBy(() -> DocumentId.of("x".repeat(1025))).hasMessageContaining("1024");
  }

  @Test
  void shards_partitionIdsEvenlyAndStably() {
    int shards = 4;
    int[] counts = new int[shards];
    for (int i = 0; i < 4000; i++) {
      DocumentId id = DocumentId.of("doc-" + i);
      int owners = 0;
      for (int s = 0; s < shards; s++) {
        if (new ShardSpec(s, shards).owns(id)) {
          owners++;
          counts[s]++;
        }
      }
      assertThat(owners).isEqualTo(1);
    }
    for (int c : counts) {
      assertThat(c).isBetween(850, 1150);
    }
    assertThat(ShardSpec.shardOf(DocumentId.of("guides/setup.md"), 7))
        .isEqualTo(ShardSpec.shardOf(DocumentId.of("guides/setup.md"), 7));
    assertThatThrownBy(() -> new ShardSpec(3, 3)).hasMessageContaining("[0, 3)");
  }

  @Test
  void metadata_refusesKeysStoresCannotIndex() {
    assertThatThrownBy(() -> Metadata.copyOf(Map.of("has space", "x")))
        .hasMessageContaining("has space");
    assertThat(Metadata.copyOf(Map.of("b", "2", "a", "1")).keySet()).containsExactly("a", "b");
  }

  @Test
  void metadataKeys_areAcceptedExactlyWhenTheyMatchThePattern() {
    Pattern pattern = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    String alphabet = "aZ09_.-/ é\u0000:";
    Random random = new Random(11);
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(68);
      for (int i = 0; i < length; i++) {
        // Mostly key characters, so that long valid keys occur too.
        key.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 7)));
      }
      String k = key.toString();
      boolean valid = pattern.matcher(k).matches();
      accepted += valid ? 1 : 0;
      if (valid) {
        assertThat(Metadata.checkKey(k)).isEqualTo(k);
      } else {
        assertThatThrownBy(() -> Metadata.checkKey(k))
            .as("key '%s'", k)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
    assertThat(accepted).isBetween(1_000, 19_000);
    assertThat(Metadata.copyOf(Map.of())).isEmpty();
  }

  @Test
  void filters_matchEqualityAndAnyOf() {
    MetadataFilter f =
        MetadataFilter.of(MetadataFilter.eq("lang", "en"), MetadataFilter.anyOf("team", "a", "b"));
    assertThat(f.matches(Map.of("lang", "en", "team", "b"))).isTrue();
    assertThat(f.matches(Map.of("lang", "en", "team", "c"))).isFalse();
    assertThat(f.matches(Map.of("team", "a"))).isFalse();
    assertThat(MetadataFilter.none().matches(Map.of())).isTrue();
  }

  @Test
  void searchHitSnippet_isBoundedAndNeverSplitsASurrogatePair() {
    DocumentId id = DocumentId.of("a.md");
    String text = "ab\uD83D\uDE00cd";
    SearchHit hit =
        new SearchHit(
            PointId.of(id, 0),
            0.5,
            new PointPayload(
                id,
                ContentHash.of(new byte[] {1}),
                0,
                text,
                0,
                text.length(),
                "inline:a",
                Map.of()));

    assertThat(hit.snippet(100)).isEqualTo(text);
    assertThat(hit.snippet(3)).isEqualTo("ab");
    assertThat(hit.snippet(4)).isEqualTo("ab\uD83D\uDE00");
    assertThat(hit.snippet(0)).isEmpty();
  }

  @Test
  void contentHash_acceptsOnly64LowerCaseHexDigits() {
    String valid = ContentHash.of("x").hex();
    assertThat(new ContentHash(valid).hex()).isEqualTo(valid).hasSize(64);
    assertThat(new ContentHash("0123456789abcdef".repeat(4)).hex()).hasSize(64);
    for (String bad :
        List.of(
            valid.toUpperCase(java.util.Locale.ROOT),
            valid.substring(1),
            valid + "0",
            valid.substring(1) + "g",
            valid.substring(1) + "/",
            valid.substring(1) + ":",
            valid.substring(1) + "`",
            "")) {
      assertThatThrownBy(() -> new ContentHash(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SHA-256");
    }
  }
}
