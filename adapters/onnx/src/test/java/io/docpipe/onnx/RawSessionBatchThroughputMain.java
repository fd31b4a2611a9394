package io.docpipe.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What batching could give a model, without the adapter: one ONNX Runtime session on one thread,
 * inputs of one length (so no padding), texts per CPU-second by batch size. The adapter runs the
 * int8 exports one text per run (their activations are quantized per batch, ADR 0022); this
 * measures what running them in batches would buy. Arguments: model label (default
 * all-minilm-l6-v2-q), positions per text (default 106, the ingest row's mean), texts per batch
 * size (default 192, rounded down to a multiple of each size). The graph is optimised at {@code
 * EXTENDED_OPT}, as the images' prepared graphs are. The CPU time counted includes building each
 * run's inputs, which is small next to the run. Run it by hand; it asserts nothing.
 */
final class RawSessionBatchThroughputMain {

  private static final List<Integer> BATCH_SIZES = List.of(1, 2, 4, 8, 16, 32);

  private RawSessionBatchThroughputMain() {}

  public static void main(String[] args) throws OrtException {
    OnnxSettings.Model model =
        OnnxSettings.Model.parse(args.length > 0 ? args[0] : "all-minilm-l6-v2-q");
    int positions = args.length > 1 ? Integer.parseInt(args[1]) : 106;
    int texts = args.length > 2 ? Integer.parseInt(args[2]) : 192;
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
      byte[] graph = PreparedModels.read(model, model.modelResource());
      try (OrtSession session = environment.createSession(graph, options)) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Random random = new Random(1);
        // The first round warms up; the next two are printed.
        for (int round = 0; round < 3; round++) {
          for (int batch : BATCH_SIZES) {
            int runs = texts / batch;
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < runs; i++) {
              run(environment, session, batch, positions, random);
            }
            double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            if (round > 0) {
              System.out.printf(
                  "%s, %d positions, batch %d: %.1f texts per CPU-second%n",
                  model.label(), positions, batch, runs * batch / seconds);
            }
          }
        }
      }
    }
  }

  /** One inference run over {@code batch} texts of random word pieces between [CLS] and [SEP]. */
  private static void run(
      OrtEnvironment environment, OrtSession session, int batch, int positions, Random random)
      throws OrtException {
    long[] ids = new long[batch * positions];
    long[] mask = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      int position = i % positions;
      ids[i] =
          position == 0 ? 101 : position == positions - 1 ? 102 : 1000 + random.nextInt(28_000);
      mask[i] = 1;
    }
    long[] shape = {batch, positions};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
      inputs.put(
          "attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      inputs.put(
          "token_type_ids",
          OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
      session.run(inputs).close();
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }
}
