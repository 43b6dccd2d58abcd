// End-to-end checks of the lessons in Debian's Chromium: a link with
// lesson= and step= opens that step with its configuration, its views and
// controls and the lesson column; a step's check fires on the running
// model with its number; doing what a step asks (β to 4) makes its checks
// fire; Next opens the next step; the column speaks Vietnamese with
// lang=vi; hostile lesson= and step= values fall back with notes.
//
//   node lesson.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { assert, check, finish, firstFrame, launch, outDir, run, serve, state, waitFor, watch } from "./harness.mjs";

// withPage opens url in a fresh context, waits for the lesson column, runs
// fn and closes the context whatever happens (a failed check must not
// leave a page training beside the next one).
async function withPage(browser, url, fn) {
	const { context, page, problems } = await open(browser, url);
	try {
		return await fn(page, problems);
	} finally {
		await context.close();
	}
}

async function open(browser, url) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url);
	await firstFrame(page);
	await waitFor(page, () => { const l = globalThis.vae.state().lesson; return l && l.name !== ""; }, null, 30_000);
	return { context, page, problems };
}

// clickRect clicks the centre of a rectangle of vae.state() (CSS pixels).
async function clickRect(page, r) {
	const box = await page.locator("canvas").boundingBox();
	await page.mouse.click(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
}

async function shot(page, name) {
	mkdirSync(outDir, { recursive: true });
	await page.screenshot({ path: resolve(outDir, name) });
}

// trained takes n training steps at once (vae.do("steps n"): SwiftShader's
// slow frames would make playing to a thousand steps take minutes) and
// waits until the session has them. A worker given up under load loses the
// steps it was sent (the page trains on inline): what did not arrive
// within a minute is asked again.
async function trained(page, n) {
	const target = (await state(page)).step + n;
	const t0 = Date.now();
	for (;;) {
		const step = (await state(page)).step;
		if (step >= target) {
			return;
		}
		assert(Date.now() - t0 < 240_000, `${target - step} of ${n} steps still missing after 240 s`);
		assert((await run(page, `steps ${target - step}`)) === "ok", `steps ${target - step}`);
		try {
			await page.waitForFunction((b) => globalThis.vae.state().step >= b, target, { timeout: 60_000, polling: 200 });
		} catch {
			// asked again above
		}
	}
}

// fired trains in chunks of 200 steps until every check of the open step
// has fired (at most limit steps), and returns the step's state.
async function fired(page, limit = 4000) {
	for (let done = 0; done < limit; done += 200) {
		const l = (await state(page)).lesson;
		if (l.fired) {
			return l;
		}
		await trained(page, 200);
		await page.waitForTimeout(600); // the checks look every 0.4 s
	}
	await waitFor(page, () => globalThis.vae.state().lesson.fired, null, 10_000);
	return (await state(page)).lesson;
}

const number = /[0-9][.,][0-9]/;

async function main() {
	const { url, child } = await serve();
	const browser = await launch();
	try {
		await check("#lesson=priors&step=4 opens step 4: its configuration, views, controls and column", async () => withPage(browser, url + "#lesson=priors&step=4", async (page, problems) => {
			const s = await state(page);
			assert(s.lesson.name === "priors" && s.lesson.step === 4 && s.lesson.steps >= 10, `lesson ${JSON.stringify(s.lesson)}`);
			assert(s.dataset === "8gaussians" && s.prior === "standard", `data ${s.dataset}, prior ${s.prior}`);
			assert(s.shown.views.join() === "latent,kl,data", `views ${s.shown.views}`);
			assert(s.shown.controls.join() === "beta,speed", `controls ${s.shown.controls}`);
			assert(s.config.includes("lesson=priors") && s.config.includes("step=4"), `config ${s.config}`);
			const col = s.lesson.rects.column;
			assert(col.w > 200 && col.x > s.views.latent.x + s.views.latent.w - 1, `column ${JSON.stringify(col)} beside latent ${JSON.stringify(s.views.latent)}`);
			assert(s.lesson.checks.length === 2 && !s.lesson.fired, `checks ${JSON.stringify(s.lesson.checks)}`);
			await shot(page, "lesson-step4.png");
			assert(problems.length === 0, problems.join("; "));
			return `views ${s.shown.views}, controls ${s.shown.controls}`;
		}));

		await check("step 3 (holes): training fires the check with the model's number", async () => withPage(browser, url + "#lesson=priors&step=3", async (page, problems) => {
			const l = await fired(page);
			const m = l.checks[0].message;
			assert(number.test(m) && m.includes("holes"), `message ${m}`);
			const s = await state(page);
			assert(s.step >= 1000, `fired at step ${s.step}`);
			await shot(page, "lesson-holes.png");
			assert(problems.length === 0, problems.join("; "));
			return `step ${s.step}: ${m}`;
		}), { timeout: 300_000 });

		await check("step 4: dragging β to 4 (set beta=4) collapses a dimension, and the check says so", async () => withPage(browser, url + "#lesson=priors&step=4", async (page, problems) => {
			await trained(page, 200);
			assert((await run(page, "set beta=4")) === "ok", "set beta=4");
			const l = await fired(page);
			const m = l.checks[1].message;
			assert(number.test(m) && m.includes("collapsed"), `message ${m}`);
			// Next: step 5 keeps β = 4 and offers free bits.
			await clickRect(page, l.rects.next);
			await waitFor(page, () => globalThis.vae.state().lesson.step === 5, null, 30_000);
			const s = await state(page);
			assert(s.config.includes("beta=4") && s.config.includes("step=5"), `config ${s.config}`);
			assert(s.shown.controls.includes("freebits"), `controls ${s.shown.controls}`);
			assert(problems.length === 0, problems.join("; "));
			return m;
		}), { timeout: 300_000 });

		await check("lang=vi: the column in Vietnamese, numbers with a decimal comma", async () => withPage(browser, url + "#lesson=priors&step=1&lang=vi", async (page, problems) => {
			const l = await fired(page);
			const m = l.checks[0].message;
			assert(/ELBO đã tăng/.test(m) && /[0-9],[0-9]/.test(m), `message ${m}`);
			await shot(page, "lesson-vi.png");
			assert(problems.length === 0, problems.join("; "));
			return m;
		}), { timeout: 300_000 });

		await check("hostile lesson= and step= fall back with notes", async () => {
			const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
			try {
				const page = await context.newPage();
				await page.goto(url + "#lesson=%3Cscript%3E&step=1e999");
				await firstFrame(page);
				const s = await state(page);
				assert(s.notes.some((n) => n.includes("lesson")) && s.notes.some((n) => n.includes("step")), `notes ${s.notes}`);
				assert(s.lesson === null, `lesson ${JSON.stringify(s.lesson)}`);
				return s.notes.join("; ");
			} finally {
				await context.close();
			}
		});
	} finally {
		await browser.close();
		child.kill();
	}
	finish("lesson.json");
}

main();
