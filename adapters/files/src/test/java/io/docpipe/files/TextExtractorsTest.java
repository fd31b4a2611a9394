package io.docpipe.files;

import static io.docpipe.files.TestDocuments.aDocument;
import static io.docpipe.files.TestDocuments.aMarkdownFile;
import static io.docpipe.files.TestDocuments.aTextFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain text and Markdown extraction, and which extractor takes which media type. */
class TextExtractorsTest {

  private final TextExtractor plain = new PlainTextExtractor();
  private final TextExtractor markdown = new MarkdownExtractor();

  @Test
  void extractors_coverTextMarkdownAndHtml_butNotOctetStreams() {
    List<TextExtractor> extractors = LocalFiles.extractors();

    assertThat(extractors).anyMatch(e -> e.supports(MediaTypes.TEXT_PLAIN));
    assertThat(extractors).anyMatch(e -> e.supports("text/markdown"));
    assertThat(extractors).anyMatch(e -> e.supports("Text/HTML; charset=UTF-8"));
    assertThat(extractors).noneMatch(e -> e.supports(MediaTypes.OCTET_STREAM));
    assertThat(extractors).noneMatch(e -> e.supports("application/pdf"));
  }

  @Test
  void plainText_isReturnedAsItIs_withoutAByteOrderMark() throws Exception {
    String text = "Grüße\r\n\n  indented\ttab \uD83D\uDE00\n";

    assertThat(plain.extract(aTextFile(text))).isEqualTo(text);
    assertThat(plain.extract(aTextFile("\uFEFFhello"))).isEqualTo("hello");
  }

  @Test
  void textPastTheCharLimit_failsTooLarge_andTextAtTheLimitPasses() throws Exception {
    String text = "a".repeat(1_000);

    assertThat(plain.extract(aTextFile(text), 1_000)).isEqualTo(text);
    assertThat(markdown.extract(aMarkdownFile(text), 1_000)).isEqualTo(text);
    for (TextExtractor extractor : List.of(plain, markdown)) {
      assertThatThrownBy(() -> extractor.extract(aTextFile(text + "b"), 1_000))
          .isInstanceOfSatisfying(
              ExtractionException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
          .hasMessageContaining("1000 chars");
    }
  }

  @Test
  void emptyFile_extractsToEmptyText() throws Exception {
    assertThat(plain.extract(aTextFile(""))).isEmpty();
    assertThat(markdown.extract(aMarkdownFile(""))).isEmpty();
  }

  @Test
  void binaryText_withNulBytes_failsBinary() {
    byte[] bytes = {'a', 'b', 0, 1, 2, (byte) 0xff};

    assertThatThrownBy(() -> plain.extract(aDocument(MediaTypes.TEXT_PLAIN, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.BINARY))
        .hasMessageContaining("offset 2");
  }

  @Test
  void invalidUtf8Text_failsInvalidEncoding_withTheByteOffset() {
    byte[] bytes = {'o', 'k', ' ', (byte) 0xc3, (byte) 0xa4, ' ', (byte) 0xe9, 't', 'e'};

    assertThatThrownBy(() -> plain.extract(aDocument(MediaTypes.TEXT_PLAIN, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_ENCODING))
        .hasMessageContaining("byte offset 6");
  }

  @Test
  void markdown_dropsALeadingFrontMatterBlock_andKeepsTheRest() throws Exception {
    String body = "# Title\n\nSome *text*.\n\n---\n\nMore.\n";

    assertThat(markdown.extract(aMarkdownFile("---\ntitle: x\ntags: [a, b]\n---\n" + body)))
        .isEqualTo(body);
    assertThat(markdown.extract(aMarkdownFile("---\r\ntitle: x\r\n...\r\n" + body)))
        .isEqualTo(body);
    assertThat(markdown.extract(aMarkdownFile(body))).isEqualTo(body);
  }

  @Test
  void markdown_withoutAClosedFrontMatter_isKeptWhole() throws Exception {
    String text = "---\nnot front matter, just a rule\n";

    assertThat(markdown.extract(aMarkdownFile(text))).isEqualTo(text);
    assertThat(markdown.extract(aMarkdownFile("---"))).isEqualTo("---");
    assertThat(markdown.extract(aMarkdownFile("text\n---\nx: y\n---\n")))
        .isEqualTo("text\n---\nx: y\n---\n");
  }

  @Test
  void markdown_withInvalidUtf8_failsInvalidEncoding() {
    byte[] bytes = {'#', ' ', (byte) 0xff};

    assertThatThrownBy(() -> markdown.extract(aDocument(MediaTypes.MARKDOWN, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_ENCODING))
        .hasMessageContaining("byte offset 2");
  }

  @Test
  void utf16AndUtf32TextWithAByteOrderMark_isDecoded_andTheMarkNeverReachesTheText()
      throws Exception {
    String text = "Grüße, naïve café \uD83D\uDE00\r\nzweite Zeile\n";
    for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
      byte[] bytes = ("\uFEFF" + text).getBytes(java.nio.charset.Charset.forName(charset));

      assertThat(plain.extract(aDocument(MediaTypes.TEXT_PLAIN, bytes)))
          .as(charset)
          .isEqualTo(text);
      assertThat(markdown.extract(aDocument(MediaTypes.MARKDOWN, bytes), 1_000))
          .as(charset)
          .isEqualTo(text);
    }
  }

  @Test
  void utf16WithoutAByteOrderMark_isStillRefusedAsBinary() {
    byte[] bytes = "plain words".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);

    assertThatThrownBy(() -> plain.extract(aDocument(MediaTypes.TEXT_PLAIN, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.BINARY));
  }

  @Test
  void utf16WithAByteOrderMark_pastTheCharLimit_failsTooLarge() {
    byte[] bytes =
        ("\uFEFF" + "a".repeat(101)).getBytes(java.nio.charset.StandardCharsets.UTF_16LE);

    assertThatThrownBy(() -> plain.extract(aDocument(MediaTypes.TEXT_PLAIN, bytes), 100))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE));
  }
}
