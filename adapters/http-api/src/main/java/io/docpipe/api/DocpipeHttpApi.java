package io.docpipe.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.json.DeleteResponseBody;
import io.docpipe.api.json.DocumentBody;
import io.docpipe.api.json.DocumentResult;
import io.docpipe.api.json.HitBody;
import io.docpipe.api.json.IngestBody;
import io.docpipe.api.json.IngestResponseBody;
import io.docpipe.api.json.SearchBody;
import io.docpipe.api.json.SearchResponseBody;
import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.DeleteCommand;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.in.SearchReport;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.VectorStoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * docpipe's HTTP API over the core's use cases, for any transport: {@link #handle} routes a
 * request; {@link #ingest}, {@link #search} and {@link #delete} serve one route each for transports
 * that route themselves. Client mistakes become 4xx problems naming the field at fault; a
 * dependency that is down becomes a 503 {@code unavailable}; nothing a client sends produces a 500.
 */
public final class DocpipeHttpApi {

  public static final String DOCUMENTS = "/v1/documents";
  public static final String SEARCH = "/v1/search";
  public static final int DEFAULT_K = 10;

  private static final System.Logger LOG = System.getLogger(DocpipeHttpApi.class.getName());
  private static final String DOCUMENTS_PREFIX = DOCUMENTS + "/";

  private final IngestDocuments ingest;
  private final SearchDocuments search;
  private final DeleteDocuments delete;
  private final ApiLimits limits;

  public DocpipeHttpApi(
      IngestDocuments ingest, SearchDocuments search, DeleteDocuments delete, ApiLimits limits) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.search = Objects.requireNonNull(search, "search");
    this.delete = Objects.requireNonNull(delete, "delete");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public ApiLimits limits() {
    return limits;
  }

  /** Routes one request; documents are ingested with {@code stop} checked between them. */
  public ApiResponse handle(ApiRequest request, StopSignal stop) {
    String path = request.path();
    String method = request.method();
    if (path.equals(DOCUMENTS)) {
      return method.equals("POST")
          ? withJsonBody(request, () -> ingest(request.body(), stop))
          : methodNotAllowed(method, path, "POST");
    }
    if (path.equals(SEARCH)) {
      return method.equals("POST")
          ? withJsonBody(request, () -> search(request.body()))
          : methodNotAllowed(method, path, "POST");
    }
    if (path.startsWith(DOCUMENTS_PREFIX) && path.length() > DOCUMENTS_PREFIX.length()) {
      return method.equals("DELETE")
          ? delete(path.substring(DOCUMENTS_PREFIX.length()))
          : methodNotAllowed(method, path, "DELETE");
    }
    return new Problem(ProblemType.NOT_FOUND, "no route " + path).toResponse();
  }

  /** {@link #handle(ApiRequest, StopSignal)} that never stops early. */
  public ApiResponse handle(ApiRequest request) {
    return handle(request, StopSignal.NEVER);
  }

  /** {@code POST /v1/documents}: ingests the documents of {@code body} now. */
  public ApiResponse ingest(byte[] body, StopSignal stop) {
    try {
      ParsedIngest parsed = parseIngest(body);
      return ingestResult(ingest.ingest(parsed.command(stop)));
    } catch (ApiProblemException e) {
      return e.problem().toResponse();
    } catch (RuntimeException e) {
      return internal("ingest", e);
    }
  }

  /** {@code POST /v1/search}. */
  public ApiResponse search(byte[] body) {
    try {
      SearchCommand command = parseSearch(body);
      int snippetChars = parseSnippetChars(body);
      SearchReport report = search.search(command);
      return Json.ok(searchAnswer(report, snippetChars));
    } catch (ApiProblemException e) {
      return e.problem().toResponse();
    } catch (EmbeddingException e) {
      return dependencyFailed("the embedding model", e.retriable(), e);
    } catch (VectorStoreException e) {
      return dependencyFailed("the vector store", e.retriable(), e);
    } catch (RuntimeException e) {
      return internal("search", e);
    }
  }

  /**
   * The answer's JSON as a tree of {@link SearchResponseBody}'s shape (its {@link HitBody} fields,
   * in their order, the same bytes: {@code DocpipeHttpApiTest}). A tree, not the records: writing a
   * record first builds its serializer by introspection, which a cold start (Lambda) would pay for
   * on its first search; trees are what the handlers write anyway.
   */
  static ObjectNode searchAnswer(SearchReport report, int snippetChars) {
    ObjectNode answer = StrictJson.objectNode();
    ArrayNode hits = answer.putArray("hits");
    for (SearchHit hit : report.hits()) {
      ObjectNode body = hits.addObject();
      body.put("documentId", hit.documentId().value());
      body.put("score", hit.score());
      body.put("chunkIndex", hit.payload().chunkIndex());
      body.put("text", hit.snippet(snippetChars));
      ObjectNode metadata = body.putObject("metadata");
      hit.payload().metadata().forEach(metadata::put);
    }
    return answer;
  }

  /** {@code DELETE /v1/documents/{id}}, the id as it appears in the path (percent-encoded). */
  public ApiResponse delete(String encodedId) {
    DocumentId id;
    try {
      id = DocumentId.of(decodePathSegment(encodedId));
    } catch (IllegalArgumentException e) {
      return new Problem(ProblemType.INVALID_REQUEST, "bad document id: " + e.getMessage())
          .toResponse();
    }
    try {
      DocumentOutcome outcome = delete.delete(DeleteCommand.of(id)).outcomes().getFirst();
      return switch (outcome) {
        case DocumentOutcome.Deleted d ->
            Json.ok(new DeleteResponseBody(id.value(), true, d.existed()));
        case DocumentOutcome.Failed f ->
            (f.reason().retriable()
                ? new Problem(ProblemType.UNAVAILABLE, "cannot delete " + id + ": " + f.detail())
                    .toResponse()
                    .withHeader("Retry-After", "1")
                : new Problem(
                        ProblemType.INVALID_REQUEST, "cannot delete " + id + ": " + f.detail())
                    .toResponse());
        case DocumentOutcome.Indexed i ->
            internal("delete", new IllegalStateException(i.toString()));
        case DocumentOutcome.Unchanged u ->
            internal("delete", new IllegalStateException(u.toString()));
      };
    } catch (RuntimeException e) {
      return internal("delete", e);
    }
  }

  /**
   * Validates a {@code POST /v1/documents} body without ingesting it: for transports that accept
   * the work first (202) and run it later.
   */
  public ParsedIngest parseIngest(byte[] body) throws ApiProblemException {
    checkSize(body);
    IngestBody parsed = Json.read(body, IngestBody.class);
    List<DocumentBody> documents = parsed.documents();
    if (documents == null) {
      throw new ApiProblemException(
          ProblemType.INVALID_REQUEST, "'documents' is required: an array of documents");
    }
    if (documents.isEmpty()) {
      throw new ApiProblemException(
          ProblemType.INVALID_REQUEST, "'documents' is empty: send at least one document");
    }
    if (documents.size() > limits.maxDocumentsPerRequest()) {
      throw new ApiProblemException(
          ProblemType.TOO_MANY_DOCUMENTS,
          documents.size()
              + " documents in one request; the limit is "
              + limits.maxDocumentsPerRequest()
              + ": split the batch");
    }
    List<IngestRequest> requests = new ArrayList<>(documents.size());
    Set<DocumentId> seen = new HashSet<>();
    for (int i = 0; i < documents.size(); i++) {
      IngestRequest request = toRequest(documents.get(i), "documents[" + i + "]");
      if (!seen.add(request.documentId())) {
        throw new ApiProblemException(
            ProblemType.INVALID_REQUEST,
            "documents[" + i + "].id '" + request.documentId() + "' appears twice in one request");
      }
      requests.add(request);
    }
    return new ParsedIngest(requests);
  }

  /** The 200 response for an ingestion's report. */
  public ApiResponse ingestResult(IngestReport report) {
    return Json.ok(ingestResponseBody(report));
  }

  /** The JSON body for an ingestion's report (also the result of an asynchronous job). */
  public static IngestResponseBody ingestResponseBody(IngestReport report) {
    List<DocumentResult> results = new ArrayList<>(report.outcomes().size());
    int indexed = 0;
    int unchanged = 0;
    int failed = 0;
    for (DocumentOutcome outcome : report.outcomes()) {
      String id = outcome.documentId().value();
      switch (outcome) {
        case DocumentOutcome.Indexed i -> {
          indexed++;
          results.add(new DocumentResult(id, "indexed", i.chunks(), null, null, null));
        }
        case DocumentOutcome.Unchanged u -> {
          unchanged++;
          results.add(new DocumentResult(id, "unchanged", null, null, null, null));
        }
        case DocumentOutcome.Failed f -> {
          failed++;
          results.add(
              new DocumentResult(
                  id, "failed", null, f.reason().name(), f.reason().retriable(), f.detail()));
        }
        case DocumentOutcome.Deleted d ->
            results.add(new DocumentResult(id, "deleted", null, null, null, null));
      }
    }
    return new IngestResponseBody(results, indexed, unchanged, failed, report.chunksEmbedded());
  }

  private IngestRequest toRequest(DocumentBody body, String where) throws ApiProblemException {
    if (body == null) {
      throw invalid(where + " is null; expected a document object");
    }
    if (body.id() == null) {
      throw invalid(where + ".id is required");
    }
    DocumentId id;
    try {
      id = DocumentId.of(body.id());
    } catch (IllegalArgumentException e) {
      throw invalid(where + ".id: " + e.getMessage());
    }
    Map<String, String> metadata = body.metadata() == null ? Map.of() : body.metadata();
    if (metadata.values().stream().anyMatch(Objects::isNull)) {
      throw invalid(where + ".metadata values must be strings, not null");
    }
    if ((body.text() == null) == (body.uri() == null)) {
      throw invalid(where + " needs exactly one of 'text' (inline content) and 'uri' (to fetch)");
    }
    try {
      if (body.text() != null) {
        String mediaType = body.mediaType() == null ? MediaTypes.TEXT_PLAIN : body.mediaType();
        if (mediaType.isBlank()) {
          throw invalid(where + ".mediaType is blank");
        }
        URI source = URI.create("inline:" + URLEncoder.encode(id.value(), StandardCharsets.UTF_8));
        return new IngestRequest.Inline(
            new Document(id, source, mediaType, metadata, Content.ofUtf8(body.text())));
      }
      if (body.mediaType() != null) {
        throw invalid(
            where + ".mediaType applies to inline text only; the source tells a URI's type");
      }
      URI uri = parseUri(body.uri(), where);
      return new IngestRequest.Fetch(new DocumentRef(id, uri, metadata, null));
    } catch (IllegalArgumentException e) {
      throw invalid(where + ": " + e.getMessage());
    }
  }

  private static URI parseUri(String raw, String where) throws ApiProblemException {
    try {
      URI uri = new URI(raw);
      if (!uri.isAbsolute() || uri.isOpaque() && !"inline".equals(uri.getScheme())) {
        throw invalid(where + ".uri must be an absolute URI such as s3://bucket/key: " + raw);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(where + ".uri is not a URI: " + e.getMessage());
    }
  }

  /** The optional {@code snippetChars}: every hit's whole text when absent. */
  private static int parseSnippetChars(byte[] body) throws ApiProblemException {
    Integer snippetChars = Json.readSearch(body).snippetChars();
    if (snippetChars == null) {
      return Integer.MAX_VALUE;
    }
    if (snippetChars < 1 || snippetChars > SearchBody.MAX_SNIPPET_CHARS) {
      throw invalid(
          "'snippetChars' must be in [1, " + SearchBody.MAX_SNIPPET_CHARS + "]: " + snippetChars);
    }
    return snippetChars;
  }

  SearchCommand parseSearch(byte[] body) throws ApiProblemException {
    checkSize(body);
    SearchBody parsed = Json.readSearch(body);
    if (parsed.query() == null) {
      throw invalid("'query' is required");
    }
    // Without k, ten hits, or fewer when the service allows fewer: a default is never an error.
    int k = parsed.k() == null ? Math.min(DEFAULT_K, limits.maxK()) : parsed.k();
    if (k < 1 || k > limits.maxK()) {
      throw invalid("'k' must be in [1, " + limits.maxK() + "]: " + k);
    }
    MetadataFilter filter = parseFilter(parsed.filter());
    try {
      String mode = parsed.mode();
      SearchCommand command =
          new SearchCommand(
              parsed.query(),
              k,
              filter,
              parsed.minScore(),
              !Boolean.TRUE.equals(parsed.perChunk()),
              false,
              mode == null ? RetrievalMode.DEFAULT : RetrievalMode.parse(mode));
      return command;
    } catch (IllegalArgumentException e) {
      throw invalid(java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  private static MetadataFilter parseFilter(@Nullable Map<String, JsonNode> filter)
      throws ApiProblemException {
    if (filter == null || filter.isEmpty()) {
      return MetadataFilter.none();
    }
    List<MetadataFilter.Condition> conditions = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : new TreeMap<>(filter).entrySet()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      try {
        if (value != null && value.isTextual()) {
          conditions.add(MetadataFilter.eq(key, value.textValue()));
        } else if (value != null && value.isArray() && !value.isEmpty()) {
          Set<String> values = new HashSet<>();
          for (JsonNode element : value) {
            if (!element.isTextual()) {
              throw invalid("filter '" + key + "': every value in the array must be a string");
            }
            values.add(element.textValue());
          }
          conditions.add(new MetadataFilter.AnyOf(key, values));
        } else {
          throw invalid("filter '" + key + "' must be a string or a non-empty array of strings");
        }
      } catch (IllegalArgumentException e) {
        throw invalid("filter: " + e.getMessage());
      }
    }
    return new MetadataFilter(conditions);
  }

  private void checkSize(byte[] body) throws ApiProblemException {
    if (body.length > limits.maxBodyBytes()) {
      throw new ApiProblemException(
          ProblemType.PAYLOAD_TOO_LARGE,
          "the body is " + body.length + " bytes; the limit is " + limits.maxBodyBytes());
    }
  }

  private static ApiResponse withJsonBody(
      ApiRequest request, java.util.function.Supplier<ApiResponse> route) {
    String contentType = request.header("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      return new Problem(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + contentType)
          .toResponse();
    }
    return route.get();
  }

  private static boolean isJson(String contentType) {
    String essence = MediaTypes.essence(contentType);
    return essence.equals("application/json") || essence.endsWith("+json");
  }

  private static String decodePathSegment(String encoded) {
    if (encoded.indexOf('/') >= 0) {
      throw new IllegalArgumentException("encode '/' in a document id as %2F");
    }
    // '+' is a literal plus in a path (it means space only in query strings).
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A dependency that may answer later is a 503 to retry; one that never will is our fault. */
  private static ApiResponse dependencyFailed(String what, boolean retriable, Exception e) {
    if (retriable) {
      LOG.log(System.Logger.Level.WARNING, "search unavailable: " + what + ": " + e.getMessage());
      return new Problem(ProblemType.UNAVAILABLE, what + " cannot answer now; retry later")
          .toResponse()
          .withHeader("Retry-After", "1");
    }
    LOG.log(System.Logger.Level.ERROR, "search failed: " + what + " refused the request", e);
    return new Problem(ProblemType.INTERNAL, what + " refused the search; see the service log")
        .toResponse();
  }

  private static ApiResponse methodNotAllowed(String method, String path, String allowed) {
    return new Problem(
            ProblemType.METHOD_NOT_ALLOWED,
            method + " is not allowed on " + path + "; use " + allowed)
        .toResponse()
        .withHeader("Allow", allowed);
  }

  private static ApiProblemException invalid(String detail) {
    return new ApiProblemException(ProblemType.INVALID_REQUEST, detail);
  }

  private static ApiResponse internal(String operation, RuntimeException e) {
    LOG.log(System.Logger.Level.ERROR, operation + " failed unexpectedly", e);
    return new Problem(
            ProblemType.INTERNAL,
            operation
                + " failed unexpectedly ("
                + e.getClass().getSimpleName()
                + "); see the service log")
        .toResponse();
  }
}
