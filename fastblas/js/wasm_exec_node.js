// Runs a Go js/wasm binary in Node like Go's own lib/wasm/wasm_exec_node.js,
// and also wires the SIMD matrix kernel when the binary imports it (see
// vaegemm.js). Used through the go_js_wasm_exec script beside it, which
// `go test` and `go run` find on PATH.
//
// Environment:
//   GOROOT_WASM   Go's lib/wasm folder (set by go_js_wasm_exec)
//   VAEGEMM_WASM  the kernel file; default dist/web/vaegemm.wasm in the repo
//                 (make kernel). "none" runs without the kernel, as a browser
//                 without WebAssembly SIMD would.
"use strict";

if (process.argv.length < 3) {
	console.error("usage: go_js_wasm_exec [wasm binary] [arguments]");
	process.exit(1);
}

globalThis.require = require;
globalThis.fs = require("fs");
globalThis.path = require("path");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("performance");
globalThis.crypto ??= require("crypto");

require(path.join(process.env.GOROOT_WASM, "wasm_exec.js"));
const VAEGemm = require("./vaegemm.js");

async function main() {
	const goModule = await WebAssembly.compile(fs.readFileSync(process.argv[2]));
	const go = new Go();
	go.argv = process.argv.slice(2);
	go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
	go.exit = process.exit;

	const gemm = new VAEGemm();
	gemm.addImports(go.importObject);
	let kernel = null;
	if (VAEGemm.importsKernel(goModule)) {
		const file = process.env.VAEGEMM_WASM || path.join(__dirname, "..", "..", "dist", "web", "vaegemm.wasm");
		if (file !== "none") {
			if (!fs.existsSync(file)) {
				console.error(`vaegemm: kernel ${file} not found; build it with "make kernel" or set VAEGEMM_WASM=none`);
				process.exit(1);
			}
			kernel = await VAEGemm.compile(fs.readFileSync(file));
		}
	}

	const instance = await WebAssembly.instantiate(goModule, go.importObject);
	gemm.attach(kernel, instance);
	process.on("exit", (code) => { // Node.js exits if no event handler is pending
		if (code === 0 && !go.exited) {
			// deadlock, make Go print error and stack traces
			go._pendingEvent = { id: 0 };
			go._resume();
		}
	});
	await go.run(instance);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
