package io.docpipe.core.model;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/** One fetched document: identity, origin, media type, metadata and its bounded bytes. */
public record Document(
    DocumentId id, URI source, String mediaType, Map<String, String> metadata, Content content) {

  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    mediaType = MediaTypes.essence(Objects.requireNonNull(mediaType, "mediaType"));
    metadata = Metadata.copyOf(metadata);
    Objects.requireNonNull(content, "content");
  }

  /** A plain-text document held in memory, e.g. text posted to an HTTP API. */
  public static Document ofText(DocumentId id, String text, Map<String, String> metadata) {
    return new Document(
        id,
        URI.create(
            "inline:"
                + java.net.URLEncoder.encode(id.value(), java.nio.charset.StandardCharsets.UTF_8)),
        MediaTypes.TEXT_PLAIN,
        metadata,
        Content.ofUtf8(text));
  }
}
