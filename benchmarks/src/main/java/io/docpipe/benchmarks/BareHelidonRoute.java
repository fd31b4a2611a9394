package io.docpipe.benchmarks;

import io.helidon.webserver.WebServer;

/**
 * The Fargate ceiling: the same Helidon web server as docpipe's service, one route that reads the
 * request body and returns a constant JSON; no auth, no model, no index. Prints its port and runs
 * until it is stopped.
 */
public final class BareHelidonRoute {

  private BareHelidonRoute() {}

  @SuppressWarnings("SystemOut") // a CLI main: its port goes to stdout for the suite to read
  public static void main(String[] args) throws InterruptedException {
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .featuresDiscoverServices(false)
            .routing(
                r ->
                    r.post(
                        "/bare",
                        (req, res) -> {
                          req.content().consume();
                          res.header("Content-Type", "application/json").send("{\"hits\":[]}");
                        }))
            .build()
            .start();
    System.out.println("bare route listening on port " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
