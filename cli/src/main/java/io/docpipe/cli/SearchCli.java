package io.docpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.Printable;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.out.IngestionListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code docpipe search "<query>"}: the documents (or chunks) that best match, by meaning, by words
 * or both ({@code --mode}).
 */
@Command(name = "search", description = "Search the index; prints ranked hits.")
final class SearchCli implements Callable<Integer> {

  @Mixin DocpipeCli.IndexOptions options = new DocpipeCli.IndexOptions();

  @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for, in plain words.")
  String query = "";

  @Option(
      names = "-k",
      defaultValue = "5",
      description = "Number of hits (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--filter",
      paramLabel = "KEY=VALUE",
      description = "Only chunks whose metadata KEY equals VALUE; repeatable (all must hold).")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--any",
      paramLabel = "KEY=V1,V2",
      description = "Only chunks whose metadata KEY is one of the values; repeatable.")
  List<String> anyOf = new ArrayList<>();

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "hybrid",
      description =
          "dense (meaning), lexical (words, BM25) or hybrid (both, fused by reciprocal rank;"
              + " hybrid:DENSE:LEXICAL weighs the two sides, e.g. hybrid:1:0.5);"
              + " default ${DEFAULT-VALUE}.")
  String mode = "hybrid";

  @Option(
      names = "--min-score",
      description = "Drop dense hits below this cosine similarity (dense and hybrid modes).")
  @Nullable Double minScore;

  @Option(names = "--chunks", description = "Rank chunks instead of one hit per document.")
  boolean chunks;

  @Option(names = "--exact", description = "Exhaustive search instead of the approximate index.")
  boolean exact;

  @Option(names = "--json", description = "One JSON object per hit.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MetadataFilter filter = MetadataFilter.none();
    for (String f : filters) {
      String[] kv = split(f, "--filter");
      filter = filter.and(MetadataFilter.eq(kv[0], kv[1]));
    }
    for (String f : anyOf) {
      String[] kv = split(f, "--any");
      filter =
          filter.and(
              new MetadataFilter.AnyOf(kv[0], new HashSet<>(Arrays.asList(kv[1].split(",")))));
    }
    SearchCommand command =
        new SearchCommand(query, k, filter, minScore, !chunks, exact, RetrievalMode.parse(mode));
    try (CliComponent component = CliComponent.create(options.config(), IngestionListener.NONE)) {
      print(spec.commandLine().getOut(), component.search().search(command).hits());
    }
    return 0;
  }

  private static String[] split(String keyValue, String option) {
    int eq = keyValue.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(option + " takes KEY=VALUE, got '" + keyValue + "'");
    }
    return new String[] {keyValue.substring(0, eq), keyValue.substring(eq + 1)};
  }

  private void print(PrintWriter out, List<SearchHit> hits) throws Exception {
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      for (SearchHit h : hits) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", h.id().toString());
        node.put("score", h.score());
        node.put("doc_id", h.documentId().value());
        node.put("chunk_index", h.payload().chunkIndex());
        node.put("text", h.payload().text());
        node.set("metadata", mapper.valueToTree(h.payload().metadata()));
        out.println(mapper.writeValueAsString(node));
      }
    } else if (hits.isEmpty()) {
      out.println("no hits");
    } else {
      int rank = 1;
      for (SearchHit h : hits) {
        String snippet = Printable.of(h.payload().text().replaceAll("\\s+", " ").strip());
        if (snippet.length() > 160) {
          snippet =
              snippet.substring(0, snippet.offsetByCodePoints(0, snippet.codePointCount(0, 157)))
                  + "...";
        }
        out.printf(
            Locale.ROOT,
            "%2d. %.3f  %s  [chunk %d]%n      %s%n",
            rank++,
            h.score(),
            Printable.of(h.documentId()),
            h.payload().chunkIndex(),
            snippet);
      }
    }
    out.flush();
  }
}
