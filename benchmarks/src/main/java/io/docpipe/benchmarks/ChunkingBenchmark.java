package io.docpipe.benchmarks;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenizer;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.out.EmbeddingModel;
import java.util.List;

/**
 * Chunking throughput: the core {@link Chunker} against LangChain4j's recursive splitter, both at
 * 256 word pieces with 32 of overlap, each counting tokens with its own all-MiniLM-L6-v2 WordPiece
 * tokenizer (the one each user would use with that model).
 */
final class ChunkingBenchmark {

  record Result(
      long corpusBytes,
      long baselineBytes,
      Samples docpipeMbPerCpuSecond,
      Samples baselineMbPerCpuSecond,
      long docpipeChunks,
      long baselineChunks) {
    Samples ratio() {
      return docpipeMbPerCpuSecond.over(baselineMbPerCpuSecond);
    }
  }

  private ChunkingBenchmark() {}

  /**
   * docpipe chunks all of {@code documents}; the baseline, far slower, chunks the first {@code
   * baselineShare} of them (throughput is per byte, so the share does not bias the ratio).
   */
  static Result run(
      List<String> documents, double baselineShare, EmbeddingModel model, int warmups, int runs) {
    ChunkingPolicy policy = new ChunkingPolicy(256, 32, ChunkingPolicy.Mode.SPLIT);
    Chunker chunker = new Chunker(policy, model.tokenCounter());
    DocumentSplitter splitter = DocumentSplitters.recursive(256, 32, new HuggingFaceTokenizer());
    List<String> baselineDocs =
        documents.subList(0, Math.max(1, (int) (documents.size() * baselineShare)));
    long bytes = TextCorpus.utf8Bytes(documents);
    long baselineBytes = TextCorpus.utf8Bytes(baselineDocs);

    long[] docpipeChunks = {0};
    Samples docpipe =
        Samples.perCpuSecond(
                warmups,
                runs,
                () -> {
                  long chunks = 0;
                  for (int i = 0; i < documents.size(); i++) {
                    chunks += chunker.chunk(DocumentId.of("d" + i), documents.get(i)).size();
                  }
                  docpipeChunks[0] = chunks;
                  return bytes;
                })
            .scaled(1e-6);
    long[] baselineChunks = {0};
    Samples baseline =
        Samples.perCpuSecond(
                warmups,
                runs,
                () -> {
                  long chunks = 0;
                  for (String doc : baselineDocs) {
                    chunks += splitter.split(Document.from(doc)).size();
                  }
                  baselineChunks[0] = chunks;
                  return baselineBytes;
                })
            .scaled(1e-6);
    return new Result(bytes, baselineBytes, docpipe, baseline, docpipeChunks[0], baselineChunks[0]);
  }
}
