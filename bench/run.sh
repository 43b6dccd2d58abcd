#!/usr/bin/env bash
# The side-by-side benchmark (make bench): this project natively and under
# js/wasm in Node, TensorFlow.js's wasm backend in the same Node, PyTorch on
# the CPU with OpenBLAS. Results go to dist/bench/results.jsonl and, as tables,
# to bench/results.md. Ratios are only meaningful within one run.
#
# Environment: SECONDS_PER_CASE (default 3); THREADS for the native runs
# (default 1: Go's GOMAXPROCS, OpenBLAS's and PyTorch's threads); ROUNDS
# (default 3): every contender runs once per round, rounds interleave them,
# and the report keeps each one's best round, which damps other load on the
# machine without favouring anyone.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
SECS=${SECONDS_PER_CASE:-3}
ROUNDS=${ROUNDS:-3}
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
	echo "rounds: $ROUNDS of $SECS s per case, best round kept"
	echo "native threads: $THREADS (GOMAXPROCS, OPENBLAS_NUM_THREADS, torch.set_num_threads); js/wasm: 1 (Go's wasm and TF.js's wasm backend in Node are single-threaded)"
} >"$OUT/env.txt"

$GO run ./fastblas/wasmkernel/genkernel -o dist/web/vaegemm.wasm

[ -d bench/node_modules/@tensorflow/tfjs-backend-wasm ] || (cd bench && npm ci --no-audit --no-fund --silent)
BIN=$OUT/bin
mkdir -p "$BIN"
$GO build -o "$BIN/vaebench" ./bench/vaebench
$GO build -tags openblas -o "$BIN/vaebench-openblas" ./bench/vaebench
GOOS=js GOARCH=wasm $GO build -o "$BIN/vaebench.wasm" ./bench/vaebench
WASM_EXEC=$PWD/fastblas/js/go_js_wasm_exec

for round in $(seq "$ROUNDS"); do
	echo "round $round of $ROUNDS" >&2
	GOMAXPROCS=$THREADS "$BIN/vaebench" -blas gonum -seconds "$SECS" >>"$JSONL"
	GOMAXPROCS=$THREADS "$BIN/vaebench-openblas" -blas fast -seconds "$SECS" >>"$JSONL"
	VAEGEMM_WASM=none "$WASM_EXEC" "$BIN/vaebench.wasm" -blas gonum -seconds "$SECS" >>"$JSONL"
	VAEGEMM_WASM="$PWD/dist/web/vaegemm.wasm" "$WASM_EXEC" "$BIN/vaebench.wasm" -blas fast -seconds "$SECS" >>"$JSONL"
	node bench/tfjs_bench.js "$SECS" >>"$JSONL"
	LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/python3 bench/torch_bench.py "$SECS" "$THREADS" >>"$JSONL"
done

node bench/report.js "$JSONL" "$OUT/env.txt" >bench/results.md

# Where a js/wasm training step spends its time: V8's sampling profiler over
# the Go program with the kernel, self time per function (Go's names).
echo "profiling the js/wasm step" >&2
{
	echo
	echo "## Profile of the js/wasm training step (SIMD kernel), self time"
	for m in image 2d; do
		rm -rf "$OUT/profile-$m"
		GOROOT_WASM="$($GO env GOROOT)/lib/wasm" VAEGEMM_WASM="$PWD/dist/web/vaegemm.wasm" \
			node --cpu-prof --cpu-prof-dir="$OUT/profile-$m" fastblas/js/wasm_exec_node.js \
			"$BIN/vaebench.wasm" -blas fast -what train -model "$m" -seconds "$SECS" >/dev/null
		echo
		echo "### $m model"
		echo
		node bench/profile.js "$OUT/profile-$m"/*.cpuprofile 15
	done
} >>bench/results.md

# The same natively (OpenBLAS build): Go's CPU profiler, self time per
# function; runtime.cgocall is the time inside OpenBLAS.
echo "profiling the native step" >&2
{
	echo
	echo "## Profile of the native training step (OpenBLAS), self time"
	echo
	echo "\`runtime.cgocall\` is the time spent inside OpenBLAS (the matrix products)."
	for m in image 2d; do
		GOMAXPROCS=$THREADS "$BIN/vaebench-openblas" -blas fast -what train -model "$m" -seconds "$SECS" \
			-cpuprofile "$OUT/profile-native-$m.pprof" >/dev/null
		echo
		echo "### $m model"
		echo
		echo "| function | self time | share |"
		echo "| --- | ---: | ---: |"
		$GO tool pprof -top -nodecount=12 "$BIN/vaebench-openblas" "$OUT/profile-native-$m.pprof" 2>/dev/null |
			awk '/^ *flat/ {on = 1; next} on && NF >= 6 {name = $6; for (i = 7; i <= NF; i++) name = name " " $i; printf "| `%s` | %s | %s |\n", name, $1, $2}'
	done
} >>bench/results.md
cat bench/results.md
