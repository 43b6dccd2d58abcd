// End-to-end checks of autosave in Debian's Chromium: a run saved to
// IndexedDB and resumed after a reload goes on bit for bit; "Start fresh"
// and a link with other settings are asked about; a damaged record is set
// aside with a message and the page starts fresh.
//
//   node autosave.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { assert, check, finish, firstFrame, launch, run, serve, state, waitFor, watch } from "./harness.mjs";

const hash = "#data=8gaussians&prior=mixture&comps=4&seed=5&lr=0.004";

// steps takes n single steps and waits until the session has them all.
async function steps(page, n) {
	const start = (await state(page)).step;
	for (let i = 0; i < n; i++) {
		await run(page, "step");
	}
	await waitFor(page, (want) => globalThis.vae.state().step === want, start + n);
}

// saved waits until the session at its current step is in IndexedDB.
async function saved(page) {
	const step = (await state(page)).step;
	await waitFor(page, (want) => globalThis.vae.state().savedStep === want, step);
	return step;
}

// answer waits for the resume question and clicks the button with id.
async function answer(page, id) {
	await page.waitForSelector("#" + id, { timeout: 180_000 });
	const question = await page.textContent("#resume-question");
	const detail = await page.textContent("#resume-detail");
	await page.click("#" + id);
	return { question, detail };
}

// started opens the page in a fresh context, paused, after n steps (in the
// worker when worker is set).
async function started(browser, url, n, worker = false) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url + hash);
	await firstFrame(page);
	await run(page, "pause");
	if (worker) {
		await waitFor(page, () => globalThis.vae.state().trainer === "worker", null, 120_000);
	}
	await steps(page, n);
	return { context, page, problems };
}

async function main() {
	const { url, child } = await serve();
	const browser = await launch();
	try {
		await check("a reloaded page resumes the run where it stood, bit for bit", async () => {
			const reference = await started(browser, url, 50, true);
			const want = (await state(reference.page)).elbo;
			await reference.context.close();

			const { context, page, problems } = await started(browser, url, 30, true);
			await saved(page);
			await page.reload();
			const asked = await answer(page, "resume-yes");
			assert(/Resume where you left off/.test(asked.question), `asked ${JSON.stringify(asked)}`);
			assert(/step 30, 8gaussians, mixture prior/.test(asked.detail), `the question says ${asked.detail}`);
			await firstFrame(page);
			let s = await state(page);
			assert(s.step === 30, `resumed at step ${s.step}`);
			assert(/resumed/.test(s.message), `message ${s.message}`);
			await waitFor(page, () => globalThis.vae.state().trainer === "worker", null, 120_000);
			await steps(page, 20);
			s = await state(page);
			assert(s.elbo === want, `ELBO ${s.elbo} after resuming, ${want} uninterrupted`);
			assert(problems.length === 0, problems.join(" | "));
			await context.close();
			return `step 50: ELBO ${want.toFixed(6)} both ways`;
		});

		await check("start fresh, and a link with other settings asks before replacing the saved session", async () => {
			const { context, page } = await started(browser, url, 5);
			await saved(page);
			await page.goto(url + "#data=moons&prior=standard");
			await page.reload();
			const asked = await answer(page, "resume-no"); // "Resume saved session"
			assert(/other settings/.test(asked.question), `asked ${asked.question}`);
			await firstFrame(page);
			let s = await state(page);
			assert(s.step === 5 && s.dataset === "8gaussians", `resumed ${s.dataset} at step ${s.step}`);

			await page.reload();
			await answer(page, "resume-no"); // "Start fresh"
			await firstFrame(page);
			s = await state(page);
			assert(s.step === 0, `fresh start at step ${s.step}`);
			await context.close();
		});

		await check("a damaged saved session is set aside with one line; the page starts fresh", async () => {
			const { context, page, problems } = await started(browser, url, 5);
			await saved(page);
			// Cut the record in half, as a write killed midway would leave it.
			const kept = await page.evaluate(() => new Promise((resolve, reject) => {
				const open = indexedDB.open("vae-playground", 1);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const get = db.transaction("session").objectStore("session").get("current");
					get.onsuccess = () => {
						const cut = get.result.slice(0, get.result.length >> 1);
						const tx = db.transaction("session", "readwrite");
						tx.objectStore("session").put(cut, "current");
						tx.oncomplete = () => { db.close(); resolve(cut.length); };
						tx.onerror = () => reject(tx.error);
					};
				};
			}));
			await page.reload();
			await firstFrame(page); // no question: nothing to resume
			const s = await state(page);
			assert(s.step === 0, `started at step ${s.step}`);
			assert(/could not be resumed .*set aside/.test(s.message), `message: ${s.message}`);
			const aside = await page.evaluate(() => new Promise((resolve) => {
				const open = indexedDB.open("vae-playground", 1);
				open.onsuccess = () => {
					const get = open.result.transaction("session").objectStore("session").get("unreadable");
					get.onsuccess = () => resolve(get.result ? get.result.length : 0);
				};
			}));
			assert(aside === kept, `set aside ${aside} bytes, cut record had ${kept}`);
			assert(problems.length === 0, problems.join(" | "));
			await context.close();
			return s.message;
		});
	} finally {
		await browser.close();
		child.kill();
	}
	finish("autosave.json");
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
