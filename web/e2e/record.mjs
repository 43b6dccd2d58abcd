// End-to-end checks of Record and Export data in Debian's Chromium: the key
// g starts a recording of the latent view while the model trains, the top
// bar's Record button stops it, and the page downloads an animated GIF of
// the view's size with about ten frames a second that change as it learns;
// Export data downloads a zip of the run's history and codes as CSV (and,
// while comparing, the results table).
//
//   node record.mjs   (E2E_SITE, E2E_SERVE, E2E_OUT, CHROMIUM as for e2e.mjs)
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { assert, check, finish, firstFrame, launch, run, serve, sleep, state, waitFor, watch } from "./harness.mjs";

// parseGIF reads what a viewer needs of a GIF: its size, and per frame the
// delay (centiseconds) and the rectangle it redraws.
export function parseGIF(b) {
	const sig = b.subarray(0, 6).toString("latin1");
	assert(sig === "GIF89a" || sig === "GIF87a", `not a GIF: ${JSON.stringify(sig)}`);
	const width = b.readUInt16LE(6), height = b.readUInt16LE(8);
	let p = 13;
	if (b[10] & 0x80) {
		p += 3 << ((b[10] & 7) + 1); // the global colour table
	}
	const skipBlocks = () => {
		while (b[p] !== 0) {
			p += b[p] + 1;
		}
		p++;
	};
	const frames = [];
	let delay = 0;
	for (;;) {
		assert(p < b.length, "the GIF ends without its trailer");
		const t = b[p++];
		if (t === 0x3b) {
			break;
		} else if (t === 0x21) {
			const label = b[p++];
			if (label === 0xf9) {
				delay = b.readUInt16LE(p + 2);
			}
			skipBlocks();
		} else if (t === 0x2c) {
			const rect = { x: b.readUInt16LE(p), y: b.readUInt16LE(p + 2), w: b.readUInt16LE(p + 4), h: b.readUInt16LE(p + 6) };
			const flags = b[p + 8];
			p += 9;
			if (flags & 0x80) {
				p += 3 << ((flags & 7) + 1);
			}
			p++; // the LZW minimum code size
			skipBlocks();
			assert(rect.x + rect.w <= width && rect.y + rect.h <= height, `frame ${frames.length} at ${JSON.stringify(rect)} outside ${width}×${height}`);
			frames.push({ delay, rect });
			delay = 0;
		} else {
			throw new Error(`unknown GIF block 0x${t.toString(16)} at ${p - 1}`);
		}
	}
	return { width, height, frames };
}

// unzip reads a zip's files (stored or deflated) through its central
// directory.
export function unzip(b) {
	let end = -1;
	for (let i = b.length - 22; i >= 0; i--) {
		if (b.readUInt32LE(i) === 0x06054b50) {
			end = i;
			break;
		}
	}
	assert(end >= 0, "not a zip: no end of central directory");
	const n = b.readUInt16LE(end + 10);
	let p = b.readUInt32LE(end + 16);
	const files = {};
	for (let i = 0; i < n; i++) {
		assert(b.readUInt32LE(p) === 0x02014b50, `central directory entry ${i} damaged`);
		const method = b.readUInt16LE(p + 10), size = b.readUInt32LE(p + 20);
		const nameLen = b.readUInt16LE(p + 28), extraLen = b.readUInt16LE(p + 30), commentLen = b.readUInt16LE(p + 32);
		const local = b.readUInt32LE(p + 42);
		const name = b.subarray(p + 46, p + 46 + nameLen).toString("utf8");
		const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
		const data = b.subarray(start, start + size);
		files[name] = (method === 8 ? inflateRawSync(data) : data).toString("utf8");
		p += 46 + nameLen + extraLen + commentLen;
	}
	return files;
}

const csvRows = (text) => text.trim().split("\n").map((l) => l.split(","));

async function open(browser, hash) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(url + hash);
	await firstFrame(page);
	return { context, page, problems };
}

// afterFrames waits until the game has drawn two more frames (a slow page
// may run no Update between a quick press and release).
async function afterFrames(page) {
	const f0 = (await state(page)).frames;
	for (let i = 0; i < 200 && (await state(page)).frames < f0 + 2; i++) {
		await sleep(50);
	}
}

// clickButton clicks the top bar's button id as a user does, each part
// held for two frames, and returns the download it starts (when download).
async function clickButton(page, id, download) {
	const s = await state(page);
	const b = s.buttons && s.buttons[id];
	assert(b && b.w > 0, `no ${id} button in ${JSON.stringify(s.buttons)}`);
	const box = await page.locator("canvas").boundingBox();
	await page.mouse.move(box.x + b.x + b.w / 2, box.y + b.y + b.h / 2);
	await afterFrames(page);
	const press = (async () => {
		await page.mouse.down();
		await afterFrames(page);
		await page.mouse.up();
		await afterFrames(page);
	})();
	if (!download) {
		await press;
		return null;
	}
	const [d] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), press]);
	return d;
}

let url;

async function main() {
	const server = await serve();
	url = server.url;
	const browser = await launch();
	try {
		await check("g records the latent view while training; Record stops it and the page downloads the GIF", async () => {
			const { context, page, problems } = await open(browser, "#data=8gaussians");
			assert((await run(page, "record latent 10 30")) === "ok", "record latent 10 30 refused");
			assert((await run(page, "record nothing")).includes("no target"), "an unknown target was taken");
			await run(page, "play");
			await waitFor(page, () => globalThis.vae.state().step >= 5, null, 120_000);
			const fpsOff = (await state(page)).fps;
			// The key as a user types it, over the canvas.
			await page.locator("canvas").focus();
			await page.keyboard.press("g");
			await waitFor(page, () => globalThis.vae.state().recording.on, null, 30_000);
			const a = await state(page);
			// About 3 s of the recording's own clock.
			await waitFor(page, () => globalThis.vae.state().recording.seconds >= 3, null, 60_000);
			const mid = await state(page);
			const button = mid.buttons.record;
			const download = await clickButton(page, "record", true);
			const b = await state(page);
			assert(!b.recording.on, "Record did not stop the recording");
			assert(b.step > a.step, `no training while recording: step ${a.step} → ${b.step}`);
			const name = download.suggestedFilename();
			assert(/^vae-playground-latent-step\d+\.gif$/.test(name), `downloaded ${name}`);
			const gif = parseGIF(readFileSync(await download.path()));
			// The latent view's panel (its title, axes and plot), in device
			// pixels at scale 1 and in CSS pixels above (the GIF is recorded
			// at CSS size on a dense screen).
			const v = a.recording.rect, scale = a.frame.deviceScale;
			const k = scale >= 2 ? Math.floor(scale) : 1;
			const want = [Math.floor(Math.round(v.w * scale) / k), Math.floor(Math.round(v.h * scale) / k)];
			assert(v.w > 100 && v.h > 100, `the latent view's panel ${JSON.stringify(v)}`);
			assert(gif.width === want[0] && gif.height === want[1], `GIF ${gif.width}×${gif.height}, the latent view's panel ${want.join("×")}`);
			const secs = gif.frames.reduce((s, f) => s + f.delay, 0) / 100;
			await waitFor(page, () => globalThis.vae.state().message.includes(".gif"), null, 30_000);
			const msg = (await state(page)).message;
			const said = msg.match(/(\d+) frames of (\d+)×(\d+), (\d+\.\d) s/);
			assert(msg.includes(name) && said, `message ${JSON.stringify(msg)}`);
			// The GIF plays for as long as it recorded (from the key to the
			// button's press: 3 s, more on a slow page), at most 10 frames a
			// second; frames the encoder could not keep up with are dropped
			// (the one before shows longer), never the page's frames.
			assert(secs >= 3 && Math.abs(secs - Number(said[4])) <= 0.15, `the GIF plays for ${secs} s, recorded ${said[4]} s`);
			assert(Number(said[1]) === gif.frames.length && Number(said[2]) === gif.width, `the message says ${said[0]}`);
			assert(gif.frames.length >= 10 && gif.frames.length <= Math.ceil(secs * 10) + 1, `${gif.frames.length} frames in ${secs} s at 10/s`);
			const changed = gif.frames.slice(1).filter((f) => f.rect.w > 1 || f.rect.h > 1).length;
			assert(changed >= (gif.frames.length - 1) / 2, `only ${changed} of ${gif.frames.length - 1} frames after the first change`);
			assert(problems.length === 0, problems.join("; "));
			await context.close();
			return `${name}: ${gif.width}×${gif.height}, ${gif.frames.length} frames over ${secs.toFixed(1)} s (${changed} changed); ${mid.fps.toFixed(0)} frames/s while recording, ${fpsOff.toFixed(0)} before; button ${button.w}×${button.h}; "${msg}"`;
		}, { timeout: 400_000 });

		await check("Export data downloads a zip of the run's history and codes as CSV", async () => {
			const { context, page, problems } = await open(browser, "#data=8gaussians");
			// A few steps, then the step count at rest.
			await run(page, "play");
			await waitFor(page, () => globalThis.vae.state().step >= 12, null, 120_000);
			await run(page, "pause");
			let s = await state(page);
			for (let i = 0; i < 60; i++) {
				await sleep(500);
				const t = await state(page);
				if (t.step === s.step) {
					break;
				}
				s = t;
			}
			const download = await clickButton(page, "export", true);
			const name = download.suggestedFilename();
			assert(name === `vae-data-step${s.step}.zip`, `downloaded ${name} at step ${s.step}`);
			const files = unzip(readFileSync(await download.path()));
			const hist = csvRows(files[`history-step${s.step}.csv`] || "");
			const codes = csvRows(files[`codes-step${s.step}.csv`] || "");
			assert(hist[0][0] === "step" && hist.length === s.step + 1, `history ${hist.length - 1} rows (header ${hist[0]}) for ${s.step} steps in ${Object.keys(files)}`);
			assert(Number(hist[hist.length - 1][0]) === s.step, `last history row ${hist[hist.length - 1]}`);
			assert(codes.length === Math.min(s.points, 5000) + 1, `codes ${codes.length - 1} rows for ${s.points} points`);
			assert(problems.length === 0, problems.join("; "));
			await context.close();
			return `${name}: ${Object.keys(files).join(", ")}; ${hist.length - 1} steps, ${codes.length - 1} codes; header ${hist[0].slice(0, 6).join(",")}…`;
		}, { timeout: 300_000 });

		await check("while comparing, Export data also holds A's and B's files and the results table", async () => {
			const { context, page, problems } = await open(browser, "#data=8gaussians&compare=prior:mixture");
			for (let i = 0; i < 5; i++) {
				const before = (await state(page)).compare.steps[0];
				await run(page, "key .");
				await waitFor(page, (n) => globalThis.vae.state().compare.steps[1] === n + 1 && globalThis.vae.state().compare.steps[0] === n + 1, before, 120_000);
			}
			await waitFor(page, () => {
				const c = globalThis.vae.state().compare;
				return c.table.exact && c.table.steps[0] === 5 && c.table.steps[1] === 5;
			}, null, 120_000);
			const c = (await state(page)).compare;
			const download = await clickButton(page, "export", true);
			const files = unzip(readFileSync(await download.path()));
			const names = Object.keys(files).sort().join(",");
			assert(names === "A-codes-step5.csv,A-history-step5.csv,B-codes-step5.csv,B-history-step5.csv,comparison.csv", `files ${names}`);
			const table = csvRows(files["comparison.csv"]);
			assert(table.length === c.table.rows.length + 1 && table[1][0] === "ELBO", `table ${JSON.stringify(table)}`);
			assert(Number(table[1][1]) === c.table.rows[0].a && Number(table[1][2]) === c.table.rows[0].b, `ELBO row ${table[1]}, the table shows ${c.table.rows[0].a}, ${c.table.rows[0].b}`);
			assert(problems.length === 0, problems.join("; "));
			await context.close();
			return `${download.suggestedFilename()}: ${names}; ELBO A ${table[1][1]}, B ${table[1][2]}`;
		}, { timeout: 400_000 });
	} finally {
		await browser.close();
		server.child.kill();
		finish("record.json");
	}
}

main();
