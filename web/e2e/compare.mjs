// End-to-end checks of Compare in Debian's Chromium: a link with compare=
// opens A and B, each trains in its own worker (two cores or more), both
// step together and the results table appears;
// the same link reproduces both runs; a hostile compare= value opens with
// notes and runs nothing.
//
//   node compare.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { assert, check, finish, firstFrame, launch, run, serve, state, waitFor, watch } from "./harness.mjs";

const hash = "#data=8gaussians&seed=3&compare=prior:mixture";

async function open(browser, url) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url);
	await firstFrame(page);
	return { context, page, problems };
}

// tableAt waits until the table of the current step has come, paused.
async function tableAt(page) {
	await waitFor(page, () => {
		const c = globalThis.vae.state().compare;
		return c && !c.playing && c.table.exact && c.table.steps[0] === c.steps[0] && c.table.steps[1] === c.steps[1];
	}, null, 120_000);
	return (await state(page)).compare;
}

// stepped takes n steps of both with the '.' key and waits for them.
async function stepped(page, n) {
	for (let i = 0; i < n; i++) {
		const before = (await state(page)).compare.steps[0];
		await run(page, "key .");
		await waitFor(page, (b) => {
			const c = globalThis.vae.state().compare;
			return c.steps[0] === b + 1 && c.steps[1] === b + 1;
		}, before);
	}
}

async function main() {
	const { url, child } = await serve();
	const browser = await launch();
	try {
		await check("compare= opens A and B, both train step for step, the table appears", async () => {
			const { context, page, problems } = await open(browser, url + hash);
			const c0 = (await state(page)).compare;
			assert(c0, "no comparison: state().compare missing");
			assert(c0.spec === "prior:mixture", `spec ${c0.spec}`);
			// Two cores or more: B trains in a worker of its own, as A does.
			const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
			if (cores >= 2) {
				await waitFor(page, () => globalThis.vae.state().compare.trainers.join() === "worker,worker", null, 120_000);
			}
			await run(page, "key space");
			await waitFor(page, () => globalThis.vae.state().compare.steps[0] >= 30, null, 120_000);
			await run(page, "key space");
			const c = await tableAt(page);
			assert(c.steps[0] === c.steps[1], `steps A ${c.steps[0]}, B ${c.steps[1]}`);
			const names = c.table.rows.map((r) => r.metric);
			assert(names.join("|") === "ELBO|IWAE (k=100)|reconstruction|KL|active units|steps|steps/s", `rows ${names}`);
			const elbo = c.table.rows[0];
			assert(Number.isFinite(elbo.a) && Number.isFinite(elbo.b) && elbo.a !== elbo.b, `ELBO A ${elbo.a}, B ${elbo.b}`);
			assert(c.table.rows[1].a >= elbo.a - 1e-9, `IWAE ${c.table.rows[1].a} below the ELBO ${elbo.a}`);
			const config = (await state(page)).config;
			assert(config.includes("compare=prior:mixture"), `config ${config}`);
			assert(problems.length === 0, problems.join("; "));
			await context.close();
			return `${cores} cores; ${c.steps[0]} steps each; ELBO A ${elbo.a.toFixed(3)}, B ${elbo.b.toFixed(3)} ± ${elbo.spread.toFixed(3)}; trainers ${c.trainers.join(", ")}`;
		});

		await check("the same link reproduces both runs (equal tables after the same ten steps)", async () => {
			const tables = [];
			for (let i = 0; i < 2; i++) {
				const { context, page } = await open(browser, url + hash);
				await stepped(page, 10);
				// As arrays: the rows' keys come in no fixed order.
				tables.push((await tableAt(page)).table.rows.slice(0, 5).map((r) => [r.metric, r.a, r.b, r.spread]));
				await context.close();
			}
			const [a, b] = tables.map((t) => JSON.stringify(t));
			assert(a === b, `tables differ: ${a} / ${b}`);
			return `ELBO A ${tables[0][0][1].toFixed(4)}, B ${tables[0][0][2].toFixed(4)} in both`;
		});

		await check("a hostile compare= value opens B as A with notes and runs nothing", async () => {
			const hostile = "#data=moons&compare=latent:999,nope:1,beta:NaN,%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E,width:32";
			const { context, page, problems } = await open(browser, url + hostile);
			let dialogs = 0;
			page.on("dialog", (d) => { dialogs++; d.dismiss(); });
			const c = (await state(page)).compare;
			assert(c && c.spec === "width:32", `spec ${c && c.spec}`);
			assert(c.notes.length === 4, `notes ${JSON.stringify(c.notes)}`);
			assert(await page.locator("img").count() === 0, "an img reached the page");
			assert(dialogs === 0 && problems.length === 0, `dialogs ${dialogs}; ${problems.join("; ")}`);
			await context.close();
			return c.notes.join("; ");
		});
	} finally {
		await browser.close();
		child.kill();
	}
	finish("compare.json");
}

main();
