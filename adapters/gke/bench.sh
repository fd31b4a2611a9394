#!/bin/bash
# GKE worker throughput on one machine (docs/benchmarks.md, "GKE worker"): 1 vs 2 worker
# processes over one corpus, and checkpoints every 32 documents vs once. Run from the repository
# root after `./mvnw -q package -DskipTests`: adapters/gke/bench.sh [dir] [documents]
set -eu
root=${1:-/tmp/gke-bench}; n=${2:-600}
rm -rf "$root"; mkdir -p "$root/corpus"
python3 - "$root/corpus" "$n" <<'PY'
import random, sys, os
random.seed(7)
words = "index shard vector pod resume checkpoint kernel corpus search batch retry node drain cluster token chunk model query score".split()
for i in range(int(sys.argv[2])):
    text = " ".join(random.choice(words) for _ in range(120))
    open(os.path.join(sys.argv[1], f"doc-{i:05d}.txt"), "w").write(f"Document {i}. {text}.\n")
PY
run() { # name shards batch
  local name=$1 shards=$2 batch=$3 start end
  rm -rf "$root/$name"; start=$(date +%s.%N)
  for ((s = 0; s < shards; s++)); do
    env DOCPIPE_CORPUS="$root/corpus" DOCPIPE_SHARDS=$shards JOB_COMPLETION_INDEX=$s DOCPIPE_ALLOW_EPHEMERAL_INDEX=true \
      DOCPIPE_INDEX_DIR="$root/$name/index-$s" DOCPIPE_SHARD_BATCH_SIZE=$batch DOCPIPE_ONNX_THREADS=$ONNX_THREADS \
      ./docpipe gke worker > "$root/$name-$s.out" 2>&1 &
  done
  wait
  end=$(date +%s.%N)
  python3 -c "import sys; t=$end-$start; print(f'$name: {t:.1f} s, {$n/t:.1f} docs/s (incl. JVM start and model load)')"
  tail -1 "$root/$name-0.out"
}
ONNX_THREADS=${ONNX_THREADS:-1}
run one-worker-ckpt32 1 32
run one-worker-ckpt-once 1 10000
run two-workers-ckpt32 2 32
