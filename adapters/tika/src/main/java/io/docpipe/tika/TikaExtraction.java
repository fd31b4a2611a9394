package io.docpipe.tika;

import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.TextExtractor;
import java.util.Objects;

/** Text extraction by an Apache Tika Server: the doc-builder sidecar's client. */
public final class TikaExtraction {

  private TikaExtraction() {}

  /**
   * An extractor for every media type but plain text and Markdown (decoding those needs no parser,
   * so they stay in-process): PDF, Office, HTML, and whatever Tika detects in the bytes, e.g. a
   * file of unknown extension that is an EPUB.
   */
  public static TextExtractor extractor(TikaSettings settings) {
    return new TikaExtractor(Objects.requireNonNull(settings, "settings"));
  }

  /** Whether {@link #extractor(TikaSettings)} takes documents of {@code mediaType}. */
  public static boolean handles(String mediaType) {
    String essence = MediaTypes.essence(mediaType);
    return !MediaTypes.TEXT_PLAIN.equals(essence)
        && !MediaTypes.MARKDOWN.equals(essence)
        && !"text/x-markdown".equals(essence);
  }
}
