// End-to-end checks of the phone and tablet layouts in Chromium (issue
// 19), with playwright's touch emulation: the layout is chosen by CSS size
// (a phone gets the compact one at its own device scale, so that text keeps
// its size), a tap plays, the More menu opens and its items work, the
// Controls panel opens over the views and a setting changed there reaches
// the link, the views scroll under a swipe, rotating lays out anew at once,
// rows are 44 CSS pixels for a finger; and a keyboard's focus ring.
//
//   node portrait.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as in e2e.mjs;
//                        E2E_PORTRAIT=phone,landscape,tablet,keyboard to run only some)
//
// Screenshots go to E2E_OUT (dist/e2e): portrait-phone.png,
// portrait-phone-controls.png, portrait-phone-rotated.png,
// portrait-landscape.png, portrait-tablet.png, portrait-keyboard.png (the
// README's pictures of the same layouts are drawn natively:
// TestDocsScreenshots).
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { assert, check, finish, firstFrame, launch, outDir, run, serve, siteDir, sleep, state, watch } from "./harness.mjs";

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const landscape = { viewport: { width: 844, height: 390 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const tablet = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function open(browser, url, device) {
	const context = await browser.newContext(device);
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url);
	await firstFrame(page);
	await until(page, (s) => s.buttons && s.buttons.play, "the top bar", 20_000);
	return { context, page, problems };
}

async function until(page, pred, what, timeout = 60_000) {
	const t0 = Date.now();
	let s;
	while (Date.now() - t0 < timeout) {
		s = await state(page);
		if (pred(s)) {
			return s;
		}
		await sleep(60);
	}
	throw new Error(`${what}: not within ${timeout} ms (step ${s && s.step}, playing ${s && s.playing}, config ${s && s.config}, compact ${s && s.compact}, controls ${s && s.controlsOpen}, sheet ${s && JSON.stringify(s.sheet)})`);
}

// rowsIn are the column's rows whole in it (a row cut by its edge is
// clipped), by key.
const rowsIn = (s) => Object.entries(s.controls).filter(([k, r]) => !s.buttons[k] && r.h > 0 &&
	r.y > s.column.y + 0.5 && r.y + r.h < s.column.y + s.column.h - 0.5);

const centre = (r, fx = 0.5, fy = 0.5) => ({ x: r.x + r.w * fx, y: r.y + r.h * fy });

// origin is the canvas's top-left in the page, asked once a page: the
// canvas does not move, and on a loaded machine a bounding box waits
// seconds for a frame.
const origins = new WeakMap();
async function origin(page) {
	if (!origins.has(page)) {
		const box = await page.locator("canvas").first().boundingBox({ timeout: 120_000 });
		assert(box, "no canvas");
		origins.set(page, box);
	}
	return origins.get(page);
}

// touches sends one finger's touch events through the DevTools protocol,
// paced by the clock as a finger moves, without waiting for the page to
// take each (as touch.mjs does: Chromium answers a touch event after the
// page's next frame, seconds in SwiftShader under load, and awaiting each
// turned a tap into a long press). steps are [type, point, ms after it].
async function touches(page, steps) {
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

// settle waits until the game has taken the input sent so far and drawn
// two frames more.
async function settle(page) {
	const a = await state(page);
	await until(page, (s) => !s.inputPending && s.frames >= a.frames + 2, "the game taking the input");
}

// tap touches p (CSS pixels of the canvas) for 50 ms.
const tap = (page, p) => touches(page, [["touchStart", p, 50], ["touchEnd", p, 0]]);

async function tapButton(page, id) {
	const s = await state(page);
	const r = s.buttons[id];
	assert(r && r.h > 0, `no button ${id}: ${Object.keys(s.buttons).join(", ")}`);
	await tap(page, centre(r));
}

// swipe moves one finger from a to b, a frame's time between moves.
async function swipe(page, a, b, n = 10) {
	const steps = [["touchStart", a, 30]];
	for (let i = 1; i <= n; i++) {
		steps.push(["touchMove", { x: a.x + (b.x - a.x) * i / n, y: a.y + (b.y - a.y) * i / n }, 30]);
	}
	steps.push(["touchEnd", b, 0]);
	await touches(page, steps);
}

// screenshot saves the page as E2E_OUT/portrait-<name>.png and measures
// its longest run of pure black rows (a letterbox band) and its variance
// (blank or not).
async function screenshot(page, name) {
	await sleep(600);
	const png = await page.screenshot();
	writeFileSync(resolve(outDir, `portrait-${name}.png`), png);
	return page.evaluate(async (b64) => {
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
		const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
		g.drawImage(bitmap, 0, 0);
		const d = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
		let runRows = 0, longest = 0, s = 0, s2 = 0, n = 0;
		for (let y = 0; y < bitmap.height; y++) {
			let black = true;
			for (let x = 0; x < bitmap.width && black; x += 3) {
				const i = 4 * (y * bitmap.width + x);
				black = d[i] === 0 && d[i + 1] === 0 && d[i + 2] === 0;
			}
			runRows = black ? runRows + 1 : 0;
			longest = Math.max(longest, runRows);
		}
		for (let i = 0; i < d.length; i += 4 * 7) {
			const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
			s += v;
			s2 += v * v;
			n++;
		}
		return { blackRun: longest / bitmap.height, variance: s2 / n - (s / n) ** 2 };
	}, png.toString("base64"));
}

// laidOut checks the layout against the device: the canvas fills the
// viewport, the frame is the viewport at the device's own scale (no
// shrinking), compact or not as the CSS size says, no black band, not blank.
async function laidOut(page, name, compact) {
	const vp = page.viewportSize();
	const box = await page.locator("canvas").first().boundingBox({ timeout: 120_000 });
	origins.set(page, box);
	assert(Math.abs(box.width - vp.width) <= 1 && Math.abs(box.height - vp.height) <= 1, `canvas ${box.width}×${box.height} in ${vp.width}×${vp.height}`);
	const s = await until(page, (t) => t.compact === compact && t.frame.w === Math.round(vp.width * t.frame.deviceScale), `the ${compact ? "compact" : "wide"} layout`);
	assert(s.frame.layoutScale === s.frame.deviceScale, `laid out at ${s.frame.layoutScale} on a ${s.frame.deviceScale} screen: shrunk`);
	const shot = await screenshot(page, name);
	assert(shot.blackRun <= 0.02, `a black band of ${(100 * shot.blackRun).toFixed(1)} % of the rows`);
	assert(shot.variance > 25, `blank: variance ${shot.variance.toFixed(1)}`);
	return `frame ${s.frame.w}×${s.frame.h} at scale ${s.frame.layoutScale}, compact ${s.compact}, longest black run ${(100 * shot.blackRun).toFixed(1)} %`;
}

async function device(browser, url, name, dev, { compact, rotate }) {
	let session;
	await check(`${name}: the page opens`, async () => {
		session = await open(browser, url, dev);
		return `${dev.viewport.width}×${dev.viewport.height} at scale ${dev.deviceScaleFactor}`;
	});
	if (!session) {
		return;
	}
	const { context, page, problems } = session;
	try {
		await check(`${name}: laid out by CSS size, filling the screen`, () => laidOut(page, name, compact));

		await check(`${name}: a tap on Play trains, another pauses; the bar's buttons are 44 px high for a finger`, async () => {
			await run(page, "pause");
			await tapButton(page, "play");
			await until(page, (s) => s.playing && s.touch, "a tap on Play");
			await tapButton(page, "play");
			const s = await until(page, (t) => !t.playing && t.layoutTouch, "a second tap on Play");
			const low = Object.entries(s.buttons).filter(([, r]) => r.h < 44 - 0.5).map(([k, r]) => `${k} ${r.h}`);
			assert(low.length === 0, `buttons lower than 44 px: ${low.join(", ")}`);
			return `step ${s.step}; bar buttons ${Object.keys(s.buttons).join(", ")}`;
		});

		if (compact) {
			await check(`${name}: the More menu opens and its Help item opens the help`, async () => {
				await tapButton(page, "menu");
				const s = await until(page, (t) => t.buttons.help && t.buttons.link && t.buttons.torch, "the menu's items");
				const rows = ["compare", "help", "link", "png", "save", "torch"].filter((k) => s.buttons[k]);
				for (const k of rows) {
					const r = s.buttons[k];
					assert(r.y + r.h <= page.viewportSize().height + 0.5, `menu item ${k} below the screen (${JSON.stringify(r)})`);
				}
				await tapButton(page, "help");
				await until(page, (t) => t.help && !t.buttons.link, "the help from the menu");
				await screenshot(page, `${name}-help`);
				await tap(page, { x: 20, y: page.viewportSize().height / 2 });
				await until(page, (t) => !t.help, "a tap closing the help");
				return `items ${rows.join(", ")}`;
			});

			await check(`${name}: Controls opens the settings over the views; a tap on a toggle changes the link`, async () => {
				await tapButton(page, "controls");
				const s = await until(page, (t) => t.controlsOpen && t.column.h > 0 && t.controls.data && t.controls.data.h > 0, "the controls panel");
				const low = rowsIn(s).filter(([, r]) => r.h < 44 - 0.5).map(([k, r]) => `${k} ${r.h}`);
				assert(low.length === 0, `rows lower than 44 px: ${low.join(", ")}`);
				// Swipe the panel until the Bayesian decoder's toggle is whole in it.
				let r;
				for (let i = 0; i < 12; i++) {
					const t = await state(page);
					r = t.controls.bayes;
					if (r && r.h > 0 && r.y > t.column.y && r.y + r.h < t.column.y + t.column.h) {
						break;
					}
					const x = t.column.x + t.column.w * 0.3, h = t.column.y + t.column.h;
					await swipe(page, { x, y: h * 0.8 }, { x, y: h * 0.45 });
					await sleep(250);
				}
				assert(r && r.h > 0, "the bayes toggle never came into the panel");
				const a = await state(page);
				await tap(page, centre(r, 0.95));
				const b = await until(page, (t) => t.config !== a.config, "the toggle");
				await page.waitForFunction((c) => location.hash === "#" + c, b.config, { timeout: 5000 });
				await screenshot(page, `${name}-controls`);
				await tap(page, centre(r, 0.95));
				await until(page, (t) => !/bayes=(1|on|true)/.test(t.config), "the toggle back");
				await tapButton(page, "controls");
				await until(page, (t) => !t.controlsOpen && t.column.h === 0, "closing the panel");
				return `${a.config.slice(0, 40)}… → bayes on, the hash followed`;
			});

			await check(`${name}: a swipe scrolls the views`, async () => {
				const s = await state(page);
				assert(s.sheet.max > 0, `nothing to scroll: ${JSON.stringify(s.sheet)}`);
				const v = s.sheet.view;
				const x = v.x + v.w * 0.5;
				await swipe(page, { x, y: v.y + v.h * 0.8 }, { x, y: v.y + v.h * 0.3 });
				const t = await until(page, (u) => u.sheet.offset > s.sheet.offset, "the sheet scrolled");
				assert(Math.abs((s.views.latent.y - t.views.latent.y) - (t.sheet.offset - s.sheet.offset)) < 1.5,
					`the latent view moved ${s.views.latent.y - t.views.latent.y} for a scroll of ${t.sheet.offset - s.sheet.offset}`);
				assert(t.config === s.config && t.drawn === s.drawn, "the swipe changed a setting or drew");
				await swipe(page, { x, y: v.y + v.h * 0.3 }, { x, y: v.y + v.h * 0.9 });
				await swipe(page, { x, y: v.y + v.h * 0.3 }, { x, y: v.y + v.h * 0.9 });
				const u = await until(page, (w) => w.sheet.offset < t.sheet.offset, "scrolling back");
				return `offset ${s.sheet.offset} → ${t.sheet.offset} → ${u.sheet.offset} of ${s.sheet.max}`;
			});
		} else {
			await check(`${name}: the controls column's rows are 44 px high for a finger`, async () => {
				const s = await state(page);
				const rows = rowsIn(s);
				assert(rows.length > 5, `only ${rows.length} rows`);
				const low = rows.filter(([, r]) => r.h < 44 - 0.5).map(([k, r]) => `${k} ${r.h}`);
				assert(low.length === 0, `rows lower than 44 px: ${low.join(", ")}`);
				return `${rows.length} rows`;
			});
		}

		if (rotate) {
			await check(`${name}: rotating lays out anew at once`, async () => {
				const a = await state(page);
				const vp = page.viewportSize();
				await page.setViewportSize({ width: vp.height, height: vp.width });
				const b = await until(page, (s) => s.frame.w !== a.frame.w && s.frame.w > s.frame.h, "a new frame size", 8000);
				const detail = await laidOut(page, `${name}-rotated`, true);
				assert(b.column.h === 0 && b.sheet.view.w > b.sheet.view.h, `on its side: ${JSON.stringify(b.sheet.view)}`);
				await page.setViewportSize(vp);
				await until(page, (s) => s.frame.w < s.frame.h, "back upright", 8000);
				return `frame ${a.frame.w}×${a.frame.h} → ${b.frame.w}×${b.frame.h}; ${detail}`;
			});
		}

		await check(`${name}: no page errors`, async () => {
			const bad = problems.filter((p) => !/^warning/.test(p));
			assert(bad.length === 0, bad.slice(0, 5).join(" | "));
		});
	} finally {
		await context.close();
	}
}

// keyboard: with a mouse on a desktop, Tab walks to the dataset dropdown
// and its focus ring shows (the README's keyboard picture).
async function keyboard(browser, url) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await check("keyboard: Tab reaches the dataset dropdown, its ring shows", async () => {
			await page.goto(url);
			await firstFrame(page);
			await until(page, (s) => s.buttons && s.buttons.play, "the top bar", 20_000);
			await page.locator("canvas").first().focus();
			const path = [];
			let s;
			for (let i = 0; i < 40; i++) {
				await page.keyboard.press("Tab");
				s = await until(page, (t) => t.focused && t.focused.id !== path[path.length - 1], `Tab ${i + 1}`);
				path.push(s.focused.id);
				if (s.focused.id === "data") {
					break;
				}
			}
			assert(s.focused.id === "data", `Tab went ${path.join(" → ")}`);
			const shot = await screenshot(page, "keyboard");
			assert(shot.variance > 25, "blank");
			return path.join(" → ");
		});
	} finally {
		await context.close();
	}
}

async function main() {
	mkdirSync(outDir, { recursive: true });
	const root = await serve();
	const browser = await launch();
	console.log(`site ${siteDir} at ${root.url}; ${await browser.version()}`);
	try {
		const groups = (process.env.E2E_PORTRAIT || "phone,landscape,tablet,keyboard").split(",");
		if (groups.includes("phone")) await device(browser, root.url, "phone", phone, { compact: true, rotate: true });
		if (groups.includes("landscape")) await device(browser, root.url, "landscape", landscape, { compact: true });
		if (groups.includes("tablet")) await device(browser, root.url, "tablet", tablet, { compact: false });
		if (groups.includes("keyboard")) await keyboard(browser, root.url);
	} finally {
		await browser.close();
		root.child.kill();
	}
	finish("portrait.json");
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
