// What the browser checks share: checks and their report, the server, a
// page opened in Chromium with its problems recorded, and the hooks.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../..");
export const siteDir = process.env.E2E_SITE || resolve(repo, "dist/site");
export const serveBin = process.env.E2E_SERVE || resolve(repo, "dist/bin/serve");
export const outDir = process.env.E2E_OUT || resolve(repo, "dist/e2e");
export const startTimeout = 180_000;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
export const chromiumFlags = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
	"--disable-sync", "--enable-unsafe-swiftshader"];

export function launch() {
	return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

const results = [];

// check runs one named check, at most timeout ms, records how it went and
// says whether it passed.
export async function check(name, fn, { timeout = 240_000 } = {}) {
	const t0 = Date.now();
	let timer;
	try {
		const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeout / 1000} s`)), timeout); });
		const detail = await Promise.race([fn(), limit]);
		results.push({ name, status: "pass", detail: detail || "", ms: Date.now() - t0 });
		console.log(`PASS  ${name}${detail ? " — " + detail : ""}`);
		return true;
	} catch (err) {
		results.push({ name, status: "fail", detail: String(err && err.message || err), ms: Date.now() - t0 });
		console.log(`FAIL  ${name} — ${err && err.message || err}`);
		return false;
	} finally {
		clearTimeout(timer);
	}
}

// finish writes the results to outDir/<file> and sets the exit code.
export function finish(file) {
	mkdirSync(outDir, { recursive: true });
	writeFileSync(resolve(outDir, file), JSON.stringify(results, null, 2));
	const failed = results.filter((r) => r.status !== "pass").length;
	console.log(`${results.length - failed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

export function assert(cond, message) {
	if (!cond) {
		throw new Error(message);
	}
}

// serve starts cmd/serve for dir on a free port of 127.0.0.1.
export function serve(prefix = "/", dir = siteDir) {
	return new Promise((resolveURL, reject) => {
		const child = spawn(serveBin, ["-dir", dir, "-port", "0", "-prefix", prefix], { stdio: ["ignore", "pipe", "inherit"] });
		child.on("error", reject);
		createInterface({ input: child.stdout }).once("line", (line) => resolveURL({ url: line.trim(), child }));
	});
}

// watch records a page's console errors and warnings and its page errors.
export function watch(page) {
	const problems = [];
	page.on("console", (m) => {
		if (/GL Driver Message .*GPU stall due to ReadPixels/.test(m.text())) {
			return; // the driver's note on a read-back (see e2e.mjs)
		}
		if (m.type() === "error" || m.type() === "warning") {
			problems.push(`${m.type()}: ${m.text()}`);
		}
	});
	page.on("pageerror", (e) => problems.push("page error: " + e));
	return problems;
}

// firstFrame waits until the game has drawn its first frame and its hooks
// are there.
export async function firstFrame(page) {
	await page.waitForFunction(() => globalThis.vaeLoad && (globalThis.vaeLoad.firstFrame > 0 || globalThis.vaeLoad.phase === "failed"),
		null, { timeout: startTimeout, polling: 100 });
	const load = await page.evaluate(() => globalThis.vaeLoad);
	assert(load.phase !== "failed", "the loader failed: " + load.error);
	await page.waitForFunction(() => globalThis.vae && typeof globalThis.vae.state === "function", null, { timeout: 10_000 });
}

export const state = (page) => page.evaluate(() => globalThis.vae.state());
export const run = (page, cmd) => page.evaluate((c) => globalThis.vae.do(c), cmd);

// waitFor polls pred (a function run in the page) until it holds.
export async function waitFor(page, pred, arg, timeout = 60_000) {
	try {
		await page.waitForFunction(pred, arg, { timeout, polling: 100 });
	} catch (err) {
		const s = await page.evaluate(() => globalThis.vae && globalThis.vae.state()).catch(() => null);
		throw new Error(`${err.message.split("\n")[0]} waiting for ${pred} (${JSON.stringify(arg)}); state: ${s && JSON.stringify({ step: s.step, savedStep: s.savedStep, trainer: s.trainer, message: s.message })}`);
	}
}
