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

// The touch devices of the phone and tablet checks (playwright's touch
// emulation): a phone upright and on its side, and a tablet.
export const devices = {
	phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
	landscape: { viewport: { width: 844, height: 390 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
	tablet: { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

// open loads url in a fresh context with the given device (playwright's
// context options) and waits for the game's first frame and its top bar.
// init, if given, runs in the page before its scripts. problems are the
// page's errors and warnings (watch).
export async function open(browser, url, device, { init } = {}) {
	const context = await browser.newContext(device);
	const page = await context.newPage();
	const problems = watch(page);
	if (init) {
		await page.addInitScript(init);
	}
	await page.goto(url);
	await firstFrame(page);
	await until(page, (s) => s.buttons && s.buttons.play && s.controls && s.controls.play, "the top bar", 30_000);
	return { context, page, problems };
}

// errorsIn are the problems that are errors (not warnings).
export const errorsIn = (problems) => problems.filter((p) => !/^warning/.test(p));

const summary = (s) => s && {
	step: s.step, playing: s.playing, config: s.config, popup: s.popup, decoded: s.decoded, drawn: s.drawn,
	compact: s.compact, controlsOpen: s.controlsOpen, scroll: s.scroll, sheet: s.sheet, message: s.message,
};

// until polls the game's state until pred holds and returns it. The limit
// is generous: a phone's frame at scale 3 in SwiftShader on a loaded
// machine took seconds, and most checks need a few frames.
export async function until(page, pred, what, timeout = 90_000) {
	const t0 = Date.now();
	let s;
	while (Date.now() - t0 < timeout) {
		s = await state(page);
		if (pred(s)) {
			return s;
		}
		await sleep(60);
	}
	throw new Error(`${what}: not within ${timeout} ms (${JSON.stringify(summary(s))})`);
}

// settle waits until the game has taken the input sent so far (its queue
// is empty) and drawn two frames more: frames in SwiftShader under load
// take up to seconds, so a fixed pause read the state too early.
export async function settle(page, timeout = 90_000) {
	const a = await state(page);
	return until(page, (s) => !s.inputPending && s.frames >= a.frames + 2, "the game taking the input", timeout);
}

// canvasBox is the canvas's box in the page (CSS pixels), measured now;
// origin is the same, measured once a page (the canvas does not move, and
// on a loaded machine a bounding box waits seconds for a frame).
const origins = new WeakMap();
export async function canvasBox(page) {
	const box = await page.locator("canvas").first().boundingBox({ timeout: 120_000 });
	assert(box, "no canvas");
	origins.set(page, box);
	return box;
}
export async function origin(page) {
	return origins.get(page) || canvasBox(page);
}

export const centre = (r, fx = 0.5, fy = 0.5) => ({ x: r.x + r.w * fx, y: r.y + r.h * fy });

// line is n+1 points from a to b.
export function line(a, b, n) {
	const out = [];
	for (let i = 0; i <= n; i++) {
		out.push({ x: a.x + (b.x - a.x) * i / n, y: a.y + (b.y - a.y) * i / n });
	}
	return out;
}

// touches sends one finger's touch events through the DevTools protocol,
// paced by the clock as a finger moves, without waiting for the page to
// take each: Chromium answers a touch event only once the page has handled
// it, after a frame, and frames in SwiftShader under load can take seconds,
// so awaiting each one turned a quick tap into a long press and a swipe
// into a rest and a drag. steps are [type, point (CSS pixels of the
// canvas), ms to wait after it]. It returns once the game has taken them
// (settle).
export async function touches(page, steps) {
	const o = await origin(page);
	const cdp = await page.context().newCDPSession(page);
	const sent = [];
	try {
		for (const [type, p, wait] of steps) {
			const touchPoints = type === "touchEnd" ? [] : [{ x: o.x + p.x, y: o.y + p.y, id: 1 }];
			sent.push(cdp.send("Input.dispatchTouchEvent", { type, touchPoints }));
			if (wait) {
				await sleep(wait);
			}
		}
		await Promise.all(sent);
	} finally {
		await cdp.detach();
	}
	await settle(page);
}

// tap touches p (CSS pixels of the canvas) for 50 ms.
export const tap = (page, p) => touches(page, [["touchStart", p, 50], ["touchEnd", p, 0]]);

// touchDrag moves one finger along points (CSS pixels of the canvas),
// stepMs (a frame's time) between moves, after resting hold ms.
export async function touchDrag(page, points, { hold = 0, stepMs = 30 } = {}) {
	const steps = [["touchStart", points[0], hold || stepMs]];
	for (const p of points.slice(1)) {
		steps.push(["touchMove", p, stepMs]);
	}
	steps.push(["touchEnd", points[points.length - 1], 0]);
	await touches(page, steps);
}

// swipe moves one finger from a to b in n moves.
export const swipe = (page, a, b, n = 10) => touchDrag(page, line(a, b, n));

// control is a control's rectangle (CSS pixels of the canvas) by its key
// in vae.state().controls.
export async function control(page, name) {
	const s = await state(page);
	const r = s.controls[name];
	assert(r, `no control ${name} in state().controls: ${Object.keys(s.controls).join(", ")}`);
	return r;
}

// tapButton taps a top bar button (or a menu item) by its key.
export async function tapButton(page, id) {
	const s = await state(page);
	const r = s.buttons[id];
	assert(r && r.h > 0, `no button ${id}: ${Object.keys(s.buttons).join(", ")}`);
	await tap(page, centre(r));
}

// wholeInColumn: r lies whole in the controls column (a row cut by its
// edge is clipped to it, one scrolled out is empty).
export const wholeInColumn = (s, r) => r && r.h > 0 && r.y > s.column.y + 0.5 && r.y + r.h < s.column.y + s.column.h - 0.5;

// controlsPanel opens (true) or closes a phone's Controls panel, which
// lies over the views; a wider screen's column is always there.
export async function controlsPanel(page, open) {
	const s = await state(page);
	if (!s.compact || s.controlsOpen === open) {
		return;
	}
	await tapButton(page, "controls");
	await until(page, (t) => t.controlsOpen === open && (!open || t.column.h > 0), open ? "opening the controls" : "closing the controls");
}

// scrollColumnTo swipes the controls column, as a person looking for a
// control does, until the control is whole in it, and returns its
// rectangle. A control cut by an edge lies that way; one scrolled out of
// sight (an empty rectangle) lies before or after those in sight, as
// vae.state().columnOrder says.
export async function scrollColumnTo(page, key, tries = 12) {
	await controlsPanel(page, true);
	let onward = true; // swipe up: the column's end comes into view
	for (let i = 0; ; i++) {
		const s = await state(page);
		const r = s.controls[key];
		const col = s.column;
		if (wholeInColumn(s, r)) {
			return r;
		}
		if (i === tries) {
			throw new Error(`${key} never scrolled into view: ${JSON.stringify(r)} in the column ${JSON.stringify(col)}, scrolled ${JSON.stringify(s.scroll)}`);
		}
		const order = s.columnOrder || [];
		const at = order.indexOf(key);
		const seen = order.findIndex((k) => s.controls[k] && s.controls[k].h > 0);
		assert(at >= 0, `${key} is not in the column: ${order.join(", ")}`);
		if (r && r.h > 0) {
			onward = r.y + r.h / 2 > col.y + col.h / 2;
		} else if (seen >= 0) {
			onward = at > seen;
		}
		const x = col.x + col.w * 0.3;
		const low = { x, y: col.y + col.h * 0.8 }, high = { x, y: col.y + col.h * 0.25 };
		await swipe(page, onward ? low : high, onward ? high : low, 8);
	}
}

// screenStats measures a screenshot (PNG bytes): its longest run of pure
// black rows as a fraction of the height (a letterbox band), and the
// variance and mean of its grey levels (blank or not, light or dark).
export async function screenStats(page, png) {
	return page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
		const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
		g.drawImage(bitmap, 0, 0);
		const d = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
		let run = 0, longest = 0;
		for (let y = 0; y < bitmap.height; y++) {
			let black = true;
			for (let x = 0; x < bitmap.width && black; x += 3) {
				const i = 4 * (y * bitmap.width + x);
				black = d[i] === 0 && d[i + 1] === 0 && d[i + 2] === 0;
			}
			run = black ? run + 1 : 0;
			longest = Math.max(longest, run);
		}
		let s = 0, s2 = 0, n = 0;
		for (let i = 0; i < d.length; i += 4 * 7) {
			const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
			s += v;
			s2 += v * v;
			n++;
		}
		return { width: bitmap.width, height: bitmap.height, blackRun: longest / bitmap.height, variance: s2 / n - (s / n) ** 2, mean: s / n };
	}, png.toString("base64"));
}
