package io.docpipe.files;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MediaTypes;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Documents for extractor tests. */
final class TestDocuments {

  private TestDocuments() {}

  static Document aDocument(String mediaType, byte[] bytes) {
    return new Document(
        DocumentId.of("test"), URI.create("file:///test"), mediaType, Map.of(), Content.of(bytes));
  }

  static Document anHtmlPage(String html) {
    return anHtmlPage(html, StandardCharsets.UTF_8);
  }

  static Document anHtmlPage(String html, Charset charset) {
    return aDocument(MediaTypes.HTML, html.getBytes(charset));
  }

  static Document aTextFile(String text) {
    return aDocument(MediaTypes.TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
  }

  static Document aMarkdownFile(String text) {
    return aDocument(MediaTypes.MARKDOWN, text.getBytes(StandardCharsets.UTF_8));
  }
}
