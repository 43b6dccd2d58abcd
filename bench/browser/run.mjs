// Serves the bench page (bench/browser), the site's worker (dist/site), the
// messages (dist/browserbench) and TensorFlow.js (bench/node_modules) on
// 127.0.0.1, and runs the bench in headless Chromium: steps per second of
// the playground's worker and of TensorFlow.js's wasm backend, each in a
// Web Worker, best of the rounds. See main.go.
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve, extname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const require = createRequire(resolve(repo, "web/e2e/package.json"));
const { chromium } = require("playwright-core");
const seconds = Number(process.argv[2] || 4);
const rounds = Number(process.argv[3] || 2);

const tfjs = resolve(repo, "bench/node_modules/@tensorflow");
const roots = [here, resolve(repo, "dist/site"), resolve(repo, "dist/browserbench"),
	resolve(tfjs, "tfjs/dist"), resolve(tfjs, "tfjs-backend-wasm/dist")];
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".bin": "application/octet-stream" };
const server = createServer((req, res) => {
	const name = new URL(req.url, "http://x").pathname.slice(1) || "index.html";
	for (const root of roots) {
		const p = resolve(root, name);
		if (p.startsWith(root) && !name.includes("/") && existsSync(p)) {
			res.writeHead(200, { "Content-Type": types[extname(p)] || "application/octet-stream" });
			res.end(readFileSync(p));
			return;
		}
	}
	res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
	args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
try {
	const page = await browser.newPage();
	page.on("console", (m) => console.error("page:", m.text()));
	await page.goto(url);
	const results = await page.evaluate(([s, r]) => globalThis.runBench(s, r), [seconds, rounds]);
	for (const r of results) {
		console.log(JSON.stringify(r));
	}
	const best = {};
	for (const r of results) {
		const k = `${r.impl} ${r.model}`;
		best[k] = Math.max(best[k] || 0, r.rate);
	}
	console.log(`Chromium ${browser.version()}, ${seconds} s per run, best of ${rounds}:`);
	for (const model of ["2d", "image"]) {
		const go = best[`go-worker ${model}`], tf = best[`tfjs-wasm-worker ${model}`];
		console.log(`${model}: playground worker ${go.toFixed(1)} steps/s, TF.js wasm ${tf.toFixed(1)} steps/s: ${(go / tf).toFixed(2)}×`);
	}
} finally {
	await browser.close();
	server.close();
}
