// End-to-end checks of the phone and tablet layouts in Chromium (issue
// 19), with playwright's touch emulation: the layout is chosen by CSS size
// (a phone gets the compact one at its own device scale, so that text keeps
// its size), a tap plays, the More menu opens and its items work, the
// Controls panel opens over the views and a setting changed there reaches
// the link, the views scroll under a swipe, rotating lays out anew at once,
// rows and the buttons in the views are 44 CSS pixels for a finger; and a
// keyboard's focus ring.
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
import {
	assert, canvasBox, centre, check, devices, errorsIn, finish, firstFrame, launch, open, outDir, run, screenStats,
	scrollColumnTo, serve, siteDir, sleep, state, swipe, tap, tapButton, until, wholeInColumn,
} from "./harness.mjs";

// rowsIn are the column's rows whole in it, by key.
const rowsIn = (s) => Object.entries(s.controls).filter(([k, r]) => !s.buttons[k] && wholeInColumn(s, r));

// screenshot saves the page as E2E_OUT/portrait-<name>.png and measures
// its longest run of pure black rows (a letterbox band) and its variance
// (blank or not).
async function screenshot(page, name) {
	await sleep(600);
	const png = await page.screenshot({ timeout: 120_000 });
	writeFileSync(resolve(outDir, `portrait-${name}.png`), png);
	return screenStats(page, png);
}

// laidOut checks the layout against the device: the canvas fills the
// viewport, the frame is the viewport at the device's own scale (no
// shrinking), compact or not as the CSS size says, no black band, not blank.
async function laidOut(page, name, compact) {
	const vp = page.viewportSize();
	const box = await canvasBox(page);
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
				const r = await scrollColumnTo(page, "bayes");
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

			await check(`${name}: the buttons in the views (clear pad; the flow lab's clear and face) are 44 px high for a finger`, async () => {
				const heights = [];
				const tall = async (setting, keys) => {
					for (const cmd of setting) {
						const answer = await run(page, `set ${cmd}`);
						assert(answer === "ok", `set ${cmd}: ${answer}`);
					}
					const s = await until(page, (t) => t.layoutTouch && keys.every((k) => t.controls[k] && t.controls[k].h > 0), `${keys.join(", ")} after ${setting.join(" ")}`);
					for (const k of keys) {
						const r = s.controls[k];
						assert(r.h >= 44 - 0.5, `${k} is ${r.h} px high`);
						heights.push(`${k} ${r.h}`);
					}
				};
				await tall(["data=shapes"], ["clearPad"]);
				await tall(["mode=flowlab", "target=painted"], ["labClear", "labFace"]);
				await run(page, "set mode=vae");
				await until(page, (t) => !t.controls.labClear, "back to the VAE");
				return heights.join(", ");
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
			const bad = errorsIn(problems);
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
		if (groups.includes("phone")) await device(browser, root.url, "phone", devices.phone, { compact: true, rotate: true });
		if (groups.includes("landscape")) await device(browser, root.url, "landscape", devices.landscape, { compact: true });
		if (groups.includes("tablet")) await device(browser, root.url, "tablet", devices.tablet, { compact: false });
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
