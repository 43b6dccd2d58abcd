// End-to-end tests of the built site (make site) in Debian's Chromium, driven
// by playwright-core. The site is served by cmd/serve on 127.0.0.1 (a free
// port), at the root and under a sub-path; the game is checked through its
// test hooks: globalThis.vae.state(), vae.do(cmd), vae.loadFile(name, bytes).
//
//   make test-e2e            (builds the site and the server, npm ci, runs this)
//   node e2e.mjs             (with E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM to override paths,
//                             E2E_GROUPS=main,url,subpath,data,loader to run only some)
//
// Every check runs even when an earlier one fails; the summary lists them all
// and the exit status is 1 if any failed. The screenshot and results.json go
// to dist/e2e/.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

// The first load's budget with brotli (issue 11).
const firstLoadBudget = 3.5e6;
// Generous: two shared cores compile an 11 MB module and draw through SwiftShader.
const startTimeout = 180_000;
// No check may hang the run: each fails after this long.
const checkTimeout = 240_000;

const results = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// check runs one named check; a thrown error or a false result fails it.
async function check(name, fn) {
	const t0 = Date.now();
	let timer;
	try {
		const limit = new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeout / 1000} s`)), checkTimeout);
		});
		const detail = await Promise.race([fn(), limit]);
		results.push({ name, status: "pass", detail: detail || "", ms: Date.now() - t0 });
		console.log(`PASS  ${name}${detail ? " — " + detail : ""}`);
	} catch (err) {
		results.push({ name, status: "fail", detail: String(err && err.message || err), ms: Date.now() - t0 });
		console.log(`FAIL  ${name} — ${err && err.message || err}`);
	} finally {
		clearTimeout(timer);
	}
}

function assert(cond, message) {
	if (!cond) {
		throw new Error(message);
	}
}

// serve starts cmd/serve on a free port and resolves to its URL.
function serve(prefix) {
	return new Promise((resolveURL, reject) => {
		const child = spawn(serveBin, ["-dir", siteDir, "-port", "0", "-prefix", prefix], { stdio: ["ignore", "pipe", "inherit"] });
		child.on("error", reject);
		child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
		createInterface({ input: child.stdout }).once("line", (line) => resolveURL({ url: line.trim(), child }));
	});
}

// Recorded in the page before any of its scripts: the progress bar's highest
// fraction, and any dialog a hostile URL might open.
const initScript = () => {
	globalThis.__progressMax = 0;
	new MutationObserver(() => {
		const bar = document.getElementById("loader-progress");
		if (bar && bar.hasAttribute("value") && bar.max > 0) {
			globalThis.__progressMax = Math.max(globalThis.__progressMax, bar.value / bar.max);
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ["value", "max"] });
};

// open loads the site in a fresh context and records what a check needs:
// console errors and warnings, page errors, requests to other origins, failed
// requests and bytes transferred per URL.
async function open(browser, url, { init, waitFirstFrame = true, route } = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const origin = new URL(url).origin;
	const log = { console: [], pageErrors: [], foreign: [], failed: [], dialogs: [], responses: [] };
	page.on("console", (m) => {
		// ANGLE's performance note on a pixel read-back (Chromium stops it
		// after four): Ebitengine reads its images back on WebGL, to restore
		// them after a lost context, and so do the test's screenshots. Even a
		// trivial Ebitengine game gets it on SwiftShader; it is the driver's.
		if (/GL Driver Message .*GPU stall due to ReadPixels/.test(m.text())) {
			return;
		}
		if (m.type() === "error" || m.type() === "warning") {
			log.console.push(`${m.type()}: ${m.text()}`);
		}
	});
	page.on("pageerror", (e) => log.pageErrors.push(String(e)));
	page.on("request", (r) => {
		if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) {
			log.foreign.push(r.url());
		}
	});
	page.on("requestfailed", (r) => log.failed.push(`${r.url()}: ${r.failure() && r.failure().errorText}`));
	page.on("response", (r) => log.responses.push(r));
	page.on("dialog", (d) => {
		log.dialogs.push(d.message());
		d.dismiss().catch(() => {});
	});
	await page.addInitScript(initScript);
	if (init) {
		await page.addInitScript(init);
	}
	if (route) {
		await route(page);
	}
	const t0 = Date.now();
	await page.goto(url);
	if (waitFirstFrame) {
		await page.waitForFunction(
			() => globalThis.vaeLoad && (globalThis.vaeLoad.firstFrame > 0 || globalThis.vaeLoad.phase === "failed"),
			null, { timeout: startTimeout, polling: 100 });
		const load = await page.evaluate(() => globalThis.vaeLoad);
		if (load.phase === "failed") {
			throw new Error("the loader failed: " + load.error);
		}
		await page.waitForFunction(() => globalThis.vae && typeof globalThis.vae.state === "function", null, { timeout: 10_000 });
	}
	return { context, page, log, loadMs: Date.now() - t0 };
}

function clean(log, what) {
	const problems = [...log.console, ...log.pageErrors.map((e) => "page error: " + e), ...log.failed.map((f) => "failed: " + f)];
	assert(problems.length === 0, `${what}: ${problems.slice(0, 5).join(" | ")}`);
	assert(log.foreign.length === 0, `${what}: requests to other origins: ${log.foreign.join(", ")}`);
	assert(log.dialogs.length === 0, `${what}: dialogs opened: ${log.dialogs.join(", ")}`);
}

const state = (page) => page.evaluate(() => globalThis.vae.state());
const run = (page, cmd) => page.evaluate((c) => globalThis.vae.do(c), cmd);

async function waitFor(page, pred, arg, timeout = 10_000) {
	await page.waitForFunction(pred, arg, { timeout, polling: 50 });
}

// canvasBox is the game canvas's box in page pixels.
async function canvasBox(page) {
	const box = await page.locator("canvas").first().boundingBox();
	assert(box, "no canvas on the page");
	return box;
}

// pixelStats decodes a PNG in the page and returns the mean variance of its
// channels: a blank canvas has none.
async function pixelStats(page, png) {
	return page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
		const c = new OffscreenCanvas(bitmap.width, bitmap.height);
		const g = c.getContext("2d");
		g.drawImage(bitmap, 0, 0);
		const d = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
		let variance = 0;
		const colours = new Set();
		for (let ch = 0; ch < 3; ch++) {
			let s = 0, s2 = 0, n = 0;
			for (let i = ch; i < d.length; i += 4 * 7) { // every 7th pixel is plenty
				s += d[i];
				s2 += d[i] * d[i];
				n++;
			}
			variance += s2 / n - (s / n) ** 2;
		}
		for (let i = 0; i < d.length; i += 4 * 13) {
			colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
		}
		return { variance: variance / 3, colours: colours.size, width: bitmap.width, height: bitmap.height };
	}, png.toString("base64"));
}

// measureFPS counts animation frames and game frames in the page over ms.
async function measureFPS(page, ms) {
	return page.evaluate(async (ms) => {
		const s0 = globalThis.vae.state();
		let raf = 0;
		const t0 = performance.now();
		await new Promise((done) => {
			const tick = () => {
				raf++;
				if (performance.now() - t0 < ms) {
					requestAnimationFrame(tick);
				} else {
					done();
				}
			};
			requestAnimationFrame(tick);
		});
		const s1 = globalThis.vae.state();
		const secs = (performance.now() - t0) / 1000;
		return { raf: raf / secs, frames: (s1.frames - s0.frames) / secs, steps: (s1.step - s0.step) / secs, reported: s1.fps };
	}, ms);
}

async function main() {
	mkdirSync(outDir, { recursive: true });
	const root = await serve("/");
	const sub = await serve("/some/path/");
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader"],
	});
	console.log(`site ${siteDir}, served at ${root.url} and ${sub.url}; ${await browser.version()}`);
	const report = {};
	try {
		// E2E_GROUPS=main,url,subpath,data,loader runs only some groups.
		const groups = (process.env.E2E_GROUPS || "main,url,subpath,data,loader").split(",");
		const want = (g) => groups.includes(g);
		if (want("main")) await mainPage(browser, root.url, report);
		if (want("url")) await urlState(browser, root.url);
		if (want("subpath")) await subPath(browser, sub.url);
		if (want("data")) await dataOnDemand(browser, root.url);
		if (want("loader")) await loaderFailures(browser, root.url);
	} finally {
		await browser.close();
		root.child.kill();
		sub.child.kill();
	}
	const failed = results.filter((r) => r.status === "fail");
	writeFileSync(resolve(outDir, "results.json"), JSON.stringify({ results, report }, null, 2));
	console.log(`\n${results.length - failed.length} passed, ${failed.length} failed (${resolve(outDir, "results.json")})`);
	for (const [k, v] of Object.entries(report)) {
		console.log(`${k}: ${v}`);
	}
	process.exitCode = failed.length > 0 ? 1 : 0;
}

async function mainPage(browser, url, report) {
	let session;
	await check("the page loads, the progress bar reaches 100 %, the first frame appears", async () => {
		session = await open(browser, url);
		const { page } = session;
		const load = await page.evaluate(() => globalThis.vaeLoad);
		const progressMax = await page.evaluate(() => globalThis.__progressMax);
		assert(load.total > 0 && load.loaded === load.total, `loaded ${load.loaded} of ${load.total} bytes`);
		assert(progressMax >= 1, `the progress bar reached ${(100 * progressMax).toFixed(1)} %`);
		assert(await page.locator("#loader").count() === 0, "the loader is still on the page after the first frame");
		const s = await state(page);
		assert(s.frames > 0, `frames = ${s.frames}`);
		report["load"] = `${(load.downloaded - load.started).toFixed(0)} ms to download and compile ${load.total} bytes (raw), first frame at ${(load.firstFrame - load.started).toFixed(0)} ms after the loader started; kernel ${load.kernel}`;
		return `${load.total} raw bytes; first frame after ${(load.firstFrame - load.started).toFixed(0)} ms`;
	});
	if (!session) {
		return;
	}
	const { page, log } = session;

	await check("the first load is at most 3.5 MB transferred, with brotli", async () => {
		// The first load is what was asked for before the first frame; what the
		// game fetches afterwards (a training worker, data sets) is not in it.
		const firstFrameWall = await page.evaluate(() => performance.timeOrigin + globalThis.vaeLoad.firstFrame);
		const first = log.responses.filter((r) => r.request().timing().startTime < firstFrameWall);
		const after = log.responses.filter((r) => !first.includes(r)).map((r) => new URL(r.url()).pathname.split("/").pop());
		let transferred = 0;
		const lines = [];
		for (const r of first) {
			const sizes = await r.request().sizes();
			if (r.fromServiceWorker() || sizes.responseBodySize < 0 || r.status() === 304) {
				continue; // served from the memory cache: nothing transferred
			}
			transferred += sizes.responseBodySize + sizes.responseHeadersSize;
			const enc = (await r.allHeaders())["content-encoding"] || "identity";
			lines.push(`${new URL(r.url()).pathname.split("/").pop() || "index"} ${sizes.responseBodySize} (${enc})`);
		}
		const data = first.filter((r) => new URL(r.url()).pathname.includes("/data/"));
		assert(data.length === 0, `data sets fetched in the first load: ${data.map((r) => r.url())}`);
		const wasm = first.find((r) => new URL(r.url()).pathname.endsWith("/playground.wasm"));
		assert(wasm, "playground.wasm was not fetched");
		assert((await wasm.allHeaders())["content-encoding"] === "br", "playground.wasm did not come with brotli");
		assert((await wasm.allHeaders())["content-type"] === "application/wasm", "playground.wasm is not application/wasm");
		report["first load transferred"] = `${transferred} bytes: ${lines.join(", ")}; fetched after the first frame: ${after.join(", ") || "nothing"}`;
		assert(transferred <= firstLoadBudget, `${transferred} bytes > ${firstLoadBudget}`);
		return `${(transferred / 1e6).toFixed(2)} MB`;
	});

	await check("the SIMD kernel is wired (Chromium has WebAssembly SIMD)", async () => {
		const kernel = await page.evaluate(() => globalThis.vaeLoad.kernel);
		assert(kernel === "wasm-simd", `kernel ${kernel}`);
	});

	await check("the canvas is not blank (pixel variance); screenshot saved", async () => {
		await sleep(1500); // let a few views fill in
		const box = await canvasBox(page);
		assert(box.width >= 1000 && box.height >= 600, `the canvas is ${box.width}×${box.height}, not the window`);
		const png = await page.screenshot({ clip: box });
		const file = resolve(outDir, "playground.png");
		writeFileSync(file, png);
		const stats = await pixelStats(page, png);
		assert(stats.variance > 25 && stats.colours > 16, `variance ${stats.variance.toFixed(1)}, ${stats.colours} colours`);
		return `variance ${stats.variance.toFixed(0)}, ${stats.colours} colours sampled, ${file}`;
	});

	await check("training runs: the ELBO improves over a few seconds", async () => {
		assert(await run(page, "reset") === "ok", "reset refused");
		assert(await run(page, "play") === "ok", "play refused");
		const samples = [];
		const t0 = Date.now();
		while (Date.now() - t0 < 8000) {
			const s = await state(page);
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
		assert(late > early, `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over ${steps} steps`);
		report["training"] = `${steps} steps in 8 s; ELBO ${early.toFixed(3)} → ${late.toFixed(3)}`;
		return `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over ${steps} steps`;
	});

	await check("pause stops the step counter", async () => {
		assert(await run(page, "pause") === "ok", "pause refused");
		await sleep(300);
		const a = await state(page);
		assert(a.playing === false, "still playing after pause");
		await sleep(1000);
		const b = await state(page);
		assert(b.step === a.step, `step moved from ${a.step} to ${b.step} while paused`);
		assert(b.frames > a.frames, "no frames drawn while paused");
		return `step stays ${a.step}`;
	});

	await check("step advances the counter by exactly one", async () => {
		const a = await state(page);
		assert(await run(page, "step") === "ok", "step refused");
		await sleep(500);
		const b = await state(page);
		assert(b.step === a.step + 1, `step ${a.step} → ${b.step}`);
		assert(b.playing === false, "step started playing");
	});

	await check("a click in the latent view changes the decoded view", async () => {
		const s = await state(page);
		const latent = s.views && s.views.latent;
		assert(latent && latent.w > 0 && latent.h > 0, `no latent view in state().views: ${JSON.stringify(s.views)}`);
		const box = await canvasBox(page);
		const at = async (fx, fy) => {
			const x = box.x + latent.x + latent.w * fx, y = box.y + latent.y + latent.h * fy;
			await page.mouse.move(x, y);
			await page.mouse.down();
			await sleep(80); // a press held over a frame, as a hand does
			await page.mouse.up();
			await sleep(400);
			return (await state(page)).decoded;
		};
		const before = s.decoded;
		const first = await at(0.3, 0.35);
		assert(Array.isArray(first) && first.length === 2, `decoded after a click: ${JSON.stringify(first)}`);
		assert(JSON.stringify(first) !== JSON.stringify(before), "decoded did not change");
		const second = await at(0.7, 0.65);
		assert(JSON.stringify(second) !== JSON.stringify(first), `a second click elsewhere left decoded at ${JSON.stringify(first)}`);
		return `${JSON.stringify(before)} → ${JSON.stringify(first)} → ${JSON.stringify(second)}`;
	});

	await check("keyboard shortcuts: space toggles play, '.' steps, 'r' resets", async () => {
		const key = async (k) => {
			await page.keyboard.down(k);
			await sleep(80);
			await page.keyboard.up(k);
			await sleep(300);
		};
		await page.locator("canvas").first().focus();
		await run(page, "pause");
		await sleep(200);
		const a = await state(page);
		await key(" ");
		const b = await state(page);
		assert(b.playing === true, "space did not start training");
		await key(" ");
		const c = await state(page);
		assert(c.playing === false, "space did not pause training");
		await sleep(200);
		const c2 = await state(page);
		await key(".");
		const d = await state(page);
		assert(d.step === c2.step + 1, `'.' moved step ${c2.step} → ${d.step}`);
		await key("r");
		const e = await state(page);
		assert(e.step === 0, `'r' left step at ${e.step}`);
		return `play ${a.playing}→${b.playing}→${c.playing}, step ${c2.step}→${d.step}, reset → ${e.step}`;
	});

	await check("a corrupt checkpoint gives a message and training continues", async () => {
		await run(page, "play");
		await sleep(300);
		const a = await state(page);
		const junk = [];
		for (let i = 0; i < 4096; i++) {
			junk.push((i * 2654435761 + 12345) >>> 24);
		}
		const results = await page.evaluate((bytes) => [
			globalThis.vae.loadFile("model.vae", new Uint8Array(bytes)),
			globalThis.vae.loadFile("truncated.vae", new Uint8Array(bytes.slice(0, 7))),
			globalThis.vae.loadFile("empty.vae", new Uint8Array(0)),
			globalThis.vae.loadFile("points.csv", new TextEncoder().encode("x,y\n1,2\n3,NaN\n")),
		], junk);
		for (const r of results) {
			assert(typeof r === "string" && r !== "ok" && r.length > 0, `loadFile answered ${JSON.stringify(r)}`);
		}
		await sleep(1000);
		const b = await state(page);
		assert(typeof b.message === "string" && b.message.length > 0, "no message shown");
		assert(b.playing && b.step > a.step, `training stopped: step ${a.step} → ${b.step}, playing ${b.playing}`);
		assert(b.config === a.config, `the settings changed: ${a.config} → ${b.config}`);
		return `"${results[0]}"; message "${b.message}"`;
	});

	await check("the frame rate while training the default model (reported, not asserted)", async () => {
		await run(page, "reset");
		await run(page, "play");
		await sleep(500);
		const f = await measureFPS(page, 5000);
		report["fps while training"] = `${f.raf.toFixed(1)} animation frames/s, ${f.frames.toFixed(1)} game frames/s, ${f.steps.toFixed(0)} steps/s; the game reports ${Number(f.reported).toFixed(1)} FPS`;
		return report["fps while training"];
	});

	// drop drags a file onto the latent view as a user does: a DragEvent made
	// in the page carries no file entries, and Ebitengine reads drops through
	// DataTransferItem.webkitGetAsEntry; a drag sent through the DevTools
	// protocol is a real one.
	const drop = async (name, bytes) => {
		const file = resolve(outDir, name);
		writeFileSync(file, bytes);
		const s = await state(page);
		const box = await canvasBox(page);
		const latent = s.views && s.views.latent;
		const x = box.x + (latent ? latent.x + latent.w / 2 : box.width / 2);
		const y = box.y + (latent ? latent.y + latent.h / 2 : box.height / 2);
		const cdp = await page.context().newCDPSession(page);
		const data = { items: [], files: [file], dragOperationsMask: 1 };
		for (const type of ["dragEnter", "dragOver", "drop"]) {
			await cdp.send("Input.dispatchDragEvent", { type, x, y, data });
		}
		await cdp.detach();
	};

	await check("a corrupt checkpoint dropped on the canvas gives a message and training continues", async () => {
		await run(page, "play");
		const a = await state(page);
		await drop("dropped-corrupt.vae", Buffer.from("VAE? this is not a checkpoint " + "x".repeat(200)));
		await sleep(3000); // the hooks stay untouched while the file is read, as a user leaves them
		const b = await state(page);
		assert(b.message && b.message !== a.message && b.message.includes("dropped-corrupt.vae"), `message ${JSON.stringify(a.message)} → ${JSON.stringify(b.message)}`);
		assert(b.playing && b.step > a.step, `training stopped: step ${a.step} → ${b.step}`);
		assert(b.config === a.config, `the settings changed: ${a.config} → ${b.config}`);
		return `"${b.message}"`;
	});

	await check("Save for PyTorch downloads a safetensors model that loads back when dropped", async () => {
		await run(page, "pause");
		const a = await state(page);
		const button = a.buttons && a.buttons.torch;
		assert(button && button.w > 0, `no Save for PyTorch button in ${JSON.stringify(a.buttons)}`);
		const box = await canvasBox(page);
		// Each part of the click is held until the game has drawn two frames
		// (a slow page may run no Update between a quick press and release).
		const frames = async () => (await state(page)).frames;
		const afterFrames = async () => {
			const f0 = await frames();
			for (let i = 0; i < 200 && (await frames()) < f0 + 2; i++) {
				await sleep(50);
			}
		};
		await page.mouse.move(box.x + button.x + button.w / 2, box.y + button.y + button.h / 2);
		await afterFrames();
		const [download] = await Promise.all([
			page.waitForEvent("download", { timeout: 60_000 }), // the button acts on the press
			(async () => {
				await page.mouse.down();
				await afterFrames();
				await page.mouse.up();
			})(),
		]);
		const name = download.suggestedFilename();
		assert(/^vae-step\d+\.safetensors$/.test(name), `downloaded ${name}`);
		const bytes = readFileSync(await download.path());
		const n = Number(bytes.readBigUInt64LE(0));
		assert(n > 0 && n < bytes.length && n % 8 === 0, `header length ${n} of ${bytes.length} bytes`);
		const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
		const meta = header.__metadata__ || {};
		assert(meta.vae_playground === "1" && JSON.parse(meta.config).data_dim === 2, `metadata ${JSON.stringify(meta)}`);
		const w = header["encoder.layers.0.weight"];
		assert(w && w.dtype === "F64" && w.shape[1] === 2, `encoder.layers.0.weight ${JSON.stringify(w)}`);
		await drop(name, bytes);
		await sleep(3000);
		const b = await state(page);
		assert(b.message && b.message.includes("loaded " + name), `message after the drop: ${JSON.stringify(b.message)}`);
		return `${name}, ${bytes.length} bytes, ${Object.keys(header).length - 1} tensors; "${b.message}"`;
	});

	// Last on this page, because a failure leaves the page hung.
	await check("the test hooks answer while a dropped file is being read", async () => {
		let answered = 0;
		let stop = false;
		let stuck = "";
		const poll = (async () => {
			while (!stop) {
				const r = await Promise.race([
					page.evaluate(() => globalThis.vae.state().step),
					sleep(10_000).then(() => "timeout"),
				]).catch((err) => String(err));
				if (r === "timeout") {
					stuck = "vae.state() gave no answer for 10 s";
					return;
				}
				answered++;
			}
		})();
		// Chromium acknowledges a drop only once the page has handled it, so
		// a hung page leaves this unanswered too.
		await Promise.race([drop("dropped-while-polled.vae", Buffer.from("not a checkpoint either " + "y".repeat(300))), sleep(15_000)]);
		await sleep(4000);
		stop = true;
		await poll;
		assert(!stuck, `${stuck} after the drop: the page hangs. (A JS call into Go that waits for the game's lock while the game, holding it, waits for the browser's File API to read the dropped file cannot end: the browser runs no event until the JS call returns.)`);
		return `${answered} answers during the drop`;
	});

	await check("no console errors or warnings, no requests to other origins", async () => clean(log, "main page"));
	await session.context.close();
}

// hashConfig returns the config string's keys and values in order.
function hashPairs(config) {
	return [...new URLSearchParams(config.replace(/^#/, ""))];
}

async function urlState(browser, url) {
	let defaults = "";
	let changed = "";
	await check("settings changed on the page are written to the URL hash", async () => {
		const { context, page, log } = await open(browser, url);
		try {
			const s = await state(page);
			defaults = s.config;
			assert(typeof defaults === "string" && defaults.length > 0, `config ${JSON.stringify(defaults)}`);
			const hash = await page.evaluate(() => location.hash);
			assert(hash.replace(/^#/, "") === defaults.replace(/^#/, ""), `location.hash ${hash} is not the config ${defaults}`);
			// Change a setting the game accepts: a numeric one of the hash
			// (which may list only what differs from the defaults), else the
			// seed or the learning rate.
			const pairs = hashPairs(defaults).filter(([, v]) => v !== "" && Number.isFinite(Number(v)));
			const order = [...pairs.map(([k, v]) => {
				const n = Number(v);
				return [k, Number.isInteger(n) ? String(n + 1) : String(n * 2)];
			}), ["seed", "7"], ["lr", "0.01"]];
			const tried = [];
			for (const [k, next] of order) {
				const answer = await run(page, `set ${k}=${next}`);
				tried.push(`${k}=${next}: ${answer}`);
				if (answer !== "ok") {
					continue;
				}
				await sleep(300);
				const after = await state(page);
				if (after.config !== defaults) {
					changed = after.config;
					break;
				}
			}
			assert(changed, `no setting could be changed (${tried.join("; ")})`);
			const newHash = await page.evaluate(() => location.hash);
			assert(newHash.replace(/^#/, "") === changed.replace(/^#/, ""), `location.hash ${newHash} after set, config ${changed}`);
			assert(await run(page, "copy-link") === "ok", "copy-link refused");
			clean(log, "settings page");
			return `${defaults} → ${changed}`;
		} finally {
			await context.close();
		}
	});

	await check("a URL with a configuration opens that configuration", async () => {
		assert(changed, "no changed configuration to open (the previous check failed)");
		const { context, page, log } = await open(browser, url + "#" + changed.replace(/^#/, ""));
		try {
			const s = await state(page);
			assert(s.config === changed, `opened ${s.config}, want ${changed}`);
			assert(Array.isArray(s.notes) && s.notes.length === 0, `notes: ${JSON.stringify(s.notes)}`);
			clean(log, "configured page");
			return s.config;
		} finally {
			await context.close();
		}
	});

	await check("the same link reproduces the run (seeded): equal ELBO after the same steps", async () => {
		assert(changed, "no configuration to open (an earlier check failed)");
		const elbos = [];
		for (let i = 0; i < 2; i++) {
			const { context, page, log } = await open(browser, url + "#" + changed.replace(/^#/, ""));
			try {
				await run(page, "pause");
				assert(await run(page, "reset") === "ok", "reset refused");
				await waitFor(page, () => globalThis.vae.state().step === 0, null);
				for (let k = 1; k <= 10; k++) {
					assert(await run(page, "step") === "ok", "step refused");
					await waitFor(page, (n) => globalThis.vae.state().step === n, k);
				}
				elbos.push((await state(page)).elbo);
				clean(log, "reproduced run");
			} finally {
				await context.close();
			}
		}
		assert(Number.isFinite(elbos[0]) && elbos[0] === elbos[1], `ELBO after 10 steps: ${elbos[0]} and ${elbos[1]}`);
		return `ELBO ${elbos[0]} both times`;
	});

	await check("a URL with hostile values opens defaults with notes and no error", async () => {
		assert(defaults, "no default configuration known (an earlier check failed)");
		const hostile = ["NaN", "1e308", "99999999999999999999", "-Infinity", "<script>window.__xss=1</script>", "\"><img src=x onerror=window.__xss=1>", "%00", ""];
		const pairs = hashPairs(defaults).map(([k], i) => [k, hostile[i % hostile.length]]);
		pairs.push(["<script>window.__xss=1</script>", "1"], ["nonsense", "2"], ["width", "99999999"], ["batch", "1e12"],
			["seed", "NaN"], ["lr", "Infinity"], ["latent", "-7"]);
		const hash = pairs.map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
		const { context, page, log } = await open(browser, url + "#" + hash);
		try {
			const s = await state(page);
			assert(Array.isArray(s.notes) && s.notes.length > 0, "no note says what fell back");
			assert(!/[<>"]|NaN|Infinity|script/i.test(s.config), `the config carries hostile text: ${s.config}`);
			// Values that are not numbers at all fall back to their defaults.
			const got = new Map(hashPairs(s.config));
			for (const [k, v] of hashPairs(defaults)) {
				const given = pairs.find(([pk]) => pk === k);
				if (given && /^(NaN|-Infinity|<|"|%00)/.test(given[1]) && got.has(k)) {
					assert(got.get(k) === v, `${k}=${given[1]} opened as ${got.get(k)}, not the default ${v}`);
				}
			}
			const xss = await page.evaluate(() => globalThis.__xss);
			assert(xss === undefined, "the URL's script ran");
			const injected = await page.evaluate(() => document.body.innerHTML.includes("__xss"));
			assert(!injected, "the URL's text reached the page's HTML");
			await sleep(500);
			clean(log, "hostile URL");
			return `${s.notes.length} notes, e.g. ${JSON.stringify(s.notes.slice(0, 3))}; config ${s.config}`;
		} finally {
			await context.close();
		}
	});
}

// dataOnDemand: a packed data set comes from data/ when a set needs it.
async function dataOnDemand(browser, url) {
	// (The default page fetches no data set: the first-load check says so.)
	await check("MNIST comes from data/ when the URL picks it, and trains", async () => {
		const { context, page, log } = await open(browser, url + "#data=mnist&d.n=2000");
		try {
			await waitFor(page, () => {
				const s = globalThis.vae.state();
				return s.dataset === "mnist" && s.points > 0;
			}, null, 120_000);
			const vpk = log.responses.filter((r) => new URL(r.url()).pathname.endsWith("/data/mnist.vpk"));
			assert(vpk.length === 1 && vpk[0].status() === 200, `data/mnist.vpk responses: ${vpk.map((r) => r.status())}`);
			await run(page, "play");
			const a = await state(page);
			await sleep(3000);
			const b = await state(page);
			assert(b.step > a.step, `no training on MNIST: step ${a.step} → ${b.step}`);
			clean(log, "MNIST");
			return `${b.points} images; ${b.step - a.step} steps in 3 s`;
		} finally {
			await context.close();
		}
	});
}

async function subPath(browser, url) {
	await check("the site works from a sub-path (" + new URL(url).pathname + ")", async () => {
		const { context, page, log } = await open(browser, url);
		try {
			const paths = log.responses.map((r) => new URL(r.url()).pathname);
			assert(paths.every((p) => p.startsWith(new URL(url).pathname)), `requests outside the sub-path: ${paths.filter((p) => !p.startsWith(new URL(url).pathname))}`);
			assert(log.responses.every((r) => r.status() < 400), `errors: ${log.responses.filter((r) => r.status() >= 400).map((r) => r.url() + " " + r.status())}`);
			await run(page, "play");
			const a = await state(page);
			await sleep(1500);
			const b = await state(page);
			assert(b.step > a.step, `no training under the sub-path: step ${a.step} → ${b.step}`);
			clean(log, "sub-path");
			return `${paths.length} requests, all under the sub-path`;
		} finally {
			await context.close();
		}
	});
}

// loaderFailures: what the loader says when the browser lacks a piece.
async function loaderFailures(browser, url) {
	const message = async (page) => {
		await page.waitForFunction(() => globalThis.vaeLoad && globalThis.vaeLoad.phase === "failed", null, { timeout: 30_000 });
		const text = await page.locator("#loader-error-text").textContent();
		assert(await page.locator("#loader-error-text").isVisible(), "the message is not visible");
		return text;
	};
	await check("without WebGL 2 the loader says so instead of a blank page", async () => {
		const { context, page } = await open(browser, url, {
			waitFirstFrame: false,
			init: () => {
				const getContext = HTMLCanvasElement.prototype.getContext;
				HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
					return kind === "webgl2" ? null : getContext.call(this, kind, ...rest);
				};
			},
		});
		try {
			const text = await message(page);
			assert(/WebGL 2/.test(text), `message: ${text}`);
			return text;
		} finally {
			await context.close();
		}
	});

	await check("the loader's colours follow the system's scheme, and theme= in the link overrides it", async () => {
		const seen = [];
		for (const [scheme, hash, want] of [["light", "", "rgb(255, 255, 255)"], ["dark", "", "rgb(16, 19, 26)"],
			["dark", "#theme=light", "rgb(255, 255, 255)"], ["light", "#theme=dark", "rgb(16, 19, 26)"]]) {
			const context = await browser.newContext({ viewport: { width: 800, height: 600 }, colorScheme: scheme });
			try {
				const page = await context.newPage();
				await page.goto(url + hash, { waitUntil: "domcontentloaded" });
				const got = await page.evaluate(() => {
					const el = document.getElementById("loader") || document.body;
					return getComputedStyle(el).backgroundColor;
				});
				assert(got === want, `a ${scheme} system with "${hash}": the loader's background ${got}, want ${want}`);
				seen.push(`${scheme}${hash}: ${got}`);
			} finally {
				await context.close();
			}
		}
		return seen.join("; ");
	});

	await check("a failed download gives a message instead of a blank page", async () => {
		const { context, page } = await open(browser, url, {
			waitFirstFrame: false,
			route: (p) => p.route("**/playground.wasm*", (r) => r.fulfill({ status: 503, body: "down" })),
		});
		try {
			const text = await message(page);
			assert(/playground\.wasm/.test(text) && /503/.test(text), `message: ${text}`);
			assert(await page.locator("#loader-reload").isVisible(), "no reload button");
			return text;
		} finally {
			await context.close();
		}
	});

	await check("without WebAssembly SIMD the kernel stays off quietly and the playground runs", async () => {
		const { context, page, log } = await open(browser, url, {
			init: () => {
				// The loader's probe is the only module this small; everything
				// else validates as before.
				const validate = WebAssembly.validate;
				WebAssembly.validate = (bytes) => (bytes.byteLength < 64 ? false : validate(bytes));
			},
		});
		try {
			const load = await page.evaluate(() => globalThis.vaeLoad);
			assert(load.kernel === "off", `kernel ${load.kernel}`);
			assert(!log.responses.some((r) => r.url().includes("vaegemm.wasm")), "the kernel was fetched anyway");
			await run(page, "play");
			const a = await state(page);
			await sleep(1500);
			const b = await state(page);
			assert(b.step > a.step, `no training on gonum: step ${a.step} → ${b.step}`);
			clean(log, "no SIMD");
			return `${b.step - a.step} steps in 1.5 s on gonum`;
		} finally {
			await context.close();
		}
	});
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
