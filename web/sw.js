// The service worker: keeps one build of the site in a cache of its own, so
// that the playground opens with no network at all once it has been seen.
//
// cmd/site writes the build's files into `site` below (each file's raw size
// and content hash, the same hash the page names its files by, ?v=<hash>)
// and names the build by a hash of all of that and of this script. A new
// build is therefore a new sw.js, which the browser installs beside the old
// one: `install` fills the new build's cache completely (a file of an
// unchanged version is copied from the old cache, the rest downloaded), and
// checks every file against its hash, so a server already one build further
// fails the install instead of mixing two builds. The next load of the page
// is the new build's: the old worker, still in charge, answers it with the
// page the waiting one names, from the new cache, and tells that worker to
// take over; every file that page asks for (?v= of the new build) comes
// from the new cache too. The new worker activates once the old one has no
// work left and deletes the old cache. Data sets (data/*.vpk, fetched by
// the game only when a user picks one) go to a second cache that outlives
// builds: an entry stays while the build names the same version of it.
//
// Every name is relative to the worker's scope (the site's folder), and
// cache names carry the scope, so two copies of the site under two paths of
// one origin keep apart.
"use strict";

const site = {}; // written by cmd/site

const scope = new URL(self.registration.scope);
const sitePrefix = "vae-site " + scope.href + " ";
const siteCache = sitePrefix + site.build;
const dataCache = "vae-data " + scope.href;

// own is the entry of name in list, never an inherited property.
function own(list, name) {
	return list && Object.hasOwn(list, name) ? list[name] : null;
}

function versioned(name, entry) {
	return new URL(name + "?v=" + entry.version, scope).href;
}

// version is the site builder's content hash: the first 6 bytes of SHA-256, in hex.
async function version(bytes) {
	const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	return Array.from(sum.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

// keptHeaders is what a stored response keeps of the server's headers. The body is
// the decoded file, so its length is the raw size (the loader's progress bar
// counts those bytes) and no Content-Encoding applies any more.
function keptHeaders(from, length) {
	const headers = new Headers();
	for (const name of ["Content-Type", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options"]) {
		const value = from.headers.get(name);
		if (value) {
			headers.set(name, value);
		}
	}
	if (length >= 0) {
		headers.set("Content-Length", String(length));
	}
	return headers;
}

// obtain returns a build file as a response to store: the copy an older
// cache holds of the same version, else the network's (the HTTP cache first,
// then the server itself), whichever has the right hash.
async function obtain(name, entry) {
	const url = versioned(name, entry);
	const old = await caches.match(url);
	const tries = old ? [() => old, () => fetch(url), () => fetch(url, { cache: "reload" })]
		: [() => fetch(url), () => fetch(url, { cache: "reload" })];
	for (const attempt of tries) {
		const response = await attempt();
		if (!response.ok) {
			throw new Error(name + ": HTTP " + response.status);
		}
		const bytes = await response.arrayBuffer();
		if (await version(bytes) === entry.version) {
			return new Response(bytes, { headers: keptHeaders(response, bytes.byteLength) });
		}
	}
	throw new Error(name + " is not the version this build names: the site changed during the install");
}

self.addEventListener("install", (event) => {
	event.waitUntil((async () => {
		if (!site.build) {
			throw new Error("this sw.js was not written by cmd/site");
		}
		const names = Object.keys(site.files);
		const responses = await Promise.all(names.map((name) => obtain(name, site.files[name])));
		// Stored only once every file is at hand: a failed install leaves no cache.
		const cache = await caches.open(siteCache);
		try {
			await Promise.all(names.map((name, i) => cache.put(versioned(name, site.files[name]), responses[i])));
		} catch (err) {
			await caches.delete(siteCache);
			throw err;
		}
	})());
});

self.addEventListener("activate", (event) => {
	event.waitUntil((async () => {
		for (const name of await caches.keys()) {
			if (name.startsWith(sitePrefix) && name !== siteCache) {
				await caches.delete(name);
			}
		}
		const wanted = new Set(Object.keys(site.data).map((name) => versioned(name, site.data[name])));
		const data = await caches.open(dataCache);
		for (const request of await data.keys()) {
			if (!wanted.has(request.url)) {
				await data.delete(request);
			}
		}
		// The first visit's page (loaded from the network, before this worker
		// existed) is taken over too, so that a data set it fetches is kept.
		await self.clients.claim();
	})());
});

// The active worker of the previous build asks this one, installed and
// waiting, for its page ("page", answered on the port it sends) and, once it
// has answered a load with that page, tells it to take over.
self.addEventListener("message", (event) => {
	if (event.data === "page" && event.ports[0]) {
		event.ports[0].postMessage({ build: site.build, page: versioned("index.html", site.files["index.html"]) });
	} else if (event.data === "take-over") {
		self.skipWaiting();
	}
});

self.addEventListener("fetch", (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) {
		return;
	}
	const name = url.pathname.slice(scope.pathname.length);
	if (request.mode === "navigate") {
		if (name === "" || name === "index.html") {
			event.respondWith(page());
		} else if (name.endsWith(".html") && own(site.files, name)) {
			// Another page of the build (embed-example.html): this build's.
			event.respondWith(fromBuild(name, own(site.files, name)));
		}
		return;
	}
	const v = url.searchParams.get("v");
	const file = own(site.files, name);
	if (file && (url.search === "" || url.search === "?v=" + file.version)) {
		event.respondWith(fromBuild(name, file));
		return;
	}
	const data = own(site.data, name);
	if (data && url.search === "") {
		let done;
		event.waitUntil(new Promise((resolve) => { done = resolve; }));
		event.respondWith(dataSet(name, data, done));
		return;
	}
	if (v) {
		// A file of another build (a page older or newer than this worker):
		// only ever the version it names.
		event.respondWith(otherBuild(request, v));
	}
	// Anything else goes to the network as if there were no worker.
});

// page answers a load of the site's page: with the page of a newer build
// installed beside this one, else with this build's index.html.
async function page() {
	return (await nextPage().catch(() => null)) || fromBuild("index.html", site.files["index.html"]);
}

// nextPage is the index.html of the build whose worker is installed and
// waiting (a worker gets there only once its cache is full), from that
// build's cache, and tells that worker to take over. The new page needs
// nothing of this worker's build. A page of the old build still open keeps
// its cache until the new worker activates, which Chromium holds back while
// this worker has work to do (such as that page's requests), and gets what
// it asks for after that by version. Null when no build waits or it does
// not answer.
async function nextPage() {
	const next = self.registration.waiting;
	if (!next || next.state !== "installed") {
		return null;
	}
	const answer = await new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = (event) => resolve(event.data);
		setTimeout(() => resolve(null), 10_000);
		next.postMessage("page", [channel.port2]);
	});
	if (!answer || typeof answer.build !== "string" || answer.build === site.build || typeof answer.page !== "string") {
		return null;
	}
	const name = sitePrefix + answer.build;
	const hit = (await caches.has(name)) && await (await caches.open(name)).match(answer.page);
	if (!hit) {
		return null;
	}
	next.postMessage("take-over");
	return hit;
}

// otherBuild answers a file of another build by the version its URL names:
// from whichever of the site's build caches holds it (each entry was
// checked against its version when it was stored), else from the network,
// checked.
async function otherBuild(request, version) {
	for (const name of await caches.keys()) {
		const hit = name.startsWith(sitePrefix) && await (await caches.open(name)).match(request.url);
		if (hit) {
			return hit;
		}
	}
	return checked(fetch(request), version, -1);
}

// fromBuild answers with this build's copy of a file, from the cache (the
// network only if the cache lost it).
async function fromBuild(name, entry) {
	const url = versioned(name, entry);
	const hit = await (await caches.open(siteCache)).match(url);
	return hit || checked(fetch(url), entry.version, entry.bytes);
}

// dataSet answers a data set by the version this build names: from the data
// cache, else from the network, stored once it has arrived whole and right.
// done ends the fetch event's extended life.
async function dataSet(name, entry, done) {
	const url = versioned(name, entry);
	try {
		const cache = await caches.open(dataCache);
		const hit = await cache.match(url);
		if (hit) {
			done();
			return hit;
		}
		return await checked(fetch(url), entry.version, entry.bytes, (response) => cache.put(url, response), done);
	} catch (err) {
		done();
		throw err;
	}
}

// checked passes a response through while its bytes arrive (so the page's
// progress counts them) and breaks it at the end unless its hash is want.
// keep, if given, gets a copy of a response that was right to store; ended
// is called once the body is through, broken or cancelled.
async function checked(pending, want, length, keep, ended = () => {}) {
	let response;
	try {
		response = await pending;
	} catch (err) {
		ended();
		throw err;
	}
	if (!response.ok || !response.body) {
		ended();
		return response;
	}
	const reader = response.body.getReader();
	const chunks = [];
	const body = new ReadableStream({
		async pull(controller) {
			let part;
			try {
				part = await reader.read();
			} catch (err) {
				controller.error(err);
				ended();
				return;
			}
			if (!part.done) {
				chunks.push(part.value);
				controller.enqueue(part.value);
				return;
			}
			const whole = await new Blob(chunks).arrayBuffer();
			if (await version(whole) !== want) {
				controller.error(new TypeError(response.url + " is not the version its name says"));
				ended();
				return;
			}
			controller.close();
			if (keep) {
				await keep(new Response(whole, { headers: keptHeaders(response, whole.byteLength) })).catch(() => {});
			}
			ended();
		},
		cancel(reason) {
			ended();
			return reader.cancel(reason);
		},
	});
	return new Response(body, { status: response.status, statusText: response.statusText, headers: keptHeaders(response, length) });
}
