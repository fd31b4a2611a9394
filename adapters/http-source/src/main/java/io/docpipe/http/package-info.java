/**
 * Documents behind {@code https://} (and, when allowed, {@code http://}) URLs, fetched with a guard
 * against server-side request forgery: only allowed schemes and ports, every resolved address
 * checked against private, loopback, link-local, metadata and other special ranges, the connection
 * pinned to the checked address, redirects re-checked at every hop, size and time caps. Entry type:
 * {@link io.docpipe.http.HttpSources}, configured by {@link io.docpipe.http.HttpSourceSettings}.
 */
@NullMarked
package io.docpipe.http;

import org.jspecify.annotations.NullMarked;
