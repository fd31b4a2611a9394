/**
 * A test utility: a local stand-in for the Kubernetes API server (fabric8's mock server in CRUD
 * mode over loopback), so the real Kubernetes client can be tested where no API server runs. Entry
 * type: {@link io.docpipe.harness.kubernetes.MockApiServer}.
 */
@NullMarked
package io.docpipe.harness.kubernetes;

import org.jspecify.annotations.NullMarked;
