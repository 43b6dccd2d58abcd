// End-to-end checks that a lesson reaches every hand (issue 19 with issue
// 20's lessons): on a phone (touch emulation, 390×844 at scale 3) a lesson
// link gets the compact layout, its text in a band under the top bar and
// the step's views alone below, and a tap on Next opens the next step; from
// the keyboard alone Tab walks into the lesson's column, Enter on Next
// opens the next step, and the live region beside the canvas says the
// step, its checks and the focused button in the link's language.
//
//   node lessonaccess.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { assert, centre, check, devices, finish, launch, open, outDir, serve, sleep, state, tap, until } from "./harness.mjs";

// openLesson opens url on device and waits for the lesson's column.
async function openLesson(browser, url, device) {
	const opened = await open(browser, url, device);
	await until(opened.page, (s) => s.lesson && s.lesson.name !== "" && s.lesson.rects && s.lesson.rects.next, "the lesson's column");
	return opened;
}

const liveText = (page) => page.evaluate(() => document.getElementById("vae-live").textContent);

async function liveUntil(page, pred, what, timeout = 90_000) {
	const t0 = Date.now();
	let text = "";
	while (Date.now() - t0 < timeout) {
		text = await liveText(page);
		if (pred(text)) {
			return text;
		}
		await sleep(200);
	}
	throw new Error(`${what}: the live region says "${text}"`);
}

const { url, child } = await serve();
const origin = url.replace(/\/$/, "");
const browser = await launch();
try {
	await check("a phone: a lesson link goes compact, the step's views alone, a tap on Next", async () => {
		const { context, page, problems } = await openLesson(browser, `${origin}/#lesson=priors&step=4`, devices.phone);
		try {
			const s = await state(page);
			assert(s.compact, "a lesson on a phone is not laid out compact");
			const col = s.lesson.rects.column;
			assert(col.x === 0 && col.w >= 380 && col.y > 0 && col.y < 120, `the lesson's band ${JSON.stringify(col)} is not under the top bar at full width`);
			assert(JSON.stringify(s.shown.views) === JSON.stringify(["latent", "kl", "data"]), `views ${JSON.stringify(s.shown.views)}`);
			const latent = s.views.latent;
			// (the plot inside the panel: the axes take their margins)
			assert(latent.y >= col.y + col.h - 1 && latent.w >= 0.7 * 390, `the latent plot ${JSON.stringify(latent)} is not below the band at nearly full width`);
			const next = s.lesson.rects.next;
			assert(next.h >= 44, `Next is ${next.h} CSS px high, below a finger's 44`);
			mkdirSync(outDir, { recursive: true });
			await page.screenshot({ path: resolve(outDir, "lesson-phone.png") });
			await tap(page, centre(next));
			const t = await until(page, (u) => u.lesson && u.lesson.step === 5, "step 5 after a tap on Next");
			await page.waitForFunction(() => /step=5/.test(location.hash), null, { timeout: 30_000 });
			assert(problems.length === 0, problems.join("; "));
			return `band ${col.h} CSS px, views ${s.shown.views.join(", ")}, step ${t.lesson.step}`;
		} finally {
			await context.close();
		}
	});
	await check("keyboard only: Tab walks into the lesson's column, Enter on Next, the live region in Vietnamese", async () => {
		const { context, page, problems } = await openLesson(browser, `${origin}/#lesson=priors&step=4&lang=vi`, { viewport: { width: 1280, height: 800 } });
		try {
			await page.locator("canvas").first().focus();
			const path = [];
			let s;
			for (let i = 0; i < 30; i++) {
				await page.keyboard.press("Tab");
				s = await until(page, (t) => t.focused && t.focused.id !== path[path.length - 1], `Tab ${i + 1}`);
				path.push(s.focused.id);
				if (s.focused.id === "lesson-next") {
					break;
				}
			}
			assert(s.focused.id === "lesson-next", `Tab went ${path.join(" → ")}`);
			assert(path.slice(-4).join(" ") === "lesson-close lesson-prev lesson-steps lesson-next" && path.indexOf("play") < path.length - 4,
				`Tab went ${path.join(" → ")}: not the top bar, then the column's close, back, step list and next in reading order`);
			const before = await liveUntil(page, (t) => t.includes("Bước 4 / 14") && t.includes("Tiêu điểm: Tiếp"), "the step and the focused Next");
			await page.keyboard.press("Enter");
			await until(page, (t) => t.lesson.step === 5, "step 5 after Enter on Next");
			const after = await liveUntil(page, (t) => t.includes("Bước 5 / 14"), "step 5 in the live region");
			assert(problems.length === 0, problems.join("; "));
			return `${path.join(" → ")}; "${before}" → "${after}"`;
		} finally {
			await context.close();
		}
	});
} finally {
	await browser.close();
	child.kill();
}
finish("lessonaccess.json");
