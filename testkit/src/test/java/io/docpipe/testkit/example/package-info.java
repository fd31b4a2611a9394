/** A worked example of a third-party adapter tested with a docpipe contract kit. */
@NullMarked
package io.docpipe.testkit.example;

import org.jspecify.annotations.NullMarked;
