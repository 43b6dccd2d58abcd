// Command worker is the training worker of the browser build: a second
// js/wasm program, run in a Web Worker, that holds the trainer while the
// page's game draws. It imports only the engine, the SIMD product and the
// protocol (package trainworker) — no Ebitengine, which touches the page's
// DOM at start and panics in a worker — so it is also much smaller than
// the game.
//
// web/worker.js starts it: it loads wasm_exec.js and vaegemm.js with
// importScripts, instantiates this program with the kernel's imports,
// attaches the kernel and runs it. The page (package wasm) sends commands
// as ArrayBuffers and gets replies the same way, each buffer transferred,
// not copied.
package main
