// End-to-end checks of the lessons in Debian's Chromium: a link with
// lesson= and step= opens that step with its configuration, its views and
// controls and the lesson column; a step's check fires on the running
// model with its number; doing what a step asks (β to 4) makes its checks
// fire; Next opens the next step; the column speaks Vietnamese with
// lang=vi; hostile lesson= and step= values fall back with notes. The
// comparison steps (7: the flow prior's gain, 13: the priors' table) train
// both models step for step until their check fires with the table's
// numbers; the slow-motion step (14) is tapped through its parts, each
// marked in the views, to the update; the "flows" lesson fits U1 with 2, 8
// and 32 layers and each check gives the fit's KL.
//
//   node lesson.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs;
//                      E2E_CHECKS=regexp runs only the checks it matches)
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

// setting is a setting's value in a link, or def where the link leaves it
// out (a link drops a setting at its default).
function setting(config, key, def) {
	const m = new RegExp(`(?:^#?|&)${key}=([^&]*)`).exec(config);
	return m ? decodeURIComponent(m[1]) : def;
}

// nats writes x as a check writes a number of nats (two decimals, a real
// minus sign), so a message can be held to the table's own figures.
const nats = (x) => x.toFixed(2).replace("-", "−");

// agrees checks that message m gives each of xs (the comparison table's
// numbers), to the hundredth, or within 0.1 nats where the table was
// computed again after the check fired (paused, the table takes every
// held-out row where the check saw the 100 of a training frame's).
function agrees(m, xs, table) {
	const given = (m.match(/[−-]?[0-9]+[.,][0-9]+/g) || []).map((t) => Number(t.replace("−", "-").replace(",", ".")));
	const again = table.exact || !m.includes(`${table.steps[0]} steps`);
	for (const x of xs) {
		const ok = m.includes(nats(x)) || again && given.some((n) => Math.abs(n - x) <= 0.1);
		assert(ok, `${m} lacks ${nats(x)} (table at step ${table.steps[0]}, exact ${table.exact})`);
	}
}

// trainedBoth takes n steps of both models of the comparison, 200 at a
// time (vae.do("steps k") steps A and B together; a worker that takes
// longer than the session's few seconds over one command is given up, and
// a loaded machine's worker takes that long over a thousand steps), and
// waits until both have them; steps a worker lost are asked again.
async function trainedBoth(page, n) {
	const target = Math.max(...(await state(page)).compare.steps) + n;
	const t0 = Date.now();
	for (;;) {
		const steps = (await state(page)).compare.steps;
		const low = Math.min(...steps);
		if (low >= target) {
			return;
		}
		assert(Date.now() - t0 < 600_000, `${target - low} of ${n} steps still missing after 600 s (A ${steps[0]}, B ${steps[1]})`);
		const ask = Math.min(200, target - low);
		assert((await run(page, `steps ${ask}`)) === "ok", `steps ${ask}`);
		try {
			await page.waitForFunction((b) => Math.min(...globalThis.vae.state().compare.steps) >= b, low + ask, { timeout: 90_000, polling: 250 });
		} catch {
			// asked again above
		}
	}
}

// tableCaughtUp waits until the comparison's table scores both models at
// their current steps (it is worked out over frames after training stops).
async function tableCaughtUp(page) {
	await waitFor(page, () => {
		const c = globalThis.vae.state().compare;
		return c && c.table.steps[0] === c.steps[0] && c.table.steps[1] === c.steps[1];
	}, null, 240_000);
}

// firedBoth trains the comparison in chunks until the open step's checks
// have fired (at most limit steps each), letting the table catch up after
// each chunk; it returns the lesson's state and the comparison's.
async function firedBoth(page, chunk, limit) {
	for (let done = 0; ; done += chunk) {
		await tableCaughtUp(page);
		await page.waitForTimeout(1000); // the checks look every 0.4 s
		const s = await state(page);
		if (s.lesson.fired) {
			return s;
		}
		assert(done < limit, `no check fired after ${done} steps: ${JSON.stringify(s.lesson.checks)}`);
		await trainedBoth(page, chunk);
	}
}

// fitLab takes steps of the flow lab's fit until it has n (the page stays
// answering between chunks), then waits for a score at or after n.
async function fitLab(page, n) {
	for (;;) {
		const lab = (await state(page)).lab;
		assert(lab, "the flow lab is not shown");
		if (lab.steps >= n) {
			break;
		}
		assert((await run(page, `steps ${Math.min(1000, n - lab.steps)}`)) === "ok", "steps");
	}
	await waitFor(page, (want) => globalThis.vae.state().lab.scored >= want, n, 120_000);
}

// Only the checks E2E_CHECKS matches (all without it).
const only = process.env.E2E_CHECKS ? new RegExp(process.env.E2E_CHECKS) : null;
function checkIf(name, fn, opts) {
	return only && !only.test(name) ? Promise.resolve(true) : check(name, fn, opts);
}

async function main() {
	const { url, child } = await serve();
	const browser = await launch();
	try {
		await checkIf("#lesson=priors&step=4 opens step 4: its configuration, views, controls and column", async () => withPage(browser, url + "#lesson=priors&step=4", async (page, problems) => {
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

		await checkIf("step 3 (holes): training fires the check with the model's number", async () => withPage(browser, url + "#lesson=priors&step=3", async (page, problems) => {
			const l = await fired(page);
			const m = l.checks[0].message;
			assert(number.test(m) && m.includes("holes"), `message ${m}`);
			const s = await state(page);
			assert(s.step >= 1000, `fired at step ${s.step}`);
			await shot(page, "lesson-holes.png");
			assert(problems.length === 0, problems.join("; "));
			return `step ${s.step}: ${m}`;
		}), { timeout: 300_000 });

		await checkIf("step 4: dragging β to 4 (set beta=4) collapses a dimension, and the check says so", async () => withPage(browser, url + "#lesson=priors&step=4", async (page, problems) => {
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

		await checkIf("lang=vi: the column in Vietnamese, numbers with a decimal comma", async () => withPage(browser, url + "#lesson=priors&step=1&lang=vi", async (page, problems) => {
			const l = await fired(page);
			const m = l.checks[0].message;
			assert(/ELBO đã tăng/.test(m) && /[0-9],[0-9]/.test(m), `message ${m}`);
			await shot(page, "lesson-vi.png");
			assert(problems.length === 0, problems.join("; "));
			return m;
		}), { timeout: 300_000 });

		await checkIf("step 7 (the flow prior's gain): A flow, B standard, both trained until the gain beats the noise", async () => withPage(browser, url + "#lesson=priors&step=7", async (page, problems) => {
			let s = await state(page);
			assert(s.lesson.name === "priors" && s.lesson.step === 7 && s.lesson.id === "flowgain", `lesson ${JSON.stringify(s.lesson)}`);
			assert(s.compare && s.compare.spec === "prior:standard", `comparison ${JSON.stringify(s.compare && s.compare.spec)}`);
			assert(s.prior === "flow" && s.dataset === "8gaussians" && setting(s.config, "pflowK", "8") === "8", `A: ${s.config}`);
			assert(s.shown.views.join() === "compare", `views ${s.shown.views}`);
			assert(s.config.includes("lesson=priors") && s.config.includes("step=7"), `config ${s.config}`);
			assert(s.lesson.checks.length === 1 && !s.lesson.fired, `checks ${JSON.stringify(s.lesson.checks)}`);
			s = await firedBoth(page, 1000, 8000);
			const m = s.lesson.checks[0].message;
			const elbo = s.compare.table.rows[0];
			assert(number.test(m) && m.includes("flow prior") && m.includes("above the standard"), `message ${m}`);
			// A (the flow prior) above B (the table's diff is B − A).
			assert(elbo.a - elbo.b > 0 && elbo.exceeds, `ELBO row ${JSON.stringify(elbo)}`);
			// The message gives the table's own numbers: A − B, A, B, the noise.
			agrees(m, [elbo.a - elbo.b, elbo.a, elbo.b, elbo.spread], s.compare.table);
			await shot(page, "lesson-flowgain.png");
			assert(problems.length === 0, problems.join("; "));
			return `steps ${s.compare.steps.join("/")}: ${m}`;
		}), { timeout: 1_500_000 });

		await checkIf("step 13 (the priors side by side): standard against mixture, the table's numbers in the check", async () => withPage(browser, url + "#lesson=priors&step=13", async (page, problems) => {
			let s = await state(page);
			assert(s.lesson.step === 13 && s.lesson.id === "compare", `lesson ${JSON.stringify(s.lesson)}`);
			assert(s.compare && s.compare.spec === "prior:mixture" && s.prior === "standard", `A ${s.prior}, comparison ${s.compare && s.compare.spec}`);
			assert(s.shown.views.join() === "compare", `views ${s.shown.views}`);
			assert(!s.lesson.fired, `fired at once: ${JSON.stringify(s.lesson.checks)}`);
			s = await firedBoth(page, 1000, 4000);
			const m = s.lesson.checks[0].message;
			assert(s.compare.table.steps[0] >= 2000, `table at step ${s.compare.table.steps[0]}`);
			assert(m.includes(`After ${s.compare.table.steps[0]} steps`) && m.includes("mixture − standard"), `message ${m}`);
			const elbo = s.compare.table.rows[0];
			agrees(m, [elbo.diff, elbo.spread, elbo.a, elbo.b], s.compare.table);
			await shot(page, "lesson-compare.png");
			assert(problems.length === 0, problems.join("; "));
			return m;
		}), { timeout: 1_200_000 });

		await checkIf("step 14 (slow motion): each tap shows the next part, marked in the views; the update takes one real step", async () => withPage(browser, url + "#lesson=priors&step=14", async (page, problems) => {
			let s = await state(page);
			assert(s.lesson.step === 14 && s.lesson.id === "slow" && s.lesson.slow, `lesson ${JSON.stringify(s.lesson)}`);
			assert(s.shown.views.join() === "data,latent" && s.shown.controls.join() === "speed", `views ${s.shown.views}, controls ${s.shown.controls}`);
			await trained(page, 300);
			const before = (await state(page)).step;
			const parts = s.lesson.slow.parts;
			assert(parts >= 5, `${parts} parts`);
			for (let part = 0; part < parts; part++) {
				await clickRect(page, (await state(page)).lesson.rects["slow-next"]);
				await waitFor(page, (p) => { const sl = globalThis.vae.state().lesson.slow; return sl.part === p && sl.marks > 0; }, part, 60_000);
				if (part === 3) {
					await shot(page, "lesson-slow-decode.png");
				}
			}
			await waitFor(page, () => globalThis.vae.state().lesson.fired, null, 60_000);
			s = await state(page);
			assert(s.step === before + 1, `the update took ${s.step - before} steps`);
			const m = s.lesson.checks[0].message;
			assert(number.test(m) && m.includes(`(step ${s.step})`), `message ${m}`);
			// Another point starts over.
			const row = s.lesson.slow.row;
			await clickRect(page, s.lesson.rects["slow-other"]);
			await waitFor(page, (r) => { const sl = globalThis.vae.state().lesson.slow; return sl.row !== r && sl.part <= 0; }, row, 60_000);
			assert(problems.length === 0, problems.join("; "));
			return m;
		}), { timeout: 600_000 });

		await checkIf("the flows lesson: U1 fitted with 2, 8 and 32 layers, each check with the fit's KL, more layers lower", async () => withPage(browser, url + "#lesson=flows&step=1", async (page, problems) => {
			const kls = [];
			for (const [i, layers] of [2, 8, 32].entries()) {
				if (i > 0) {
					await clickRect(page, (await state(page)).lesson.rects.next);
					await waitFor(page, (want) => globalThis.vae.state().lesson.step === want, i + 1, 60_000);
				}
				const s = await state(page);
				assert(s.lesson.name === "flows" && s.lesson.step === i + 1 && s.lesson.steps === 3, `lesson ${JSON.stringify(s.lesson)}`);
				for (const [key, want, def] of [["mode", "flowlab", "vae"], ["target", "u1", "u1"], ["lflow", "planar", "planar"], ["lK", String(layers), "8"], ["step", String(i + 1), "1"]]) {
					assert(setting(s.config, key, def) === want, `config ${s.config}: ${key} is not ${want}`);
				}
				assert(s.shown.controls.join() === "lK,llr", `controls ${s.shown.controls}`);
				assert(s.shown.views.length > 0 && !s.shown.views.includes("latent"), `views ${s.shown.views}`);
				assert(s.lab && !s.lesson.fired, `lab ${JSON.stringify(s.lab)}, fired ${s.lesson.fired}`);
				await fitLab(page, 3000);
				await waitFor(page, () => globalThis.vae.state().lesson.fired, null, 60_000);
				const m = (await state(page)).lesson.checks[0].message;
				assert(number.test(m) && m.includes(`With ${layers} layers`), `message ${m}`);
				if (i > 0) {
					// The KL is the fit's own, and lower than the fewer layers'.
					const kl = /KL to U1 is (−?[0-9]+(?:\.[0-9]+)?) nats.* below the ([0-9]+) layers' (−?[0-9]+(?:\.[0-9]+)?)/.exec(m);
					assert(kl && kl[2] === String([2, 8][i - 1]), `${layers} layers: ${m}`);
					const [now, before] = [kl[1], kl[3]].map((t) => Number(t.replace("−", "-")));
					assert(now < before, `${layers} layers: KL ${now}, not below ${before}`);
				}
				kls.push(m);
			}
			await shot(page, "lesson-flows.png");
			assert(problems.length === 0, problems.join("; "));
			return kls.join(" | ");
		}), { timeout: 900_000 });

		await checkIf("hostile lesson= and step= fall back with notes", async () => {
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
