package io.docpipe.openai;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS set-up of the HTTP client for an endpoint that has none. Without a context of its own the
 * JDK's {@link HttpClient} takes {@link SSLContext#getDefault()} when it is built: the security
 * providers, the trust store and its certificates, measured at about 0.6 s of CPU in a cold JVM —
 * for a {@code http://} endpoint (a server in the same network, a local stand-in) that never does a
 * handshake, since the client follows no redirects. This context refuses every TLS use instead.
 */
final class PlainHttp {

  private PlainHttp() {}

  /** {@code builder} set up for {@code endpoint}: untouched for {@code https://}. */
  static HttpClient.Builder forEndpoint(HttpClient.Builder builder, URI endpoint) {
    if ("http".equalsIgnoreCase(endpoint.getScheme())) {
      builder.sslContext(new NoTls()).sslParameters(new SSLParameters());
    }
    return builder;
  }

  /** A context whose every use fails: nothing over {@code http://} asks it anything. */
  private static final class NoTls extends SSLContext {
    NoTls() {
      super(new Refusing(), null, "none");
    }
  }

  private static final class Refusing extends SSLContextSpi {

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException(
          "TLS over a client built for a plain http:// endpoint");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }
}
