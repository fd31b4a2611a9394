package io.docpipe.lambda;

import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.in.SearchDocuments;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart (CRaC) hooks. Before the snapshot: load the model session and the index by running one
 * search, and run the JSON paths of all three handlers once, so a restored environment starts warm.
 * After a restore: nothing in docpipe holds time-limited credentials (keys come from the
 * environment, which SnapStart restores as configured); the one random generator, the OpenAI
 * client's retry jitter, only spreads retries, so a shared seed across restored copies costs no
 * safety. {@code org.crac} does nothing on a JVM without CRaC, which is every JVM but Lambda's
 * SnapStart (and CRaC builds): these hooks are not exercised by docpipe's tests.
 */
final class SnapStartHooks implements Resource {

  private static final System.Logger LOG = System.getLogger(SnapStartHooks.class.getName());

  private final SearchDocuments search;
  private final EventMessages messages;
  private final DocpipeHttpApi http;

  SnapStartHooks(SearchDocuments search, EventMessages messages, DocpipeHttpApi http) {
    this.search = search;
    this.messages = messages;
    this.http = http;
  }

  /**
   * Registers with the global CRaC context, which keeps only weak references: the caller keeps
   * this.
   */
  void register() {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    LOG.log(Level.INFO, "restored from a SnapStart snapshot");
  }

  /** Runs every handler's code path once without changing the index. */
  void prime() {
    long start = System.nanoTime();
    search.search(SearchCommand.of("docpipe snapshot priming", 1));
    messages.parse("priming", "{\"delete\":[\"priming\"]}");
    messages.parse(
        "priming",
        "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
            + "\"s3\":{\"bucket\":{\"name\":\"priming\"},\"object\":{\"key\":\"a+b%C3%A4\"}}}]}");
    new HttpHandler(http)
        .handle(
            ("{\"rawPath\":\"/v1/search\",\"requestContext\":{\"http\":{\"method\":\"GET\"}},"
                    + "\"body\":\"{}\"}")
                .getBytes(StandardCharsets.UTF_8),
            () -> false);
    LOG.log(
        Level.INFO, "primed for the snapshot in {0} ms", (System.nanoTime() - start) / 1_000_000);
  }
}
