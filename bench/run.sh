#!/usr/bin/env bash
# The side-by-side benchmark (make bench): this project natively and under
# js/wasm in Node, TensorFlow.js's wasm backend in the same Node, PyTorch on
# the CPU with OpenBLAS. Results go to dist/bench/results.jsonl and, as tables,
# to bench/results.md. Ratios are only meaningful within one run.
#
# Environment: SECONDS_PER_CASE (default 3); THREADS for the native runs
# (default 1: Go's GOMAXPROCS, OpenBLAS's and PyTorch's threads).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
SECS=${SECONDS_PER_CASE:-3}
THREADS=${THREADS:-1}
OUT=dist/bench
mkdir -p "$OUT"
JSONL=$OUT/results.jsonl
: >"$JSONL"

OPENBLAS_DIR=$(dirname "$(find /usr/lib -name 'libopenblas.so.0' -path '*openblas-pthread*' | head -1)")
export OPENBLAS_NUM_THREADS=$THREADS

echo "environment" >&2
{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "go: $($GO version | cut -d' ' -f3), node: $(node --version), tfjs: 4.22.0, torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
	echo "native threads: $THREADS (GOMAXPROCS, OPENBLAS_NUM_THREADS, torch.set_num_threads); js/wasm: 1 (Go's wasm and TF.js's wasm backend in Node are single-threaded)"
} >"$OUT/env.txt"

$GO run ./fastblas/wasmkernel/genkernel -o dist/web/vaegemm.wasm
WASM_ENV=(PATH="$PWD/fastblas/js:$PATH" GOOS=js GOARCH=wasm)

echo "go native, pure gonum" >&2
GOMAXPROCS=$THREADS $GO run ./bench/vaebench -blas gonum -seconds "$SECS" >>"$JSONL"
echo "go native, OpenBLAS" >&2
GOMAXPROCS=$THREADS $GO run -tags openblas ./bench/vaebench -blas fast -seconds "$SECS" >>"$JSONL"
echo "go js/wasm, gonum" >&2
env "${WASM_ENV[@]}" VAEGEMM_WASM=none $GO run ./bench/vaebench -blas gonum -seconds "$SECS" >>"$JSONL"
echo "go js/wasm, SIMD kernel" >&2
env "${WASM_ENV[@]}" VAEGEMM_WASM="$PWD/dist/web/vaegemm.wasm" $GO run ./bench/vaebench -blas fast -seconds "$SECS" >>"$JSONL"

echo "TensorFlow.js wasm" >&2
[ -d bench/node_modules/@tensorflow/tfjs-backend-wasm ] || (cd bench && npm ci --no-audit --no-fund --silent)
node bench/tfjs_bench.js "$SECS" >>"$JSONL"

echo "PyTorch" >&2
LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/python3 bench/torch_bench.py "$SECS" "$THREADS" >>"$JSONL"

node bench/report.js "$JSONL" "$OUT/env.txt" >bench/results.md
cat bench/results.md
