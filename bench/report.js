// Turns dist/bench/results.jsonl (bench/run.sh) into the markdown tables of
// bench/results.md: train steps/s side by side, matrix-product GFLOPS, and
// the targets checked against this run's ratios.
"use strict";
const fs = require("fs");

const [jsonl, envFile] = process.argv.slice(2);
const rows = fs.readFileSync(jsonl, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const env = fs.readFileSync(envFile, "utf8").trim();

// Each contender's best round (see ROUNDS in run.sh).
const get = (impl, runtime, backend, kind, name) => {
	const rates = rows
		.filter((r) => r.impl === impl && r.runtime === runtime && r.backend === backend && r.kind === kind && r.case === name)
		.map((r) => r.rate);
	return rates.length ? Math.max(...rates) : undefined;
};
const f = (x, digits = 1) => (x === undefined ? "–" : x.toFixed(digits));
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);

const out = [];
out.push("# Side-by-side benchmark", "", "Written by `make bench` (bench/run.sh); one run (its rounds interleave the contenders; each keeps its best round), so the ratios compare like with like.", "", "```", env, "```", "");

out.push("## Train steps per second", "");
out.push("Image model: 784-256-(2·2) / 2-256-784, ReLU, Bernoulli, batch 128, Adam. 2-D model: 2-64-64-(2·2) / 2-64-64-2, tanh, Gaussian, batch 256, Adam. This project computes in float64; TF.js's wasm backend in float32 only.", "");
out.push("| model | Go js/wasm, gonum | Go js/wasm, SIMD kernel | TF.js wasm (f32) | kernel ÷ TF.js | Go native, gonum | Go native, OpenBLAS | PyTorch f64 | PyTorch f32 | Go OpenBLAS ÷ PyTorch f64 | ÷ PyTorch f32 |");
out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const targets = [];
for (const m of ["image", "2d"]) {
	const wg = get("go", "js/wasm", "gonum", "train", m);
	const wk = get("go", "js/wasm", "wasm-simd", "train", m);
	const tfjs = get("tfjs", "js/wasm", "tfjs-wasm", "train", m);
	const ng = get("go", "native", "gonum", "train", m);
	const nb = get("go", "native", "openblas", "train", m);
	const t64 = get("torch", "native", "openblas/f64", "train", m);
	const t32 = get("torch", "native", "openblas/f32", "train", m);
	out.push(`| ${m} | ${f(wg)} | ${f(wk)} | ${f(tfjs)} | ${f(ratio(wk, tfjs), 2)} | ${f(ng)} | ${f(nb)} | ${f(t64)} | ${f(t32)} | ${f(ratio(nb, t64), 2)} | ${f(ratio(nb, t32), 2)} |`);
	targets.push([`js/wasm ${m}: kernel ≥ 1.5 × TF.js-wasm`, ratio(wk, tfjs), 1.5]);
	const best = Math.max(ng ?? 0, nb ?? 0);
	targets.push([`native ${m}: best Go build ≥ ${m === "image" ? 1 : 2} × PyTorch f64 (OpenBLAS)`, ratio(best, t64), m === "image" ? 1 : 2]);
}
out.push("");

out.push("## Matrix product C = A·B, n×n, GFLOPS", "");
out.push("| n | Go native, gonum | Go native, OpenBLAS | gonum in wasm | SIMD kernel in wasm | TF.js wasm (f32) |");
out.push("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (const n of ["64", "256", "512"]) {
	out.push(`| ${n} | ${f(get("go", "native", "gonum", "matmul", n))} | ${f(get("go", "native", "openblas", "matmul", n))} | ${f(get("go", "js/wasm", "gonum", "matmul", n))} | ${f(get("go", "js/wasm", "wasm-simd", "matmul", n))} | ${f(get("tfjs", "js/wasm", "tfjs-wasm", "matmul", n))} |`);
}
targets.push(["kernel ≥ 8 GFLOPS (f64) at 256² in js/wasm", get("go", "js/wasm", "wasm-simd", "matmul", "256"), 8]);
out.push("");

out.push("## Targets in this run", "");
out.push("| target | measured | met |", "| --- | ---: | --- |");
for (const [name, value, want] of targets) {
	out.push(`| ${name} | ${f(value, 2)} | ${value !== undefined && value >= want ? "yes" : "**no**"} |`);
}
out.push("");
process.stdout.write(out.join("\n"));
