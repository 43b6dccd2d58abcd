// End-to-end tests of training in a Web Worker (issue 12), in Debian's
// Chromium through playwright-core, beside e2e.mjs (make test-e2e runs both).
// The page's game starts the worker after its first frame and hands it the
// trainer; these checks drive it through the same hooks (vae.state() says
// where training runs: state().trainer is "worker" or "inline"), break the
// worker on purpose through vae.worker (the page's Worker object), and
// measure the frame rate with and without it (reported, not asserted).
//
//   node worker.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const siteDir = process.env.E2E_SITE || resolve(repo, "dist/site");
const serveBin = process.env.E2E_SERVE || resolve(repo, "dist/bin/serve");
const outDir = process.env.E2E_OUT || resolve(repo, "dist/e2e");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const startTimeout = 180_000;

const results = [];
const report = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function check(name, fn) {
	const t0 = Date.now();
	try {
		const detail = await fn();
		results.push({ name, status: "pass", detail: detail || "", ms: Date.now() - t0 });
		console.log(`PASS  ${name}${detail ? " — " + detail : ""}`);
	} catch (err) {
		results.push({ name, status: "fail", detail: String(err && err.message || err), ms: Date.now() - t0 });
		console.log(`FAIL  ${name} — ${err && err.message || err}`);
	}
}

function assert(cond, message) {
	if (!cond) {
		throw new Error(message);
	}
}

function serve() {
	return new Promise((resolveURL, reject) => {
		const child = spawn(serveBin, ["-dir", siteDir, "-port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
		child.on("error", reject);
		createInterface({ input: child.stdout }).once("line", (line) => resolveURL({ url: line.trim(), child }));
	});
}

// open loads the site and waits for the first frame; init runs in the page
// before its scripts. It records console errors and warnings, page errors
// and when each request started.
async function open(browser, url, init) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const log = { problems: [], requests: [] };
	page.on("console", (m) => {
		if (/GL Driver Message .*GPU stall due to ReadPixels/.test(m.text())) {
			return; // the driver's note on a read-back (see e2e.mjs)
		}
		if (m.type() === "error" || m.type() === "warning") {
			log.problems.push(`${m.type()}: ${m.text()}`);
		}
	});
	page.on("pageerror", (e) => log.problems.push("page error: " + e));
	page.on("request", (r) => log.requests.push({ name: new URL(r.url()).pathname.split("/").pop(), at: Date.now() }));
	if (init) {
		await page.addInitScript(init);
	}
	await page.goto(url);
	await page.waitForFunction(() => globalThis.vaeLoad && (globalThis.vaeLoad.firstFrame > 0 || globalThis.vaeLoad.phase === "failed"),
		null, { timeout: startTimeout, polling: 100 });
	const load = await page.evaluate(() => globalThis.vaeLoad);
	assert(load.phase !== "failed", "the loader failed: " + load.error);
	await page.waitForFunction(() => globalThis.vae && typeof globalThis.vae.state === "function", null, { timeout: 10_000 });
	log.firstFrameAt = Date.now();
	return { context, page, log };
}

const state = (page) => page.evaluate(() => globalThis.vae.state());
const run = (page, cmd) => page.evaluate((c) => globalThis.vae.do(c), cmd);

function clean(log, what) {
	assert(log.problems.length === 0, `${what}: ${log.problems.slice(0, 5).join(" | ")}`);
}

async function waitForTrainer(page, where, timeout = 60_000) {
	await page.waitForFunction((w) => globalThis.vae.state().trainer === w, where, { timeout, polling: 100 });
}

// fps counts game frames and steps per second over ms of training.
async function fps(page, ms) {
	const a = await state(page);
	const t0 = Date.now();
	await sleep(ms);
	const b = await state(page);
	const secs = (Date.now() - t0) / 1000;
	return { fps: (b.frames - a.frames) / secs, steps: (b.step - a.step) / secs, trainer: b.trainer };
}

// measure reports the frame rate while training at full speed and at the
// "fast" cap (200 steps/s, the same work wherever it runs), and paused.
async function measure(page) {
	await run(page, "reset");
	await run(page, "play");
	await sleep(1000);
	const max = await fps(page, 6000);
	await run(page, "set speed=fast");
	await sleep(1000);
	const fast = await fps(page, 6000);
	await run(page, "set speed=max");
	await run(page, "pause");
	await sleep(500);
	const idle = await fps(page, 4000);
	const where = max.trainer === "worker" ? "in the worker" : "in the frame";
	return `${max.fps.toFixed(1)} frames/s training at full speed (${max.steps.toFixed(0)} steps/s ${where}), ` +
		`${fast.fps.toFixed(1)} at 200 steps/s (${fast.steps.toFixed(0)}), ${idle.fps.toFixed(1)} paused`;
}

// Workers removed: the page must never make one.
const noWorkers = () => {
	Object.defineProperty(globalThis, "Worker", { value: undefined, configurable: true });
};

async function main() {
	mkdirSync(outDir, { recursive: true });
	const server = await serve();
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader"],
	});
	console.log(`worker tests: site ${siteDir} at ${server.url}; ${await browser.version()}`);
	try {
		await workerPage(browser, server.url);
		await failures(browser, server.url);
		await without(browser, server.url);
	} finally {
		await browser.close();
		server.child.kill();
	}
	const failed = results.filter((r) => r.status === "fail");
	writeFileSync(resolve(outDir, "worker-results.json"), JSON.stringify({ results, report }, null, 2));
	console.log(`\n${results.length - failed.length} passed, ${failed.length} failed (${resolve(outDir, "worker-results.json")})`);
	for (const [k, v] of Object.entries(report)) {
		console.log(`${k}: ${v}`);
	}
	process.exitCode = failed.length > 0 ? 1 : 0;
}

async function workerPage(browser, url) {
	let session;
	await check("the worker loads after the first frame and takes the trainer", async () => {
		session = await open(browser, url);
		const { page, log } = session;
		const before = log.requests.filter((r) => r.name.startsWith("worker"));
		await waitForTrainer(page, "worker");
		const s = await state(page);
		const names = log.requests.map((r) => r.name);
		assert(names.includes("worker.js") && names.includes("worker.wasm"), `requests: ${names.join(", ")}`);
		const firstFrame = await page.evaluate(() => globalThis.vaeLoad.firstFrame);
		const started = await page.evaluate(() => performance.getEntriesByType("resource")
			.filter((e) => /\/worker\.js/.test(e.name)).map((e) => e.startTime));
		assert(started.length === 1 && started[0] >= firstFrame, `worker.js started at ${started} ms, first frame at ${firstFrame} ms`);
		assert(s.workerError === "", `worker error: ${s.workerError}`);
		return `worker.js requested ${(started[0] - firstFrame).toFixed(0)} ms after the first frame (${before.length} worker requests seen by then)`;
	});
	if (!session) {
		return;
	}
	const { page, log } = session;

	await check("training runs in the worker: the step counter and the ELBO move", async () => {
		assert(await run(page, "reset") === "ok", "reset refused");
		assert(await run(page, "play") === "ok", "play refused");
		const samples = [];
		const t0 = Date.now();
		while (Date.now() - t0 < 8000) {
			const s = await state(page);
			assert(s.trainer === "worker", `training moved to ${s.trainer}: ${s.message}`);
			if (Number.isFinite(s.elbo)) {
				samples.push({ step: s.step, elbo: s.elbo });
			}
			await sleep(100);
		}
		assert(samples.length >= 10, `only ${samples.length} finite ELBO readings in 8 s`);
		const k = Math.max(3, Math.floor(samples.length / 5));
		const mean = (xs) => xs.reduce((a, b) => a + b.elbo, 0) / xs.length;
		const early = mean(samples.slice(0, k)), late = mean(samples.slice(-k));
		const steps = samples[samples.length - 1].step - samples[0].step;
		assert(steps > 100, `${steps} steps in 8 s`);
		assert(late > early, `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over ${steps} steps`);
		report["worker training"] = `${steps} steps in 8 s; ELBO ${early.toFixed(3)} → ${late.toFixed(3)}`;
		return `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over ${steps} steps`;
	});

	await check("pause and step work through the worker", async () => {
		assert(await run(page, "pause") === "ok", "pause refused");
		await sleep(500);
		const a = await state(page);
		await sleep(1000);
		const b = await state(page);
		assert(!b.playing && b.step === a.step, `paused, yet step ${a.step} → ${b.step}`);
		assert(b.frames > a.frames, "no frames drawn while paused");
		assert(await run(page, "step") === "ok", "step refused");
		await page.waitForFunction((n) => globalThis.vae.state().step !== n, b.step, { timeout: 5000, polling: 50 });
		await sleep(500);
		const c = await state(page);
		assert(c.step === b.step + 1 && !c.playing && c.trainer === "worker", `step ${b.step} → ${c.step}, playing ${c.playing}, ${c.trainer}`);
		return `paused at ${a.step}; one step → ${c.step}`;
	});

	await check("live settings and a rebuild go to the worker", async () => {
		assert(await run(page, "set beta=0.5") === "ok", "set beta refused");
		assert(await run(page, "set width=32") === "ok", "set width refused");
		await run(page, "play");
		await sleep(2000);
		await run(page, "pause");
		const s = await state(page);
		assert(s.trainer === "worker" && s.step > 0 && Number.isFinite(s.elbo), `after a rebuild: ${s.trainer}, step ${s.step}, elbo ${s.elbo}`);
		await run(page, "set width=64");
		await run(page, "set beta=1");
		return `new model trained ${s.step} steps in the worker`;
	});

	await check("frame rate while training, worker (reported)", async () => {
		report["fps, worker"] = await measure(page);
		return report["fps, worker"];
	});

	await check("no console errors or warnings with the worker", async () => clean(log, "worker page"));
	await session.context.close();
}

// trainsOn waits until the page, playing, has taken a step since state a:
// training inline after a fallback. A frame of SwiftShader's takes 100 ms
// or more, and an inline step waits until frames have saved up its cost,
// so this may take a few seconds; 10 s without a step is frozen.
async function trainsOn(page, a) {
	const t0 = Date.now();
	let b = await state(page);
	while (!(b.playing && b.step > a.step && b.frames > a.frames) && Date.now() - t0 < 10_000) {
		await sleep(250);
		b = await state(page);
	}
	assert(b.playing && b.step > a.step && b.frames > a.frames, `frozen after the fallback: step ${a.step} → ${b.step}, frames ${a.frames} → ${b.frames} in 10 s`);
	return b;
}

async function failures(browser, url) {
	await check("a corrupt message from the worker is reported and the page trains on inline", async () => {
		const { context, page, log } = await open(browser, url);
		try {
			await waitForTrainer(page, "worker");
			await run(page, "play");
			await sleep(1000);
			await page.evaluate(() => {
				const junk = new Uint8Array([86, 65, 69, 119, 1, 0, 66, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).buffer;
				globalThis.vae.worker.dispatchEvent(new MessageEvent("message", { data: junk }));
			});
			await waitForTrainer(page, "inline", 5000);
			const a = await state(page);
			assert(/training worker stopped/.test(a.message) && a.workerError.length > 0, `message "${a.message}", error "${a.workerError}"`);
			const b = await trainsOn(page, a);
			clean(log, "corrupt message");
			return `"${a.message}"; ${b.step - a.step} steps inline`;
		} finally {
			await context.close();
		}
	});

	await check("a worker that dies is reported and the page trains on inline", async () => {
		const { context, page, log } = await open(browser, url);
		try {
			await waitForTrainer(page, "worker");
			await run(page, "play");
			await sleep(1000);
			await page.evaluate(() => globalThis.vae.worker.terminate()); // as a crash that posts nothing
			const t0 = Date.now();
			await waitForTrainer(page, "inline", 15_000);
			const detected = Date.now() - t0;
			const a = await state(page);
			assert(/training worker stopped/.test(a.message), `message "${a.message}"`);
			const b = await trainsOn(page, a);
			assert(await run(page, "reset") === "ok" && (await state(page)).trainer === "inline", "a reset went back to the dead worker");
			clean(log, "dead worker");
			return `noticed after ${detected} ms: "${a.message}"`;
		} finally {
			await context.close();
		}
	});

	await check("a worker that crashes (an error event) is reported and the page trains on inline", async () => {
		const { context, page, log } = await open(browser, url);
		try {
			await waitForTrainer(page, "worker");
			await run(page, "play");
			await sleep(500);
			await page.evaluate(() => globalThis.vae.worker.dispatchEvent(new ErrorEvent("error", { message: "RuntimeError: unreachable", cancelable: true })));
			await waitForTrainer(page, "inline", 5000);
			const a = await state(page);
			assert(/unreachable/.test(a.message), `message "${a.message}"`);
			await trainsOn(page, a);
			clean(log, "crashed worker");
			return `"${a.message}"`;
		} finally {
			await context.close();
		}
	});
}

async function without(browser, url) {
	await check("without Web Workers training stays in the frame (frame rate reported)", async () => {
		const { context, page, log } = await open(browser, url, noWorkers);
		try {
			await sleep(3000);
			let s = await state(page);
			assert(s.trainer === "inline" && s.workerStatus === "none", `trainer ${s.trainer}, worker ${s.workerStatus}`);
			assert(!log.requests.some((r) => r.name.startsWith("worker")), "the worker's files were fetched");
			report["fps, inline"] = await measure(page);
			s = await state(page);
			assert(s.step > 10 && s.trainer === "inline", `${s.step} steps, trainer ${s.trainer}`);
			clean(log, "no workers");
			return report["fps, inline"];
		} finally {
			await context.close();
		}
	});
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
