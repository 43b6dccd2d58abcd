// End-to-end checks of the interface's language (issue 20) in Chromium:
// lang=vi in the link opens the playground in Vietnamese (the game's words
// and the loader's), the top bar's EN/VI switch changes the language and the
// link, and without lang= the browser's language decides.
//
//   node lang.mjs    (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as in e2e.mjs)
//
// Screenshots go to E2E_OUT (dist/e2e): lang-vi.png, lang-en.png.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { assert, check, finish, firstFrame, launch, outDir, serve, sleep, state, watch } from "./harness.mjs";

// open loads url in a fresh context of the given locale and waits for the
// first frame and the top bar's buttons.
async function open(browser, url, locale) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url);
	await firstFrame(page);
	await page.waitForFunction(() => globalThis.vae.state().controls && globalThis.vae.state().controls.language, null, { timeout: 30_000, polling: 100 });
	return { context, page, problems };
}

// click presses the centre of control name (vae.state().controls, CSS
// pixels from the canvas's top-left).
async function click(page, name) {
	const s = await state(page);
	const r = s.controls[name];
	assert(r, `no control ${name}: ${Object.keys(s.controls).join(", ")}`);
	const box = await page.locator("canvas").first().boundingBox();
	await page.mouse.click(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
}

async function until(page, pred, what, timeout = 60_000) {
	const t0 = Date.now();
	let s;
	while (Date.now() - t0 < timeout) {
		s = await state(page);
		const hash = await page.evaluate(() => location.hash);
		if (pred(s, hash)) {
			return { s, hash };
		}
		await sleep(100);
	}
	throw new Error(`${what}: not within ${timeout} ms (lang ${s && s.lang}, config ${s && s.config})`);
}

const { url, child } = await serve();
const browser = await launch();
mkdirSync(outDir, { recursive: true });
try {
	await check("lang=vi opens in Vietnamese, loader included", async () => {
		const { context, page, problems } = await open(browser, url + "#data=8gaussians&lang=vi", "en-US");
		try {
			const s = await state(page);
			assert(s.lang === "vi", `lang ${s.lang}`);
			assert(s.title === "Sân chơi VAE", `title ${s.title}`);
			assert(s.config.includes("lang=vi"), `config ${s.config}`);
			const load = await page.evaluate(() => ({ lang: globalThis.vaeLoad.lang, html: document.documentElement.lang }));
			assert(load.lang === "vi" && load.html === "vi", `loader ${JSON.stringify(load)}`);
			await page.evaluate(() => globalThis.vae.do("play"));
			await until(page, (s) => s.step > 5, "training", 120_000);
			await sleep(1500);
			await page.screenshot({ path: resolve(outDir, "lang-vi.png"), timeout: 180_000 });
			assert(problems.length === 0, problems.join("; "));
			return `title ${s.title}`;
		} finally {
			await context.close();
		}
	});

	await check("the EN/VI switch changes the language and the link", async () => {
		const { context, page, problems } = await open(browser, url + "#data=moons&lang=vi", "en-US");
		try {
			await click(page, "language");
			// English is this browser's language: the link drops lang=.
			const en = await until(page, (s, hash) => s.lang === "en" && !hash.includes("lang="), "switch to English");
			assert(en.s.title === "VAE playground", `title ${en.s.title}`);
			await sleep(1000);
			await page.screenshot({ path: resolve(outDir, "lang-en.png"), timeout: 180_000 });
			await click(page, "language");
			const vi = await until(page, (s, hash) => s.lang === "vi" && hash.includes("lang=vi"), "switch back to Vietnamese");
			assert(vi.s.title === "Sân chơi VAE", `title ${vi.s.title}`);
			assert(problems.length === 0, problems.join("; "));
			return `links ${en.hash} → ${vi.hash}`;
		} finally {
			await context.close();
		}
	});

	await check("lang=vi: the loader's question whether to resume the saved session, in Vietnamese", async () => {
		const { context, page, problems } = await open(browser, url + "#data=8gaussians&lang=vi", "en-US");
		try {
			await page.evaluate(() => globalThis.vae.do("pause"));
			const step = (await state(page)).step + 3;
			await page.evaluate(() => globalThis.vae.do("steps 3"));
			await until(page, (s) => s.step === step && s.savedStep === step, "the session saved");
			await page.reload();
			await page.waitForSelector("#resume-yes", { timeout: 180_000 });
			const asked = await page.evaluate(() => ({
				title: document.querySelector("#loader h1").textContent,
				what: document.querySelector("#loader .what").textContent,
				question: document.getElementById("resume-question").textContent,
				detail: document.getElementById("resume-detail").textContent,
				yes: document.getElementById("resume-yes").textContent,
				no: document.getElementById("resume-no").textContent,
				lang: document.documentElement.lang,
			}));
			await page.screenshot({ path: resolve(outDir, "lang-vi-resume.png"), timeout: 180_000 });
			assert(asked.lang === "vi" && asked.title === "Sân chơi VAE" && asked.what.startsWith("Huấn luyện"), `loader ${JSON.stringify(asked)}`);
			assert(asked.question === "Tiếp tục từ chỗ bạn đã dừng?" && asked.yes === "Tiếp tục" && asked.no === "Bắt đầu lại", `question ${JSON.stringify(asked)}`);
			assert(asked.detail.startsWith(`bước ${step}, 8gaussians, tiên nghiệm chuẩn, lưu lúc `), `detail ${asked.detail}`);
			await page.click("#resume-yes");
			await firstFrame(page);
			const s = await state(page);
			assert(s.step === step && s.lang === "vi", `resumed at step ${s.step}, lang ${s.lang}`);
			assert(problems.length === 0, problems.join("; "));
			return `${asked.question} ${asked.detail} [${asked.yes}] [${asked.no}]`;
		} finally {
			await context.close();
		}
	});

	await check("without scripts the page says in each language that it needs them", async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		try {
			const page = await context.newPage();
			await page.goto(url);
			const text = await page.locator("noscript").first().evaluate((el) => el.parentElement.innerText);
			assert(text.includes("please turn on JavaScript") && text.includes("hãy bật JavaScript"), `page says ${JSON.stringify(text)}`);
			return text.replace(/\s+/g, " ").slice(0, 160);
		} finally {
			await context.close();
		}
	});

	await check("without lang= the browser's language decides", async () => {
		const { context, page, problems } = await open(browser, url + "#data=circles", "vi-VN");
		try {
			const s = await state(page);
			assert(s.lang === "vi" && s.title === "Sân chơi VAE", `lang ${s.lang}, title ${s.title}`);
			assert(!s.config.includes("lang="), `a Vietnamese browser's link carries lang=: ${s.config}`);
			await click(page, "language");
			const en = await until(page, (s, hash) => s.lang === "en" && hash.includes("lang=en"), "switch to English");
			assert(problems.length === 0, problems.join("; "));
			return `navigator.languages vi-VN; switched: ${en.hash}`;
		} finally {
			await context.close();
		}
	});
} finally {
	await browser.close();
	child.kill();
	finish("lang.json");
}
