// End-to-end checks of input in Chromium (issue 19): clicks quicker than a
// frame are not lost, and phones and tablets (playwright's touch emulation)
// can do by touch all that a mouse does, on a canvas that fills the screen.
//
//   node touch.mjs    (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as in e2e.mjs;
//                      E2E_TOUCH=quick,phone,landscape,tablet to run only some)
//
// The controls are found through vae.state().controls (CSS pixels from the
// canvas's top-left), never by guessing pixels. Screenshots go to
// E2E_OUT (dist/e2e): touch-phone.png, touch-landscape.png, touch-tablet.png,
// touch-rotated.png.
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
	assert, canvasBox, centre, check, control, controlsPanel, devices, errorsIn, finish, launch, line, open, origin, outDir,
	run, screenStats, scrollColumnTo, serve, settle, siteDir, sleep, state, tap, touchDrag, until,
} from "./harness.mjs";

// recordPointers keeps the pointer events the page saw, for the failures'
// messages.
function recordPointers() {
	globalThis.__pointers = [];
	for (const t of ["pointerdown", "pointerup", "pointercancel"]) {
		addEventListener(t, (e) => globalThis.__pointers.push(`${t}/${e.pointerType}@${Math.round(performance.now())}`), true);
	}
}

// filled checks that the canvas fills the viewport, the frame fills the
// canvas (no letterbox band) and the picture is not blank; it saves the
// screenshot.
async function filled(page, name) {
	const vp = page.viewportSize();
	const box = await canvasBox(page);
	assert(Math.abs(box.width - vp.width) <= 1 && Math.abs(box.height - vp.height) <= 1,
		`the canvas is ${box.width}×${box.height} in a ${vp.width}×${vp.height} viewport`);
	await sleep(800);
	const png = await page.screenshot({ timeout: 120_000 });
	writeFileSync(resolve(outDir, `touch-${name}.png`), png);
	const st = await screenStats(page, png);
	assert(st.blackRun <= 0.02, `a black band of ${(100 * st.blackRun).toFixed(1)} % of the rows`);
	assert(st.variance > 25, `blank: variance ${st.variance.toFixed(1)}`);
	const s = await state(page);
	return `${st.width}×${st.height} px, frame ${s.frame.w}×${s.frame.h} at layout scale ${s.frame.layoutScale.toFixed(2)}, longest black run ${(100 * st.blackRun).toFixed(1)} %`;
}

// quick: with a mouse (no touch), clicks quicker than a frame.
async function quick(browser, url) {
	const { context, page, problems } = await open(browser, url, { viewport: { width: 1280, height: 800 } }, { init: recordPointers });
	try {
		await run(page, "pause");
		const click = async (name, n) => page.evaluate(({ r, n }) => {
			// Down and up in one task: no frame can run between them.
			const canvas = document.querySelector("canvas");
			const b = canvas.getBoundingClientRect();
			const x = b.left + r.x + r.w / 2, y = b.top + r.y + r.h / 2;
			const o = { clientX: x, clientY: y, pointerId: 1, pointerType: "mouse", isPrimary: true, button: 0, bubbles: true };
			for (let i = 0; i < n; i++) {
				canvas.dispatchEvent(new PointerEvent("pointerdown", { ...o, buttons: 1 }));
				canvas.dispatchEvent(new PointerEvent("pointerup", { ...o, buttons: 0 }));
			}
		}, { r: await control(page, name), n });

		await check("a press and release within one task toggles Play", async () => {
			const a = await state(page);
			assert(!a.playing, "playing before the click");
			await click("play", 1);
			await until(page, (s) => s.playing, "the click did not start training");
			await click("play", 1);
			await until(page, (s) => !s.playing, "the second click did not pause");
			return "played and paused";
		});

		await check("two clicks within one task are two steps", async () => {
			// Steps still under way (a worker's) land first.
			let a = await state(page);
			for (let i = 0; i < 20; i++) {
				await sleep(250);
				const b = await state(page);
				if (b.step === a.step) {
					break;
				}
				a = b;
			}
			await click("step", 2);
			const b = await until(page, (s) => s.step >= a.step + 2, "two quick clicks on Step");
			await sleep(500);
			const c = await state(page);
			assert(c.step === a.step + 2 && !c.playing, `step ${a.step} → ${c.step}`);
			return `step ${a.step} → ${b.step}`;
		});

		await check("a mouse click sent twice through CDP without a frame between toggles Play twice", async () => {
			const cdp = await context.newCDPSession(page);
			const o = await origin(page);
			const p = centre(await control(page, "play"));
			const ev = (type) => ({ type, x: o.x + p.x, y: o.y + p.y, button: "left", clickCount: 1 });
			const a = await state(page);
			// Not awaited one by one: all four reach the page before a frame.
			await Promise.all([
				cdp.send("Input.dispatchMouseEvent", ev("mousePressed")),
				cdp.send("Input.dispatchMouseEvent", ev("mouseReleased")),
				cdp.send("Input.dispatchMouseEvent", ev("mousePressed")),
				cdp.send("Input.dispatchMouseEvent", ev("mouseReleased")),
			]);
			// Each press and each release takes a frame of its own: wait
			// until the game has taken all four (a fixed pause read the
			// state after one toggle when frames were slow).
			const b = await settle(page);
			await cdp.detach();
			const seen = await page.evaluate(() => globalThis.__pointers.slice(-6).join(", "));
			assert(b.playing === a.playing && b.pointerEvents >= a.pointerEvents + 4, `playing ${a.playing} → ${b.playing}, events ${a.pointerEvents} → ${b.pointerEvents}: ${seen}`);
			// And one more: an odd count leaves it toggled.
			await click("play", 1);
			await until(page, (s) => s.playing !== a.playing, "one more click");
			await run(page, "pause");
			return `${b.pointerEvents - a.pointerEvents} pointer events, two toggles`;
		});

		await check("the canvas has an accessible name and a live status beside it", async () => {
			const name = await page.locator("canvas").first().getAttribute("aria-label");
			assert(name && /VAE playground/.test(name), `aria-label ${name}`);
			const live = page.locator("#vae-live");
			assert(await live.getAttribute("aria-live") === "polite", "no live region");
			const t0 = await live.textContent();
			assert(/Paused/.test(t0) && /data /.test(t0), `live text: ${t0}`);
			const before = (await state(page)).dataset;
			const other = before === "moons" ? "circles" : "moons";
			const answer = await run(page, `set data=${other}`);
			assert(answer === "ok", `set data=${other}: ${answer}`);
			await page.waitForFunction((d) => document.getElementById("vae-live").textContent.includes("data " + d), other, { timeout: 90_000 })
				.catch(async () => { throw new Error(`live text after set data=${other}: ${await live.textContent()}`); });
			await run(page, "play");
			await page.waitForFunction(() => document.getElementById("vae-live").textContent.startsWith("Training"), null, { timeout: 90_000 });
			await run(page, "pause");
			return `"${await live.textContent()}"`;
		});
		await check("keyboard only: Tab reaches the dataset dropdown, an arrow changes it, the live region follows", async () => {
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
			const live = page.locator("#vae-live");
			await page.waitForFunction(() => document.getElementById("vae-live").textContent.includes("Focus: dataset"), null, { timeout: 90_000 })
				.catch(async () => { throw new Error(`live text: ${await live.textContent()}`); });
			const before = s.dataset;
			await page.keyboard.press("ArrowDown");
			const t = await until(page, (u) => u.dataset !== before, "the arrow on the dataset");
			await page.waitForFunction((d) => document.getElementById("vae-live").textContent.includes("data " + d), t.dataset, { timeout: 90_000 })
				.catch(async () => { throw new Error(`live text: ${await live.textContent()}`); });
			return `${path.join(" → ")}; dataset ${before} → ${t.dataset}; "${await live.textContent()}"`;
		});
		await check("the theme follows the system's colour scheme live, and theme= in the link overrides it", async () => {
			await page.emulateMedia({ colorScheme: "light" });
			await until(page, (t) => t.theme === "light", "auto under a light system scheme");
			await settle(page);
			const shot = await page.screenshot({ clip: { x: 2, y: 2, width: 4, height: 4 }, timeout: 120_000 });
			const st = await screenStats(page, shot);
			await page.emulateMedia({ colorScheme: "dark" });
			await until(page, (t) => t.theme === "dark", "auto under a dark system scheme");
			const answer = await run(page, "set theme=light");
			assert(answer === "ok", `set theme=light: ${answer}`);
			const s = await until(page, (t) => t.theme === "light" && /theme=light/.test(t.config), "theme=light under a dark scheme");
			await page.waitForFunction(() => /theme=light/.test(location.hash), null, { timeout: 90_000 });
			await run(page, "set palette=colorblind");
			await until(page, (t) => t.palette === "colorblind", "palette=colorblind");
			await run(page, "set theme=auto");
			await run(page, "set palette=default");
			await until(page, (t) => t.theme === "dark" && t.palette === "default", "back to auto and the default palette");
			assert(st.mean > 200, `the top-left corner under the light scheme has mean level ${st.mean.toFixed(0)}`);
			return `light corner level ${st.mean.toFixed(0)}; ${s.config}`;
		});
		assert(errorsIn(problems).length === 0, errorsIn(problems).join(" | "));
	} finally {
		await context.close();
	}
}

// touchDevice runs the touch checks on one device.
async function touchDevice(browser, url, name, device, { rotate } = {}) {
	let session;
	await check(`${name}: the page opens with touch`, async () => {
		session = await open(browser, url, device, { init: recordPointers });
		return `${device.viewport.width}×${device.viewport.height} at scale ${device.deviceScaleFactor}`;
	});
	if (!session) {
		return;
	}
	const { context, page, problems } = session;
	try {
		await check(`${name}: the canvas fills the screen, no letterbox band, not blank`, () => filled(page, name));

		await check(`${name}: taps start and pause training`, async () => {
			await run(page, "pause");
			await tap(page, centre(await control(page, "play")));
			await until(page, (s) => s.playing && s.touch, "a tap on Play");
			await tap(page, centre(await control(page, "play")));
			await until(page, (s) => !s.playing, "a second tap on Play");
			const s = await state(page);
			assert(s.step > 0, "no step while playing");
			return `trained to step ${s.step}`;
		});

		await check(`${name}: a tap on a toggle changes the setting and the link follows`, async () => {
			const r = await scrollColumnTo(page, "bayes");
			const a = await state(page);
			await tap(page, centre(r, 0.95));
			const b = await until(page, (s) => s.config !== a.config, "the bayes toggle");
			await page.waitForFunction((c) => location.hash === "#" + c, b.config, { timeout: 90_000 });
			assert(/bayes=(1|on|true)/.test(b.config), `config ${b.config}`);
			await tap(page, centre(await control(page, "bayes"), 0.95));
			await until(page, (s) => !/bayes=(1|on|true)/.test(s.config), "the toggle back");
			return b.config;
		});

		await check(`${name}: a dropdown opens on a tap and a tap picks`, async () => {
			const r = await scrollColumnTo(page, "act");
			const a = await state(page);
			await tap(page, centre(r, 0.75));
			const b = await until(page, (s) => s.popup, "the list did not open");
			// The row below or above the current one (the list is one row per choice).
			const rows = Math.round(b.popup.h / r.h);
			const pick = { x: b.popup.x + b.popup.w / 2, y: b.popup.y + r.h * (rows - 0.5) };
			await tap(page, pick);
			const c = await until(page, (s) => !s.popup && s.config !== a.config, "the pick");
			return `${rows} choices; ${a.config.match(/act=[^&]*/) || "act default"} → ${c.config.match(/act=[^&]*/)}`;
		});

		await check(`${name}: a swipe scrolls the controls column`, async () => {
			await controlsPanel(page, true);
			const s = await state(page);
			if (s.scroll.max === 0) {
				return "everything fits: nothing to scroll";
			}
			const keys = Object.keys(s.controls).filter((k) => !s.buttons[k] && s.controls[k].h > 0);
			const k = keys[0];
			const r = s.controls[k];
			const h = page.viewportSize().height;
			const x = r.x + 10;
			await touchDrag(page, line({ x, y: h * 0.75 }, { x, y: h * 0.45 }, 8));
			const t = await state(page);
			const r2 = t.controls[k];
			await touchDrag(page, line({ x, y: h * 0.45 }, { x, y: h * 0.75 }, 8));
			const u = await state(page);
			const r3 = u.controls[k];
			assert(t.scroll.offset > s.scroll.offset, `scrolled ${s.scroll.offset} → ${t.scroll.offset} of ${s.scroll.max}`);
			assert(!r2 || r2.y < r.y || r2.h < r.h, `${k} stayed at y ${r.y} (now ${r2 && r2.y})`);
			assert(r3 && r3.y >= (r2 ? r2.y : -1e9), `swiping back left ${k} at ${r3 && r3.y}`);
			assert(t.config === s.config, "the swipe changed a setting");
			assert(u.scroll.offset < t.scroll.offset, `swiping back: ${t.scroll.offset} → ${u.scroll.offset}`);
			return `offset ${s.scroll.offset} → ${t.scroll.offset} → ${u.scroll.offset} of ${s.scroll.max}; ${k}: y ${r.y.toFixed(0)} → ${r2 ? r2.y.toFixed(0) : "gone"} → ${r3.y.toFixed(0)}`;
		});

		await check(`${name}: a finger drags a slider`, async () => {
			const r = await scrollColumnTo(page, "beta");
			const a = await state(page);
			const y = r.y + r.h * 0.75;
			await touchDrag(page, line({ x: r.x + r.w * 0.15, y }, { x: r.x + r.w * 0.6, y }, 10));
			const b = await until(page, (s) => s.config !== a.config, "the slider drag");
			const m = b.config.match(/beta=([^&]*)/);
			assert(m && Number(m[1]) > 1, `beta after the drag: ${b.config}`);
			await run(page, "set beta=1");
			return `beta=${m[1]}`;
		});

		await check(`${name}: a tap in the latent view decodes the point`, async () => {
			await controlsPanel(page, false);
			const s = await state(page);
			const l = s.views.latent;
			await tap(page, centre(l, 0.3, 0.35));
			const a = await until(page, (t) => Array.isArray(t.decoded) && JSON.stringify(t.decoded) !== JSON.stringify(s.decoded), "the first tap");
			await tap(page, centre(l, 0.7, 0.65));
			const b = await until(page, (t) => JSON.stringify(t.decoded) !== JSON.stringify(a.decoded), "the second tap");
			return `${JSON.stringify(a.decoded)} → ${JSON.stringify(b.decoded)}`;
		});

		await check(`${name}: a finger draws points in the data view`, async () => {
			const r = await scrollColumnTo(page, "tool");
			await tap(page, centre(r, 0.75));
			const b = await until(page, (s) => s.popup, "the tool list");
			const rows = Math.round(b.popup.h / r.h);
			assert(rows === 3, `${rows} tools`);
			await tap(page, { x: b.popup.x + b.popup.w / 2, y: b.popup.y + r.h * 1.5 }); // "draw"
			await until(page, (s) => !s.popup && s.controls.class, "the draw tool (its class stepper)");
			await controlsPanel(page, false);
			const a = await state(page);
			const d = a.views.data;
			await touchDrag(page, line(centre(d, 0.2, 0.3), centre(d, 0.8, 0.7), 16));
			const c = await until(page, (s) => s.drawn > a.drawn + 3, "drawing");
			return `${c.drawn - a.drawn} points drawn`;
		});

		if (rotate) {
			await check(`${name}: rotating re-lays out at once`, async () => {
				const a = await state(page);
				const vp = page.viewportSize();
				await page.setViewportSize({ width: vp.height, height: vp.width });
				const b = await until(page, (s) => s.frame.w !== a.frame.w, "a new frame size");
				const filledDetail = await filled(page, "rotated");
				assert(b.frame.w > b.frame.h, `frame ${b.frame.w}×${b.frame.h} after turning to landscape`);
				return `frame ${a.frame.w}×${a.frame.h} → ${b.frame.w}×${b.frame.h}; ${filledDetail}`;
			});
		}

		await check(`${name}: no page errors`, async () => {
			const errors = errorsIn(problems);
			assert(errors.length === 0, errors.slice(0, 5).join(" | "));
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
		const groups = (process.env.E2E_TOUCH || "quick,phone,landscape,tablet").split(",");
		if (groups.includes("quick")) await quick(browser, root.url);
		if (groups.includes("phone")) await touchDevice(browser, root.url, "phone", devices.phone, { rotate: true });
		if (groups.includes("landscape")) await touchDevice(browser, root.url, "landscape", devices.landscape);
		if (groups.includes("tablet")) await touchDevice(browser, root.url, "tablet", devices.tablet);
	} finally {
		await browser.close();
		root.child.kill();
	}
	finish("touch.json");
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
