// Command wasm is the VAE playground's browser entry (GOOS=js GOARCH=wasm):
// the same game as the desktop, training in a Web Worker (the program in
// /worker, started after the first frame; see worker.go) and inline within
// each frame's time budget until it is ready, where workers are missing or
// after it broke, with the settings kept in the page's URL hash and a small
// hook for tests and the page (globalThis.vae):
//
//	vae.state()              → {step, playing, elbo, frames, fps, notes, message, views, decoded, config, trainer, compare, …}
//	vae.do("play"|"pause"|"toggle"|"step"|"reset"|"set name=value"|"copy-link"|"key k"|"click x y"|"compare on|off")
//	vae.loadFile(name, bytes) → "ok" or the error (the same path as a dropped file)
//
// state().compare, while Compare is on: {playing, steps: [A, B], spec (B's
// compare= value), notes, trainers, elbo, table: {rows: [{metric, a, b,
// diff, spread, exceeds}], n, k, exact, steps}}.
//
// Nothing read from the URL reaches the page's HTML or script: the hash is
// parsed by the settings table and only its validated values are used.
package main
