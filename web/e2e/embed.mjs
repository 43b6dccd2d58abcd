// End-to-end checks of embedding in Debian's Chromium: the example article
// (embed-example.html) opens two live figures in sandboxed iframes, both
// reach their first frame with only the latent view and no controls, both
// train when their Play is clicked, "Open in the playground" opens the full
// page with the same settings in a new tab; a hostile views=/controls=
// opens the defaults with notes; and what a frame sandboxed with
// allow-scripts alone does.
//
//   node embed.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { assert, check, finish, launch, outDir, serve, sleep, startTimeout, watch } from "./harness.mjs";

// frameFirst waits until the playground in frame has drawn its first
// frame (or its loader failed) and returns the loader's state.
async function frameFirst(frame) {
	await frame.waitForFunction(() => globalThis.vaeLoad && (globalThis.vaeLoad.firstFrame > 0 || globalThis.vaeLoad.phase === "failed"),
		null, { timeout: startTimeout, polling: 200 });
	const load = await frame.evaluate(() => globalThis.vaeLoad);
	if (load.phase !== "failed") {
		await frame.waitForFunction(() => globalThis.vae && typeof globalThis.vae.state === "function", null, { timeout: 60_000, polling: 200 });
	}
	return load;
}

const frameState = (frame) => frame.evaluate(() => globalThis.vae.state());

// clickIn clicks the top bar's button id of the playground in frame, as a
// user does: the pointer over it until the game has drawn two frames, then
// down and up with as many frames between.
async function clickIn(page, frame, id) {
	const s = await frameState(frame);
	const b = s.buttons && s.buttons[id];
	assert(b && b.w > 0, `no ${id} button in ${JSON.stringify(s.buttons)}`);
	const box = await (await frame.frameElement()).boundingBox();
	const canvas = await frame.evaluate(() => {
		const r = document.querySelector("canvas").getBoundingClientRect();
		return { x: r.x, y: r.y };
	});
	const frames = async () => (await frameState(frame)).frames;
	const afterFrames = async () => {
		const f0 = await frames();
		for (let i = 0; i < 200 && (await frames()) < f0 + 2; i++) {
			await sleep(50);
		}
	};
	await page.mouse.move(box.x + canvas.x + b.x + b.w / 2, box.y + canvas.y + b.y + b.h / 2);
	await afterFrames();
	await page.mouse.down();
	await afterFrames();
	await page.mouse.up();
	await afterFrames();
}

const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function main() {
	const { url, child } = await serve();
	const origin = new URL(url).origin;
	const browser = await launch();
	const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
	const page = await context.newPage();
	// Chromium notes that a frame with both allow-scripts and
	// allow-same-origin can lift its own sandbox: true of any same-origin
	// figure so sandboxed, and what the example shows.
	const problems = watch(page);
	const sandboxNote = /can escape its sandboxing/;
	const foreign = [];
	context.on("request", (r) => {
		if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) {
			foreign.push(r.url());
		}
	});
	let figures = [];
	try {
		await check("embed-example.html: both figures reach their first frame, the latent view alone, no controls", async () => {
			await page.goto(url + "embed-example.html");
			await page.waitForFunction(() => document.querySelectorAll("iframe").length === 2);
			// The figures by their iframe's src (the page rewrites its own
			// fragment to the canonical link, which drops prior=standard).
			const byPrior = {};
			for (const el of await page.$$("iframe")) {
				const m = /prior=(\w+)/.exec(await el.getAttribute("src"));
				const f = await el.contentFrame();
				if (m && f) {
					byPrior[m[1]] = f;
				}
			}
			assert(byPrior.standard && byPrior.mixture, `frames ${page.frames().map((f) => f.url()).join(", ")}`);
			figures = [byPrior.standard, byPrior.mixture];
			const loads = await Promise.all(figures.map(frameFirst));
			for (const load of loads) {
				assert(load.phase !== "failed", "a figure's loader failed: " + load.error);
				assert(load.offline === "off", `an embed registered the service worker: ${load.offline}`);
			}
			const out = [];
			for (const [i, f] of figures.entries()) {
				const s = await frameState(f);
				assert(s.shown.embed === true, `figure ${i}: not an embed`);
				assert(sameList(s.shown.views, ["latent"]), `figure ${i}: views ${JSON.stringify(s.shown.views)}`);
				assert(sameList(s.shown.controls, []), `figure ${i}: controls ${JSON.stringify(s.shown.controls)}`);
				assert(s.notes.length === 0, `figure ${i}: notes ${JSON.stringify(s.notes)}`);
				assert(s.prior === ["standard", "mixture"][i] && s.dataset === "8gaussians", `figure ${i}: ${s.prior} on ${s.dataset}`);
				assert(s.savedStep === undefined, `figure ${i} autosaves (savedStep ${s.savedStep})`);
				const ids = Object.keys(s.buttons).sort().join();
				assert(ids === "open,play,reset,step", `figure ${i}: buttons ${ids}`);
				assert(s.column.w === 0, `figure ${i}: a controls column ${JSON.stringify(s.column)}`);
				out.push(`${s.prior}: ${s.frame.w}×${s.frame.h}`);
			}
			return out.join(", ");
		}, { timeout: 600_000 });

		await check("both figures train when played (their step counts rise)", async () => {
			assert(figures.length === 2, "no figures");
			for (const f of figures) {
				await clickIn(page, f, "play");
			}
			const first = await Promise.all(figures.map(frameState));
			for (const [i, s] of first.entries()) {
				assert(s.playing, `figure ${i} does not play after a click on Play`);
			}
			await sleep(4000);
			const steps = [];
			for (const [i, f] of figures.entries()) {
				try {
					await f.waitForFunction((n) => globalThis.vae.state().step > n + 10, first[i].step, { timeout: 120_000, polling: 500 });
				} catch (err) {
					const s = await frameState(f);
					throw new Error(`figure ${i}: ${err.message.split("\n")[0]}; step ${first[i].step} → ${s.step}, playing ${s.playing}, trainer ${s.trainer}, worker ${s.workerStatus}, message ${s.message}`);
				}
				const s = await frameState(f);
				assert(Number.isFinite(s.elbo), `figure ${i}: ELBO ${s.elbo}`);
				steps.push(`${s.prior} step ${first[i].step} → ${s.step}, ELBO ${s.elbo.toFixed(3)}`);
			}
			mkdirSync(outDir, { recursive: true });
			await page.screenshot({ path: resolve(outDir, "embed-example.png"), timeout: 120_000 });
			return steps.join("; ");
		}, { timeout: 600_000 });

		await check("Open in the playground opens the full page with the figure's settings in a new tab", async () => {
			const f = figures[1];
			const before = await frameState(f);
			const [popup] = await Promise.all([
				context.waitForEvent("page", { timeout: 60_000 }),
				clickIn(page, f, "open"),
			]);
			const popupProblems = watch(popup);
			await popup.waitForLoadState("domcontentloaded");
			const hash = decodeURIComponent(new URL(popup.url()).hash);
			assert(/prior=mixture/.test(hash) && /data=8gaussians/.test(hash), `opened ${popup.url()}`);
			assert(!/embed=|views=|controls=/.test(hash), `the full page's link keeps the embed's keys: ${hash}`);
			const raw = new URL(popup.url()).hash;
			assert(raw === "#" + before.playgroundLink, `opened ${raw}, the figure's playground link is ${before.playgroundLink}`);
			let load;
			try {
				load = await frameFirst(popup.mainFrame());
			} catch (err) {
				const l = await popup.evaluate(() => globalThis.vaeLoad).catch((e) => e.message);
				throw new Error(`the full page: ${err.message.split("\n")[0]}; loader ${JSON.stringify(l)}`);
			}
			assert(load.phase !== "failed", "the full page failed: " + load.error);
			const s = await frameState(popup.mainFrame());
			assert(!s.shown.embed && s.shown.views.length === 5, `the full page shows ${JSON.stringify(s.shown)}`);
			assert(s.shown.controls.length > 15, `the full page offers ${s.shown.controls.length} controls`);
			assert(s.prior === "mixture" && s.buttons.help, `prior ${s.prior}, buttons ${Object.keys(s.buttons)}`);
			mkdirSync(outDir, { recursive: true });
			await popup.screenshot({ path: resolve(outDir, "embed-opened.png"), timeout: 120_000 });
			await popup.close();
			assert(popupProblems.length === 0, popupProblems.join("; "));
			return `${popup.url().replace(origin, "")}`;
		}, { timeout: 600_000 });

		await check("a hostile views= and controls= open the defaults with a note, run no script and add nothing to the page", async () => {
			const p = await context.newPage();
			const pageProblems = watch(p);
			const hostile = "#embed=1&views=" + encodeURIComponent("<img src=x onerror=alert(1)>,bogus") +
				"&controls=" + encodeURIComponent("<script>window.pwned=1</script>");
			let dialogs = 0;
			p.on("dialog", (d) => { dialogs++; d.dismiss().catch(() => {}); });
			await p.goto(url + hostile);
			await frameFirst(p.mainFrame());
			await sleep(1000);
			const s = await frameState(p.mainFrame());
			const notes = s.notes.join("; ");
			assert(/views: unknown/.test(notes) && /every view shown/.test(notes), `notes: ${notes}`);
			assert(/controls: unknown/.test(notes), `notes: ${notes}`);
			assert(sameList(s.shown.views, ["data", "latent", "loss", "kl", "flow"]), `views ${JSON.stringify(s.shown.views)}`);
			assert(sameList(s.shown.controls, []) && s.shown.embed, `an embed with bad controls offers ${JSON.stringify(s.shown.controls)}`);
			const dom = await p.evaluate(() => ({ pwned: !!window.pwned, imgs: document.querySelectorAll("img:not(.logo)").length, scripts: document.scripts.length }));
			assert(!dom.pwned && dom.imgs === 0 && dialogs === 0, `script ran or markup added: ${JSON.stringify(dom)}, dialogs ${dialogs}`);
			// The same outside an embed: every control.
			await p.goto(url + "#controls=nope&views=zzz");
			await p.reload();
			await frameFirst(p.mainFrame());
			const t = await frameState(p.mainFrame());
			assert(t.shown.controls.length > 15 && t.shown.views.length === 5 && !t.shown.embed, `shown ${JSON.stringify(t.shown)}`);
			assert(/controls: none known/.test(t.notes.join("; ")), `notes ${t.notes}`);
			await p.close();
			assert(pageProblems.length === 0, pageProblems.join("; "));
			return notes.slice(0, 160);
		});

		await check("a frame sandboxed with allow-scripts alone (an opaque origin) starts and trains in the page", async () => {
			const p = await context.newPage();
			const frameProblems = watch(p);
			await p.goto(url + "embed-example.html");
			await p.evaluate(() => {
				for (const f of document.querySelectorAll("iframe")) {
					f.remove();
				}
				const f = document.createElement("iframe");
				f.setAttribute("sandbox", "allow-scripts");
				f.style.width = "640px";
				f.style.height = "420px";
				f.src = "index.html#data=8gaussians&embed=1&views=latent,loss";
				document.querySelector("article").appendChild(f);
			});
			let frame;
			for (let i = 0; i < 100 && !frame; i++) {
				frame = p.frames().find((f) => /embed=1/.test(f.url()));
				await sleep(100);
			}
			assert(frame, "no frame");
			// Its fetches are cross-origin reads (cmd/serve allows them); no
			// service worker, no IndexedDB, no training worker (a worker's
			// script must be of the frame's origin): it trains in the page.
			const load = await frameFirst(frame);
			assert(load.phase !== "failed", "the sandboxed frame failed: " + load.error);
			assert(await frame.evaluate(() => self.origin) === "null", "the frame's origin is not opaque");
			await clickIn(p, frame, "play");
			try {
				await frame.waitForFunction(() => globalThis.vae.state().step > 5, null, { timeout: 300_000, polling: 500 });
			} catch (err) {
				const s = await frameState(frame);
				throw new Error(`${err.message.split("\n")[0]}: step ${s.step}, playing ${s.playing}, frames ${s.frames}, trainer ${s.trainer}, message ${s.message}`);
			}
			const s = await frameState(frame);
			assert(s.notes.length === 0 && !s.diverged, `notes ${s.notes}, ${s.diverged}`);
			mkdirSync(outDir, { recursive: true });
			await p.screenshot({ path: resolve(outDir, "embed-sandboxed.png"), timeout: 120_000 });
			await p.close();
			const real = frameProblems.filter((m) => !sandboxNote.test(m));
			assert(real.length === 0, real.join("; "));
			return `trains (${s.trainer}, worker ${s.workerStatus}), step ${s.step}`;
		}, { timeout: 600_000 });

		await check("no console error or warning in the article and its figures, no request to another origin", async () => {
			const real = problems.filter((p) => !sandboxNote.test(p));
			assert(real.length === 0, real.join("; "));
			assert(foreign.length === 0, "requests to other origins: " + foreign.join(", "));
		});
	} finally {
		await browser.close();
		child.kill();
	}
	finish("embed.json");
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
