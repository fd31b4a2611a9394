package io.docpipe.s3;

import io.docpipe.core.port.out.CorpusListing;
import io.docpipe.core.port.out.DocumentSource;

/**
 * The objects under one {@code s3://bucket/prefix/} as a corpus.
 *
 * <p>Listing: document ids are keys without the prefix, in the order S3 lists keys (UTF-8 byte
 * order, which is {@link io.docpipe.core.model.DocumentId} order); a resumed listing starts with
 * ListObjectsV2's {@code StartAfter}, so nothing before it is read. Keys ending in {@code /}
 * (folder markers) and keys that cannot be document ids (control characters) are skipped. Refs
 * carry metadata {@code path} (the id), {@code ext} (lower-case extension, if any) and {@code
 * etag}, and the object size as size hint.
 *
 * <p>Fetching reads only {@code s3://} locations under the corpus prefix. An object larger than the
 * limit is refused from the listing's size or the response's Content-Length without reading its
 * body; the body is read through a capped stream all the same. The media type is the object's
 * Content-Type, or from the key's extension when that says nothing ({@code
 * application/octet-stream}, {@code binary/octet-stream}).
 */
public interface S3Corpus extends CorpusListing, DocumentSource {

  String bucket();

  /** The key prefix, empty or ending in {@code /}. */
  String prefix();
}
