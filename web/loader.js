// The loader: checks what the browser can do, downloads the playground with a
// real progress bar, wires the SIMD matrix kernel and starts the Go program.
// Whatever goes wrong ends in a message on the page, never a blank one.
//
// Every URL is relative, so the site works from any folder of any static host.
// Nothing read here reaches HTML: messages are set as text.
"use strict";

(() => {
	const loader = document.getElementById("loader");
	const bar = document.getElementById("loader-progress");
	const status = document.getElementById("loader-status");

	// What the end-to-end tests (and a curious reader) can see of the load.
	const load = {
		phase: "checking",
		loaded: 0,
		total: 0,
		kernel: "off",
		error: "",
		started: performance.now(),
		downloaded: 0,
		firstFrame: 0,
		// The service worker (sw.js): "off" where the browser has none or the
		// page was not built, "installing", "ready" once this page is in its
		// hands and its cache is full, or why it failed.
		offline: "off",
	};
	globalThis.vaeLoad = load;

	// An embed (embed=1 in the link: a figure in an article's <iframe>)
	// keeps to the page: no service worker, and a smaller card.
	const embed = /(?:^#?|&)embed=(?:1|on|true|yes)(?:&|$)/i.test(location.hash);
	// theme=light or theme=dark in the link sets the loader's colours as
	// it sets the game's; without it (auto) they follow the system's
	// prefers-color-scheme (style.css).
	const theme = /(?:^#?|&)theme=(light|dark)(?:&|$)/.exec(location.hash);
	if (theme) {
		document.documentElement.classList.add(theme[1]);
	}
	if (embed) {
		document.documentElement.classList.add("embed");
	}

	// serviceWorkers is the browser's service worker container, or null: a
	// sandboxed frame without its origin throws on the very access.
	function serviceWorkers() {
		try {
			return navigator.serviceWorker || null;
		} catch (err) {
			return null;
		}
	}

	// The loader's words in the playground's language: lang= in the link,
	// else the browser's first language the playground speaks, else English
	// (the game chooses the same way). The site builder writes them from the
	// game's tables (package i18n) into the page: for each language but
	// English, the English text → its text, for the elements marked
	// data-i18n and every say call below (whose text must be a literal).
	// Messages are formats: say fills their %s in order (%[2]s by index).
	let words = {};
	try {
		words = JSON.parse(document.getElementById("site-words").textContent) || {};
	} catch (err) {
		words = {};
	}
	const lang = (() => {
		const asked = /(?:^#|&)lang=([^&]*)/.exec(location.hash);
		const tags = [asked ? asked[1] : "", ...(navigator.languages || [navigator.language || ""])];
		for (const tag of tags) {
			const primary = String(tag).toLowerCase().split(/[-_.]/)[0];
			if (primary === "en" || words[primary]) {
				return primary;
			}
		}
		return "en";
	})();
	load.lang = lang;
	function say(text, ...args) {
		const t = (words[lang] && words[lang][text]) || text;
		let next = 0;
		return t.replace(/%(?:\[(\d+)\])?([s%])/g, (_, index, verb) => {
			if (verb === "%") {
				return "%";
			}
			if (index) {
				next = Number(index) - 1;
			}
			return String(args[next++]);
		});
	}
	document.documentElement.lang = lang;
	for (const el of document.querySelectorAll("[data-i18n]")) {
		el.textContent = say(el.textContent.trim());
	}

	// The builder writes each file's raw size and a content hash here.
	let files = {};
	try {
		files = JSON.parse(document.getElementById("site-manifest").textContent).files || {};
	} catch (err) {
		files = {};
	}

	// uncached tells whether any file of this page's build is in no cache.
	async function uncached() {
		for (const name of Object.keys(files)) {
			if (!(await caches.match(new URL(url(name), location.href).href).catch(() => null))) {
				return true;
			}
		}
		return false;
	}

	// A newer build's service worker that takes this page over before its
	// first frame deletes the other builds' caches as it activates: if this
	// page's build was among them, it reloads into the new build rather than
	// fetch on with its own names. (Usually the page is the new build's
	// already: the old worker answers the load with it, see sw.js. A first
	// visit's page is taken only after its first frame.)
	if (serviceWorkers() && typeof caches !== "undefined") {
		serviceWorkers().addEventListener("controllerchange", async () => {
			const worker = serviceWorkers().controller;
			if (load.firstFrame || !worker) {
				return;
			}
			// Its caches are settled once it is activated.
			await new Promise((resolve) => {
				const settled = () => worker.state === "activated" || worker.state === "redundant";
				if (settled()) {
					resolve();
					return;
				}
				worker.addEventListener("statechange", () => settled() && resolve());
			});
			if (!load.firstFrame && load.phase !== "updating" && await uncached()) {
				load.phase = "updating";
				location.reload(); // the URL, and so the settings in its fragment, stay
			}
		});
	}

	// url names a site file at its current version, so that a long cache of an
	// old version never meets a new page.
	function url(name) {
		const f = files[name];
		return f && f.version ? name + "?v=" + f.version : name;
	}

	function fail(text) {
		load.phase = "failed";
		load.error = text;
		bar.hidden = true;
		status.hidden = true;
		document.getElementById("loader-error-text").textContent = text;
		document.getElementById("loader-error").hidden = false;
		document.getElementById("loader-reload").onclick = () => location.reload();
	}

	// stopped tells the user when the program ends after the loader is gone.
	function stopped(text) {
		if (loader.isConnected) {
			fail(text);
			return;
		}
		const note = document.createElement("div");
		note.id = "stopped";
		note.setAttribute("role", "alert");
		note.textContent = text;
		document.body.appendChild(note);
	}

	function megabytes(n) {
		return (n / 1e6).toFixed(1);
	}

	function showProgress() {
		if (load.total > 0) {
			bar.max = load.total;
			bar.value = Math.min(load.loaded, load.total);
			status.textContent = say("Downloading %s of %s MB", megabytes(load.loaded), megabytes(load.total));
		} else {
			bar.removeAttribute("value"); // an indeterminate bar: the size is unknown
			status.textContent = load.loaded > 0 ? say("Downloading %s MB", megabytes(load.loaded)) : say("Downloading…");
		}
	}

	// hasSIMD validates a tiny module that uses a v128 instruction.
	function hasSIMD() {
		try {
			return WebAssembly.validate(new Uint8Array([
				0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
			]));
		} catch (err) {
			return false;
		}
	}

	// hasWebGL2 asks for the context Ebitengine will ask for.
	function hasWebGL2() {
		try {
			return !!document.createElement("canvas").getContext("webgl2");
		} catch (err) {
			return false;
		}
	}

	function loadScript(name) {
		return new Promise((resolve, reject) => {
			const script = document.createElement("script");
			script.src = url(name);
			script.onload = resolve;
			script.onerror = () => reject(new Error("could not load " + name));
			document.head.appendChild(script);
		});
	}

	// fetchCounted fetches a file and returns a Response whose body counts its
	// bytes into the progress bar as they arrive. The total comes from the
	// builder's raw sizes (added up before the downloads start): the
	// Content-Length of a compressed response counts compressed bytes, while
	// the stream yields decompressed ones.
	async function fetchCounted(name) {
		let response;
		try {
			response = await fetch(url(name));
		} catch (err) {
			if (self.origin === "null") {
				// A frame sandboxed without allow-same-origin: its fetches are
				// cross-origin reads, which this host does not allow.
				throw Object.assign(new Error(say("The download of %s failed: this frame is sandboxed without allow-same-origin, and the site's host allows no cross-origin reads (Access-Control-Allow-Origin). Add allow-same-origin to the frame's sandbox.", name)), { download: true });
			}
			throw Object.assign(new Error(say("The download of %s failed: the connection broke or the site is offline.", name)), { download: true });
		}
		if (!response.ok) {
			throw Object.assign(new Error(say("The download of %s failed (HTTP %s).", name, response.status)), { download: true });
		}
		// Without the builder's size (an unbuilt page), Content-Length is
		// honest only for an uncompressed response; else the bar is indeterminate.
		if (!(files[name] && files[name].bytes) && !response.headers.get("Content-Encoding") && response.headers.get("Content-Length")) {
			load.total += Number(response.headers.get("Content-Length"));
		}
		showProgress();
		if (!response.body || typeof TransformStream === "undefined") {
			const bytes = await response.arrayBuffer();
			load.loaded += bytes.byteLength;
			showProgress();
			return new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
		}
		const counted = response.body.pipeThrough(new TransformStream({
			transform(chunk, controller) {
				load.loaded += chunk.byteLength;
				showProgress();
				controller.enqueue(chunk);
			},
		}));
		return new Response(counted, { headers: { "Content-Type": "application/wasm" } });
	}

	async function instantiate(response, imports) {
		if (WebAssembly.instantiateStreaming) {
			return WebAssembly.instantiateStreaming(response, imports);
		}
		return WebAssembly.instantiate(await response.arrayBuffer(), imports);
	}

	// keepOffline hands the site to its service worker (sw.js), which keeps
	// this build in a cache so that the next visit needs no network. It is
	// registered after the first frame: its install then fetches what this
	// page has just downloaded from the HTTP cache, outside the first load.
	// A failure costs only the offline copy.
	function keepOffline() {
		const workers = serviceWorkers();
		if (!workers || embed || Object.keys(files).length === 0) {
			return;
		}
		const controlled = !!workers.controller;
		load.offline = "installing";
		const ready = async () => {
			const registration = await workers.getRegistration();
			const active = registration && registration.active;
			if (!workers.controller || !active) {
				return;
			}
			if (active.state !== "activated") {
				active.addEventListener("statechange", ready, { once: true });
				return;
			}
			load.offline = "ready";
		};
		workers.addEventListener("controllerchange", ready);
		workers.register("sw.js", { updateViaCache: "none" }).then((registration) => {
			if (controlled) {
				registration.update().catch(() => {}); // offline, or the server is away: the cache serves
			}
			workers.ready.then(ready);
		}, (err) => {
			load.offline = "failed: " + err.message;
		});
	}

	// superseded tells whether a service worker serves this page while its
	// build's files are in no cache: a newer build took over as this page
	// was being opened (it deletes the old cache), and the page must reload
	// into it rather than fetch files the new worker no longer keeps. Once
	// per 30 s at most, so that a lost cache cannot make a loop.
	// A page that no worker serves although one is active for the site was
	// opened while one build replaced another (or by a reload that bypasses
	// the worker): it reloads too, as its files would come unchecked.
	async function superseded() {
		const workers = serviceWorkers();
		if (!workers || typeof caches === "undefined" || Object.keys(files).length === 0) {
			return false;
		}
		let gone = false;
		if (!workers.controller) {
			const registration = await workers.getRegistration().catch(() => null);
			gone = !!(registration && registration.active);
		} else {
			gone = await uncached();
		}
		if (!gone) {
			return false;
		}
		try {
			const last = Number(sessionStorage.getItem("vae-superseded") || 0);
			if (Date.now() - last < 30_000) {
				return false;
			}
			sessionStorage.setItem("vae-superseded", String(Date.now()));
		} catch (err) {
			return false; // no session storage: no guard against a loop, so no reload
		}
		if (load.phase !== "updating") {
			load.phase = "updating";
			location.reload();
		}
		return true;
	}

	async function start() {
		if (await superseded()) {
			return;
		}
		if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
			fail(say("This browser cannot run WebAssembly, which the playground is made of. A current Firefox, Chrome, Edge or Safari can."));
			return;
		}
		if (!hasWebGL2()) {
			fail(say("The playground draws with WebGL 2, which this browser lacks or has turned off. Turn on hardware acceleration in its settings, or try a current Firefox, Chrome, Edge or Safari."));
			return;
		}
		const simd = hasSIMD();

		load.phase = "downloading";
		for (const name of simd ? ["playground.wasm", "vaegemm.wasm"] : ["playground.wasm"]) {
			load.total += (files[name] && files[name].bytes) || 0;
		}
		showProgress();
		try {
			await Promise.all([loadScript("wasm_exec.js"), loadScript("vaegemm.js")]);
		} catch (err) {
			fail(say("Part of the playground did not download (%s). Check the connection and reload.", err.message));
			return;
		}

		const go = new Go();
		const gemm = new VAEGemm();
		gemm.addImports(go.importObject); // always: the Go program imports the kernel's module
		let instance;
		let kernel = null;
		try {
			// Without WebAssembly SIMD the kernel is never fetched: the matrix
			// products stay on gonum, only slower.
			const kernelResponse = simd ? fetchCounted("vaegemm.wasm") : Promise.resolve(null);
			const gameResponse = fetchCounted("playground.wasm");
			const [kernelBytes, game] = await Promise.all([kernelResponse, gameResponse]);
			[kernel, { instance }] = await Promise.all([
				kernelBytes ? VAEGemm.compile(kernelBytes) : Promise.resolve(null),
				instantiate(game, go.importObject),
			]);
		} catch (err) {
			fail(err.download ? say("%s Check the connection and reload.", err.message)
				: say("The playground could not start: %s", err.message));
			return;
		}
		load.downloaded = performance.now();
		if (load.total === 0) {
			load.total = load.loaded;
		}
		bar.max = load.total;
		bar.value = load.total;
		load.kernel = gemm.attach(kernel, instance) ? "wasm-simd" : "off";
		load.phase = "starting";
		status.textContent = say("Starting…");

		// Go calls this once its first frame is drawn; the canvas takes over.
		globalThis.vaeFirstFrame = () => {
			if (load.firstFrame) {
				return;
			}
			load.firstFrame = performance.now();
			load.phase = "running";
			loader.remove();
			keepOffline();
		};
		// Go calls this after its first frame, so the training worker (a second,
		// smaller Go program) loads outside the first-load budget. Null where
		// the browser has no workers or the site ships none: training then
		// stays in the page's frames.
		globalThis.vaeStartWorker = () => {
			if (typeof Worker !== "function" || !files["worker.wasm"]) {
				return null;
			}
			try {
				const worker = new Worker(url("worker.js"));
				worker.postMessage({
					wasmExec: url("wasm_exec.js"),
					gemm: url("vaegemm.js"),
					wasm: url("worker.wasm"),
					kernel: load.kernel === "wasm-simd" ? url("vaegemm.wasm") : "",
				});
				return worker;
			} catch (err) {
				return null;
			}
		};
		go.run(instance).then(
			() => stopped(say("The playground stopped. Reload the page to start it again.")),
			(err) => stopped(say("The playground stopped with an error (%s). Reload the page to start it again.", err)),
		);
	}

	start().catch((err) => fail(say("The playground could not start: %s", err)));
})();
