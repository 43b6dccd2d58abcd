// The training worker's bootstrap: the page (package wasm, after its first
// frame) starts this script and sends one message with the versioned URLs of
// what to load; this script loads Go's wasm_exec.js and the SIMD kernel's
// wiring, instantiates the worker program (worker.wasm) and runs it. From
// then on the Go program speaks the binary protocol of package trainworker.
//
// A failure to start or an exit of the Go program is posted as {exit: text}
// (never as protocol bytes), and the page falls back to training inline.
"use strict";

self.addEventListener("message", async function boot(event) {
	self.removeEventListener("message", boot);
	const urls = event.data || {};
	try {
		for (const name of ["wasmExec", "gemm", "wasm"]) {
			// Only the site's own relative file names: nothing else is loaded.
			if (typeof urls[name] !== "string" || !/^[\w.-]+(\?v=[\w]+)?$/.test(urls[name])) {
				throw new Error("bad URL for " + name);
			}
		}
		importScripts(urls.wasmExec, urls.gemm);
		const go = new Go();
		const gemm = new VAEGemm();
		gemm.addImports(go.importObject);
		const kernelURL = typeof urls.kernel === "string" && /^[\w.-]+(\?v=[\w]+)?$/.test(urls.kernel) ? urls.kernel : "";
		const [kernel, result] = await Promise.all([
			kernelURL ? VAEGemm.compile(fetch(kernelURL)) : Promise.resolve(null),
			fetch(urls.wasm).then((response) => {
				if (!response.ok) {
					throw new Error("worker.wasm: HTTP " + response.status);
				}
				return WebAssembly.instantiateStreaming
					? WebAssembly.instantiateStreaming(response, go.importObject)
					: response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, go.importObject));
			}),
		]);
		gemm.attach(kernel, result.instance);
		go.run(result.instance).then(
			() => self.postMessage({ exit: "the worker program ended" }),
			(err) => self.postMessage({ exit: "the worker program failed: " + err }),
		);
	} catch (err) {
		self.postMessage({ exit: "the worker could not start: " + err.message });
	}
});
