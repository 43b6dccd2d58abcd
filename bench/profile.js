// Summarises a V8 CPU profile (node --cpu-prof) of a Go js/wasm program by
// self time per function. Go's wasm binary carries a name section, so the
// profile names Go functions (core.(*Adam).Update, math.Exp, ...) and the SIMD
// kernel's exports appear under their wasm names.
//
//   node bench/profile.js CPU.*.cpuprofile [top=25]
"use strict";
const fs = require("fs");

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
// timeDeltas[i] is the time before sample i; charge it to that sample's node.
prof.samples.forEach((id, i) => {
	const dt = prof.timeDeltas[i] || 0;
	const name = byId.get(id).callFrame.functionName || "(anonymous)";
	self.set(name, (self.get(name) || 0) + dt);
	total += dt;
});
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg || 25));
console.log(`| function | self time | share |\n| --- | ---: | ---: |`);
for (const [name, us] of rows) {
	console.log(`| \`${name}\` | ${(us / 1000).toFixed(0)} ms | ${((100 * us) / total).toFixed(1)}% |`);
}
console.log(`\ntotal ${(total / 1e6).toFixed(2)} s`);
