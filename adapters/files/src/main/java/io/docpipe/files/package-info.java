/**
 * The local file system as a document source: a directory tree listed and fetched as a corpus, and
 * extractors for plain text, Markdown and HTML. Entry type: {@link io.docpipe.files.LocalFiles}.
 */
@NullMarked
package io.docpipe.files;

import org.jspecify.annotations.NullMarked;
