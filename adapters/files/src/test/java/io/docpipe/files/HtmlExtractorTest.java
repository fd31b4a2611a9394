package io.docpipe.files;

import static io.docpipe.files.TestDocuments.aDocument;
import static io.docpipe.files.TestDocuments.anHtmlPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlExtractorTest {

  private final HtmlExtractor extractor = new HtmlExtractor();

  @Test
  void page_rendersTitleFirst_thenOneParagraphPerBlock() throws Exception {
    String html =
        """
        <!DOCTYPE html>
        <html><head>
          <meta charset="utf-8">
          <title>  The   Guide </title>
          <style>body { color: red; }</style>
          <script>var secret = "script text";</script>
        </head>
        <body>
          <nav><a href="/">Home</a></nav>
          <h1>Getting   started</h1>
          <p>First
             paragraph with <b>bold</b> and <a href="#">a link</a>.</p>
          <div>A div<div>nested div</div></div>
          <p>Line one<br>line two<br><br>after a blank line</p>
          <ul><li>one</li><li>two <em>items</em></li></ul>
          <table><tr><th>Name</th><th>Age</th></tr><tr><td>Ada</td><td>36</td></tr></table>
          <script>document.write("more script");</script>
          <noscript>Enable JavaScript</noscript>
          <template><p>template text</p></template>
          <svg><title>svg title</title><text>svg text</text></svg>
          <footer>© 2026</footer>
        </body></html>
        """;

    String text = extractor.extract(anHtmlPage(html));

    assertThat(text)
        .isEqualTo(
            """
            The Guide

            Home

            Getting started

            First paragraph with bold and a link.

            A div

            nested div

            Line one
            line two

            after a blank line

            one
            two items

            Name Age
            Ada 36

            © 2026""");
    assertThat(text).doesNotContain("script", "color", "JavaScript", "template", "svg", "secret");
  }

  @Test
  void entities_areDecoded() throws Exception {
    String html =
        "<p>Fish &amp; chips &lt;b&gt; caf&eacute; &#x1F600; &#169; a&nbsp;b &quot;q&quot;</p>";

    assertThat(extractor.extract(anHtmlPage(html)))
        .isEqualTo("Fish & chips <b> café \uD83D\uDE00 © a b \"q\"");
  }

  @Test
  void preformattedText_keepsItsLinesAndIndentation() throws Exception {
    String html = "<p>Code:</p><pre>if (x) {\n    y();\n}\n</pre><p>done</p>";

    assertThat(extractor.extract(anHtmlPage(html)))
        .isEqualTo("Code:\n\nif (x) {\n    y();\n}\n\ndone");
  }

  @Test
  void latin1Page_declaredInAMetaCharset_decodesRight() throws Exception {
    String html =
        "<html><head><meta charset=\"ISO-8859-1\"><title>Café</title></head>"
            + "<body><p>Grüße aus Köln, ½ €</p></body></html>";
    // Browsers read "ISO-8859-1" as windows-1252, where € is byte 0x80.
    byte[] bytes = html.getBytes(Charset.forName("windows-1252"));

    assertThat(extractor.extract(aDocument(MediaTypes.HTML, bytes)))
        .isEqualTo("Café\n\nGrüße aus Köln, ½ €");
  }

  @Test
  void latin1Page_declaredInAnHttpEquivMeta_decodesRight() throws Exception {
    String html =
        "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-1\">"
            + "</head><body>Ça va? Très bien.</body></html>";

    assertThat(extractor.extract(anHtmlPage(html, StandardCharsets.ISO_8859_1)))
        .isEqualTo("Ça va? Très bien.");
  }

  @Test
  void otherDeclaredCharsets_areHonoured() throws Exception {
    String html = "<meta charset=\"koi8-r\"><p>Привет, мир</p>";

    assertThat(extractor.extract(anHtmlPage(html, Charset.forName("KOI8-R"))))
        .isEqualTo("Привет, мир");
  }

  @Test
  void byteOrderMarks_decideTheCharset() throws Exception {
    String html = "<title>Ünïcödé</title><p>text \uD83D\uDE00</p>";

    assertThat(extractor.extract(withBom(new byte[] {(byte) 0xfe, (byte) 0xff}, html, "UTF-16BE")))
        .isEqualTo("Ünïcödé\n\ntext \uD83D\uDE00");
    assertThat(extractor.extract(withBom(new byte[] {(byte) 0xff, (byte) 0xfe}, html, "UTF-16LE")))
        .isEqualTo("Ünïcödé\n\ntext \uD83D\uDE00");
    assertThat(
            extractor.extract(
                withBom(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, html, "UTF-8")))
        .isEqualTo("Ünïcödé\n\ntext \uD83D\uDE00");
  }

  @Test
  void undeclaredPage_isStrictUtf8() throws Exception {
    assertThat(extractor.extract(anHtmlPage("<p>naïve</p>"))).isEqualTo("naïve");

    byte[] latin1 = "<p>na\u00efve</p>".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> extractor.extract(aDocument(MediaTypes.HTML, latin1)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_ENCODING))
        .hasMessageContaining("byte offset 5");
  }

  @Test
  void pageDeclaredUtf8_withInvalidBytes_failsInvalidEncoding() {
    byte[] bytes = "<meta charset=utf-8><p>x\u00ff</p>".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> extractor.extract(aDocument(MediaTypes.HTML, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_ENCODING));
  }

  @Test
  void nulByte_failsBinary() {
    byte[] bytes = "<p>a\0b</p>".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> extractor.extract(aDocument(MediaTypes.HTML, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.BINARY));
  }

  @Test
  void pagesWithoutText_extractToEmptyText() throws Exception {
    assertThat(extractor.extract(anHtmlPage(""))).isEmpty();
    assertThat(extractor.extract(anHtmlPage("<html><body> \n <script>x()</script></body></html>")))
        .isEmpty();
  }

  @Test
  void titleOnly_isTheText() throws Exception {
    assertThat(extractor.extract(anHtmlPage("<title>Just a title</title>")))
        .isEqualTo("Just a title");
  }

  @Test
  void unknownCharsetLabel_fallsBackToStrictUtf8() throws Exception {
    assertThat(extractor.extract(anHtmlPage("<meta charset=\"no-such-charset\"><p>é</p>")))
        .isEqualTo("é");
  }

  private static io.docpipe.core.model.Document withBom(byte[] bom, String html, String charset) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(bom);
    bytes.writeBytes(html.getBytes(Charset.forName(charset)));
    return aDocument(MediaTypes.HTML, bytes.toByteArray());
  }

  @Test
  void aTitleRepeatedAsTheFirstHeading_isSaidOnce() throws Exception {
    String html =
        "<html><head><title>Your first week</title></head><body><h1>Your first week</h1><p>Laptop first.</p></body></html>";
    String text = new HtmlExtractor().extract(TestDocuments.anHtmlPage(html));
    org.assertj.core.api.Assertions.assertThat(text).isEqualTo("Your first week\n\nLaptop first.");
  }

  @Test
  void aPagePastTheHtmlCharCap_failsTooLarge_beforeJsoupBuildsItsTree() throws Exception {
    String cell = "<tr><td>row</td><td>value</td></tr>";
    String html = "<html><body><table>" + cell.repeat(10_000) + "</table></body></html>";
    HtmlExtractor capped = new HtmlExtractor(100_000);

    long start = System.nanoTime();
    assertThatThrownBy(() -> capped.extract(TestDocuments.anHtmlPage(html)))
        .isInstanceOfSatisfying(
            io.docpipe.core.port.out.ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(io.docpipe.core.model.FailureReason.TOO_LARGE))
        .hasMessageContaining("parsed up to 100000 chars of HTML");
    // Far past the cap in bytes: refused without decoding.
    String huge = "x".repeat(400_001);
    assertThatThrownBy(() -> capped.extract(TestDocuments.anHtmlPage(huge)))
        .hasMessageContaining("400001 bytes");
    assertThat((System.nanoTime() - start) / 1_000_000).as("millis").isLessThan(1_000);
    assertThat(new HtmlExtractor(html.length()).extract(TestDocuments.anHtmlPage(html)).length())
        .isGreaterThan(10_000);
  }
}
