// End-to-end tests of the site offline (issue 22), in Debian's Chromium
// through playwright-core, beside e2e.mjs and worker.mjs (make test-e2e runs
// all three). The site is copied to a folder of its own and served from
// there, so that a second build (the same game, one changed file, built by
// cmd/site without compressed copies to be quick) can replace it at the same
// URL. The checks: the first visit's service worker keeps the whole build;
// the manifest is valid and Chromium deems the site installable; with the
// network off the page opens, counts its bytes right and trains in its
// worker; MNIST fetched once opens offline; a rebuilt site is picked up on
// the next load after its install, whole, with the data set kept, and opens
// offline as the new build; all of it under a sub-path.
//
//   node offline.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs;
//                       E2E_GO, the go command for the second build)
//
// E2E_GROUPS (as for e2e.mjs) runs this file only when it lists "offline".
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { assert, check as checkWithin, chromiumFlags, chromiumPath, finish, outDir, repo, serve, siteDir, sleep, startTimeout } from "./harness.mjs";

const goCmd = process.env.E2E_GO || "go";
// A check here may wait for a second site's build, two installs and an
// activation, or train on a loaded machine: ten minutes at most.
const check = (name, fn) => checkWithin(name, fn, { timeout: 600_000 });

// buildSecond builds the second site: the first one's game and worker, the
// sources of web/ with one changed file, the same data sets.
function buildSecond(tmp) {
	const web = join(tmp, "web-second");
	mkdirSync(web);
	for (const name of readdirSync(resolve(repo, "web"))) {
		const p = resolve(repo, "web", name);
		if (statSync(p).isFile()) {
			cpSync(p, join(web, name));
		}
	}
	appendFileSync(join(web, "style.css"), "\n/* the second build */\n");
	const out = join(tmp, "site-second");
	return new Promise((done, reject) => {
		const child = spawn(goCmd, ["run", "./cmd/site", "-out", out, "-web", web, "-data", join(siteDir, "data"),
			"-game-wasm", join(siteDir, "playground.wasm"), "-worker-wasm", join(siteDir, "worker.wasm"), "-compress=false"],
		{ cwd: repo, stdio: ["ignore", "ignore", "inherit"] });
		child.on("error", reject);
		child.on("exit", (code) => (code === 0 ? done(out) : reject(new Error(`the second build failed (exit ${code})`))));
	});
}

// builtList is what a build's sw.js and index.html say of it.
function builtList(dir) {
	const sw = readFileSync(join(dir, "sw.js"), "utf8").match(/^const site = (\{.*\}); \/\/ written by cmd\/site$/m);
	const index = readFileSync(join(dir, "index.html"), "utf8").match(/<script id="site-manifest" type="application\/json">(.*?)<\/script>/);
	assert(sw && index, `${dir} was not built by cmd/site`);
	return { ...JSON.parse(sw[1]), page: JSON.parse(index[1]).files };
}

const initScript = () => {
	globalThis.__progressMax = 0;
	new MutationObserver(() => {
		const bar = document.getElementById("loader-progress");
		if (bar && bar.hasAttribute("value") && bar.max > 0) {
			globalThis.__progressMax = Math.max(globalThis.__progressMax, bar.value / bar.max);
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ["value", "max"] });
};

// watch records a page's console errors and warnings, page errors and responses.
function watch(page) {
	const log = { problems: [], responses: [] };
	page.on("console", (m) => {
		if (/GL Driver Message .*GPU stall due to ReadPixels/.test(m.text())) {
			return; // the driver's note on a read-back (see e2e.mjs)
		}
		if (m.type() === "error" || m.type() === "warning") {
			log.problems.push(`${m.type()}: ${m.text()}`);
		}
	});
	page.on("pageerror", (e) => log.problems.push("page error: " + e));
	page.on("response", (r) => log.responses.push(r));
	return log;
}

// started waits for the first frame, across the navigation a new build's
// hand-over makes, answering the loader's resume question if it asks.
async function started(page) {
	const t0 = Date.now();
	for (;;) {
		try {
			await page.waitForFunction(() => globalThis.vaeLoad && (globalThis.vaeLoad.firstFrame > 0 ||
				globalThis.vaeLoad.phase === "failed" || globalThis.vaeLoad.phase === "asking"),
				null, { timeout: startTimeout, polling: 100 });
			const load = await page.evaluate(() => globalThis.vaeLoad);
			assert(load.phase !== "failed", "the loader failed: " + load.error);
			if (load.phase === "asking") {
				// A page trained before in this context left a saved session:
				// the first button opens the link (or resumes, without one).
				await page.click("#resume-yes", { timeout: 120_000 }); // the page's thread may be busy a while
				continue;
			}
			await page.waitForFunction(() => globalThis.vae && typeof globalThis.vae.state === "function", null, { timeout: 60_000 });
			return load;
		} catch (err) {
			if (!/context was destroyed|navigat/i.test(String(err)) || Date.now() - t0 > startTimeout) {
				throw err;
			}
		}
	}
}

const state = (page) => page.evaluate(() => globalThis.vae.state());
const run = (page, cmd) => page.evaluate((c) => globalThis.vae.do(c), cmd);

// cached lists the origin's caches and, in each, every entry's URL and the
// site builder's hash of its bytes (the first 6 bytes of SHA-256).
function cached(page) {
	return page.evaluate(async () => {
		const out = {};
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			out[name] = {};
			for (const request of await cache.keys()) {
				const bytes = await (await cache.match(request)).arrayBuffer();
				const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
				out[name][request.url] = Array.from(sum.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
			}
		}
		return out;
	});
}

// holdsBuild asserts that the caches hold exactly one build of the site at
// scope, the given one, whole and true to its hashes.
function holdsBuild(caches, scope, list) {
	const ours = Object.keys(caches).filter((name) => name.startsWith("vae-site " + scope + " "));
	assert(ours.length === 1 && ours[0] === `vae-site ${scope} ${list.build}`, `site caches ${JSON.stringify(ours)}, want build ${list.build} only`);
	const entries = caches[ours[0]];
	const want = Object.entries(list.files).map(([name, f]) => [new URL(name + "?v=" + f.version, scope).href, f.version]);
	assert(Object.keys(entries).length === want.length, `the cache holds ${Object.keys(entries).length} files, the build ${want.length}`);
	for (const [url, version] of want) {
		assert(entries[url] === version, `${url}: cached bytes hash to ${entries[url]}`);
	}
	return want.length;
}

async function elboImproves(page) {
	assert(await run(page, "reset") === "ok", "reset refused");
	assert(await run(page, "play") === "ok", "play refused");
	const samples = [];
	const t0 = Date.now();
	// At least 8 s and 400 steps (seven minutes at most: on a loaded machine
	// a step may take a second): fewer are noise.
	const enough = () => samples.length >= 10 && samples[samples.length - 1].step - samples[0].step >= 400;
	while (Date.now() - t0 < 8000 || (!enough() && Date.now() - t0 < 420_000)) {
		const s = await state(page);
		if (Number.isFinite(s.elbo)) {
			samples.push({ step: s.step, elbo: s.elbo });
		}
		await sleep(100);
	}
	assert(samples.length >= 10, `only ${samples.length} finite ELBO readings in 420 s`);
	const k = Math.max(3, Math.floor(samples.length / 5));
	const mean = (xs) => xs.reduce((a, b) => a + b.elbo, 0) / xs.length;
	const early = mean(samples.slice(0, k)), late = mean(samples.slice(-k));
	assert(late > early, `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over steps ${samples[0].step} → ${samples[samples.length - 1].step} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	return `ELBO ${early.toFixed(3)} → ${late.toFixed(3)} over ${samples[samples.length - 1].step - samples[0].step} steps`;
}

async function workerAttached(page) {
	await page.waitForFunction(() => globalThis.vae.state().trainer === "worker", null, { timeout: 60_000, polling: 100 })
		.catch(() => {});
	const s = await state(page);
	assert(s.trainer === "worker" && s.workerStatus === "attached", `trainer ${s.trainer}, worker ${s.workerStatus} (${s.workerError || ""})`);
}

async function main() {
	const groups = (process.env.E2E_GROUPS || "offline").split(",");
	if (!groups.includes("offline")) {
		return;
	}
	mkdirSync(outDir, { recursive: true });
	const tmp = mkdtempSync(join(tmpdir(), "vae-offline-"));
	const live = join(tmp, "live");
	cpSync(siteDir, live, { recursive: true });
	const first = builtList(live);
	const second = buildSecond(tmp).then((dir) => ({ dir, list: builtList(dir) }));
	second.catch(() => {});
	const root = await serve("/", live);
	const sub = await serve("/some/path/", live);
	const args = chromiumFlags;
	// A profile on disk: Chromium deems nothing installable in an incognito one.
	const context = await chromium.launchPersistentContext(join(tmp, "profile"), {
		executablePath: chromiumPath, headless: true, args, viewport: { width: 1280, height: 800 },
	});
	await context.addInitScript(initScript);
	console.log(`site ${siteDir} (build ${first.build}) copied to ${live}, served at ${root.url} and ${sub.url}`);
	try {
		await rootChecks(context, root.url, first, second, tmp, live);
	} finally {
		await context.close();
	}
	const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
	try {
		await subPathChecks(browser, sub.url);
	} finally {
		await browser.close();
		root.child.kill();
		sub.child.kill();
		rmSync(tmp, { recursive: true, force: true });
	}
	finish("offline-results.json");
}

async function rootChecks(context, url, first, second, tmp, live) {
	const page = await context.newPage();
	let log = watch(page);
	const ok = await check("first visit: the service worker takes the page and keeps the whole build, checked by hash", async () => {
		await page.goto(url);
		await started(page);
		await page.waitForFunction(() => globalThis.vaeLoad.offline !== "installing", null, { timeout: startTimeout, polling: 200 });
		const offline = await page.evaluate(() => globalThis.vaeLoad.offline);
		assert(offline === "ready", `the service worker: ${offline}`);
		const n = holdsBuild(await cached(page), url, first);
		assert(log.problems.length === 0, log.problems.slice(0, 5).join(" | "));
		return `${n} files in the cache of build ${first.build}`;
	});
	if (!ok) {
		return;
	}

	await check("the web app manifest is valid and Chromium deems the site installable", async () => {
		const cdp = await context.newCDPSession(page);
		const manifest = await cdp.send("Page.getAppManifest");
		assert(manifest.errors.length === 0, `manifest errors: ${JSON.stringify(manifest.errors)}`);
		const parsed = JSON.parse(manifest.data);
		assert(parsed.icons.some((i) => i.sizes === "512x512") && parsed.icons.some((i) => i.sizes === "192x192"), "no 192 and 512 px icons");
		const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
		await cdp.detach();
		assert(installabilityErrors.length === 0, `installability errors: ${JSON.stringify(installabilityErrors)}`);
		// The icons are served and are the PNGs the manifest says.
		for (const icon of parsed.icons.filter((i) => i.type === "image/png")) {
			const size = await page.evaluate(async (src) => {
				const bitmap = await createImageBitmap(await (await fetch(src)).blob());
				return `${bitmap.width}x${bitmap.height}`;
			}, icon.src);
			assert(size === icon.sizes, `${icon.src} is ${size}, the manifest says ${icon.sizes}`);
		}
		return `${manifest.url.split("/").pop()}: ${parsed.icons.map((i) => i.src + " " + i.sizes).join(", ")}`;
	});

	await check("MNIST fetched once online is kept in the data cache", async () => {
		const mnist = await context.newPage();
		const mlog = watch(mnist);
		try {
			await mnist.goto(url + "#data=mnist&d.n=2000");
			await started(mnist);
			await mnist.waitForFunction(() => globalThis.vae.state().dataset === "mnist" && globalThis.vae.state().points > 0, null, { timeout: 120_000, polling: 200 });
			const entry = first.data["data/mnist.vpk"];
			assert(entry, "the build lists no data/mnist.vpk");
			const data = (await cached(mnist))["vae-data " + url] || {};
			const key = new URL("data/mnist.vpk?v=" + entry.version, url).href;
			assert(data[key] === entry.version, `data cache: ${JSON.stringify(data)}`);
			assert(mlog.problems.length === 0, mlog.problems.slice(0, 5).join(" | "));
			return `${key.split("/").pop()} kept`;
		} finally {
			await mnist.close();
		}
	});

	await check("offline: the page opens from the cache, counts its bytes right, and trains in its worker", async () => {
		await context.setOffline(true);
		log = watch(page);
		await page.reload();
		const load = await started(page);
		const progressMax = await page.evaluate(() => globalThis.__progressMax);
		assert(load.total > 0 && load.loaded === load.total, `loaded ${load.loaded} of ${load.total} bytes`);
		assert(progressMax >= 1, `the progress bar reached ${(100 * progressMax).toFixed(1)} %`);
		const network = log.responses.filter((r) => !r.fromServiceWorker()).map((r) => r.url());
		assert(network.length === 0, `not from the service worker: ${network.join(", ")}`);
		const trained = await elboImproves(page);
		await workerAttached(page);
		assert(log.problems.length === 0, log.problems.slice(0, 5).join(" | "));
		return `${load.total} bytes, first frame ${(load.firstFrame - load.started).toFixed(0)} ms after the loader started; ${trained}; trainer worker`;
	});

	await check("offline: the example article with its two embedded figures opens from the cache", async () => {
		const article = await context.newPage();
		const alog = watch(article);
		try {
			const response = await article.goto(url + "embed-example.html");
			assert(response && response.ok() && response.fromServiceWorker(), `embed-example.html: ${response && response.status()}, from the service worker ${response && response.fromServiceWorker()}`);
			assert(/Embedding/.test(await article.title()), `title "${await article.title()}"`);
			const styled = await article.evaluate(() => getComputedStyle(document.body).backgroundColor);
			assert(styled === "rgb(247, 246, 242)", `the article's stylesheet did not apply offline (background ${styled})`);
			await article.evaluate(() => document.querySelectorAll("iframe").forEach((f) => f.setAttribute("loading", "eager")));
			await article.waitForFunction(() => [...document.querySelectorAll("iframe")].every((f) => {
				const w = f.contentWindow;
				return w && w.vaeLoad && w.vaeLoad.firstFrame > 0;
			}), null, { timeout: 180_000, polling: 500 });
			const network = alog.responses.filter((r) => !r.fromServiceWorker()).map((r) => r.url());
			assert(network.length === 0, `not from the service worker: ${network.join(", ")}`);
			return "the article, its stylesheet and both figures' first frames, all from the service worker";
		} finally {
			await article.close();
		}
	});

	await check("offline: MNIST fetched once opens from the data cache and trains", async () => {
		const mnist = await context.newPage();
		const mlog = watch(mnist);
		try {
			await mnist.goto(url + "#data=mnist&d.n=2000");
			await started(mnist);
			await mnist.waitForFunction(() => globalThis.vae.state().dataset === "mnist" && globalThis.vae.state().points > 0, null, { timeout: 120_000, polling: 200 });
			await run(mnist, "play");
			const a = await state(mnist);
			const t0 = Date.now();
			// A few steps (an image step may take seconds on a loaded machine).
			await mnist.waitForFunction((step) => globalThis.vae.state().step >= step + 3, a.step, { timeout: 240_000, polling: 500 })
				.catch(() => {});
			const b = await state(mnist);
			assert(b.step >= a.step + 3, `no training on MNIST offline: step ${a.step} → ${b.step} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
			assert(mlog.problems.length === 0, mlog.problems.slice(0, 5).join(" | "));
			return `${b.points} images; ${b.step - a.step} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
		} finally {
			await mnist.close();
			await context.setOffline(false);
		}
	});

	await check("a rebuilt site is picked up on the next load, whole: the old cache gone, no file of the old build, the data set kept, and it opens offline", async () => {
		const { dir, list } = await second;
		assert(list.build !== first.build, "the second build has the first one's name");
		const changed = Object.keys(list.files).filter((n) => !first.files[n] || first.files[n].version !== list.files[n].version);
		// The new build takes the place of the old at the same URL.
		cpSync(dir, live + ".next", { recursive: true });
		renameSync(live, live + ".old");
		renameSync(live + ".next", live);

		// The load after the rebuild is still the old build, whole; its
		// worker finds the new one and installs it beside.
		await page.reload();
		await started(page);
		const seen = await page.evaluate(() => JSON.parse(document.getElementById("site-manifest").textContent).files);
		assert(JSON.stringify(seen) === JSON.stringify(first.page), "the load after the rebuild mixed the builds");
		// (Polled here: waitForFunction takes a promise for a true answer.)
		for (const t0 = Date.now(); ; await sleep(500)) {
			const installed = await page.evaluate(async (build) => {
				const r = await navigator.serviceWorker.getRegistration();
				return !!(r && r.waiting && r.waiting.state === "installed" && (await caches.keys()).some((k) => k.endsWith(" " + build)));
			}, list.build);
			if (installed) {
				break;
			}
			assert(Date.now() - t0 < 120_000, "the new build did not install within 120 s");
		}
		const hash = await page.evaluate(() => location.hash);

		// The next load is the new build: the old worker, still in charge,
		// answers it with the new build's page and files from the new cache.
		log = watch(page);
		await page.reload();
		const load = await started(page);
		assert(load.loaded === load.total, `loaded ${load.loaded} of ${load.total} bytes`);
		const now = await page.evaluate(() => ({
			files: JSON.parse(document.getElementById("site-manifest").textContent).files,
			hash: location.hash,
			resources: performance.getEntriesByType("resource").map((e) => e.name),
		}));
		if (JSON.stringify(now.files) !== JSON.stringify(list.page)) {
			const sw = await page.evaluate(async () => {
				const r = await navigator.serviceWorker.getRegistration();
				return { active: r.active && r.active.state, waiting: r.waiting && r.waiting.state, caches: await caches.keys(), phase: globalThis.vaeLoad.phase };
			});
			throw new Error(`the page is not the new build's: ${JSON.stringify(sw)}`);
		}
		assert(now.hash === hash, `the settings in the URL were lost: ${hash} → ${now.hash}`);
		const loads = log.responses.filter((r) => r.request().isNavigationRequest()).length;
		assert(loads === 1, `${loads} loads of the page, want the one (no reload into the new build)`);
		for (const name of now.resources) {
			const u = new URL(name);
			const file = u.pathname.split("/").pop();
			const v = u.searchParams.get("v");
			if (v) {
				assert(list.files[file] && list.files[file].version === v, `${file}?v=${v} is not of the new build`);
			}
		}
		const css = await page.evaluate(async () => (await fetch(document.querySelector("link[rel=stylesheet]").href)).text());
		assert(css.includes("the second build"), "style.css is not the new build's");
		// The new worker activates once the old one has nothing left to do
		// (Chromium's rule), and then deletes the old cache.
		let all;
		for (const t0 = Date.now(); ; await sleep(1000)) {
			all = await cached(page);
			try {
				holdsBuild(all, url, list);
				break;
			} catch (err) {
				if (Date.now() - t0 > 180_000) {
					const sw = await page.evaluate(async () => {
						const r = await navigator.serviceWorker.getRegistration();
						return { active: r.active && r.active.state, waiting: r.waiting && r.waiting.state };
					});
					throw new Error(`${err.message} 180 s after the load (${JSON.stringify(sw)})`);
				}
			}
		}
		const entry = list.data["data/mnist.vpk"];
		const key = new URL("data/mnist.vpk?v=" + entry.version, url).href;
		assert((all["vae-data " + url] || {})[key] === entry.version, "the data set was dropped with the old build");
		await page.waitForFunction(() => globalThis.vaeLoad.offline !== "installing", null, { timeout: 60_000, polling: 200 });
		await workerAttached(page);
		assert(log.problems.length === 0, log.problems.slice(0, 5).join(" | "));

		// Offline, the page opens as the new build, from its cache alone.
		await context.setOffline(true);
		try {
			log = watch(page);
			await page.reload();
			const again = await started(page);
			assert(again.loaded === again.total, `offline: loaded ${again.loaded} of ${again.total} bytes`);
			const files = await page.evaluate(() => JSON.parse(document.getElementById("site-manifest").textContent).files);
			assert(JSON.stringify(files) === JSON.stringify(list.page), "offline, the page is not the new build's");
			const network = log.responses.filter((r) => !r.fromServiceWorker()).map((r) => r.url());
			assert(network.length === 0, `offline, not from the service worker: ${network.join(", ")}`);
			await workerAttached(page);
			assert(log.problems.length === 0, log.problems.slice(0, 5).join(" | "));
		} finally {
			await context.setOffline(false);
		}
		return `build ${first.build} → ${list.build} (changed: ${changed.join(", ")}); ${now.resources.length} resources, all of the new build; mnist kept; opens offline as the new build`;
	});
}

async function subPathChecks(browser, url) {
	await check("under a sub-path (" + new URL(url).pathname + "): kept whole, opens offline and trains", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		await context.addInitScript(initScript);
		const page = await context.newPage();
		const log = watch(page);
		try {
			await page.goto(url);
			await started(page);
			await page.waitForFunction(() => globalThis.vaeLoad.offline !== "installing", null, { timeout: startTimeout, polling: 200 });
			assert(await page.evaluate(() => globalThis.vaeLoad.offline) === "ready", "the service worker is not ready");
			const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
			assert(scope === url, `scope ${scope}, want ${url}`);
			const list = await page.evaluate(() => JSON.parse(document.getElementById("site-manifest").textContent).files);
			const names = Object.keys(await cached(page));
			assert(names.every((n) => n.includes(" " + url)), `caches outside the scope: ${names}`);
			await context.setOffline(true);
			await page.reload();
			const load = await started(page);
			assert(load.loaded === load.total, `loaded ${load.loaded} of ${load.total} bytes`);
			const paths = log.responses.map((r) => new URL(r.url()).pathname);
			assert(paths.every((p) => p.startsWith(new URL(url).pathname)), `requests outside the sub-path: ${paths.filter((p) => !p.startsWith(new URL(url).pathname))}`);
			const trained = await elboImproves(page);
			await workerAttached(page);
			assert(log.problems.length === 0, log.problems.slice(0, 5).join(" | "));
			return `scope ${scope}; ${Object.keys(list).length} files; ${trained}`;
		} finally {
			await context.close();
		}
	});
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
