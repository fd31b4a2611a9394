package io.docpipe.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class PlainHttpTest {

  @Test
  void plainHttpEndpoint_getsAClientWithoutTheDefaultTlsSetUp_whichRefusesTls() {
    try (HttpClient client =
        PlainHttp.forEndpoint(HttpClient.newBuilder(), URI.create("http://127.0.0.1:1/v1"))
            .build()) {
      assertThat(client.sslContext().getProtocol()).isEqualTo("none");
      assertThatThrownBy(() -> client.sslContext().createSSLEngine())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void httpsEndpoint_keepsTheJdkDefaultContext() throws Exception {
    try (HttpClient client =
        PlainHttp.forEndpoint(HttpClient.newBuilder(), URI.create("https://api.openai.com/v1"))
            .build()) {
      assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
    }
  }
}
