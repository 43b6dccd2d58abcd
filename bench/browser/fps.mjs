// Frame rate of the built site (dist/site, served by dist/bin/serve) in
// headless Chromium while training, with the training worker and without it
// (Worker removed before the page's scripts), alternating pages so that
// both see the same machine: node bench/browser/fps.mjs [rounds=2] [WxH=1280x800] [settings]
// (settings as in the URL hash, e.g. data=mnist for the image model)
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { chromium } = createRequire(resolve(repo, "web/e2e/package.json"))("playwright-core");
const rounds = Number(process.argv[2] || 2);
const [width, height] = (process.argv[3] || "1280x800").split("x").map(Number);
const hash = process.argv[4] || "";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const child = spawn(resolve(repo, "dist/bin/serve"), ["-dir", resolve(repo, "dist/site"), "-port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((r) => createInterface({ input: child.stdout }).once("line", (l) => r(l.trim())));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
	args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader"] });

async function measure(page, ms) {
	const s = () => page.evaluate(() => globalThis.vae.state());
	const a = await s();
	const t0 = Date.now();
	await sleep(ms);
	const b = await s();
	const secs = (Date.now() - t0) / 1000;
	return { fps: (b.frames - a.frames) / secs, steps: (b.step - a.step) / secs, trainer: b.trainer, updateMs: b.updateMs };
}

async function one(worker) {
	const context = await browser.newContext({ viewport: { width, height } });
	const page = await context.newPage();
	if (!worker) {
		await page.addInitScript(() => Object.defineProperty(globalThis, "Worker", { value: undefined }));
	}
	await page.goto(url + (hash ? "#" + hash : ""));
	await page.waitForFunction(() => globalThis.vae && globalThis.vae.state().trainer === (globalThis.Worker ? "worker" : "inline"), null, { timeout: 180000, polling: 200 });
	if (hash) {
		await sleep(20000); // a data set named in the settings is fetched after the first frame
	}
	const run = (c) => page.evaluate((c) => globalThis.vae.do(c), c);
	const out = {};
	for (const [name, speed, play] of [["paused", "max", false], ["max", "max", true], ["200/s", "fast", true], ["30/s", "medium", true], ["5/s", "slow", true]]) {
		await run("set speed=" + speed);
		await run(play ? "play" : "pause");
		await sleep(1500);
		out[name] = await measure(page, 5000);
	}
	await context.close();
	return out;
}

try {
	console.log(`Chromium ${browser.version()}, ${width}×${height} ${hash}`);
	for (let r = 0; r < rounds; r++) {
		for (const worker of [true, false]) {
			const m = await one(worker);
			console.log((worker ? "worker " : "inline ") + Object.entries(m).map(([k, v]) =>
				`${k}: ${v.fps.toFixed(1)} fps, ${v.steps.toFixed(0)} steps/s (${v.trainer}, update ${v.updateMs.toFixed(1)} ms)`).join("; "));
		}
	}
} finally {
	await browser.close();
	child.kill();
}
