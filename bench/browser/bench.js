// The bench page: each contender trains one model in a fresh Web Worker for
// a while; the page only counts. Results land in globalThis.benchResults.
"use strict";

// goWorker drives the playground's training worker through its protocol:
// build, play, and count the steps its results messages carry.
function goWorker(model, seconds) {
	return new Promise((resolve, reject) => {
		const w = new Worker("worker.js");
		w.postMessage({ wasmExec: "wasm_exec.js", gemm: "vaegemm.js", wasm: "worker.wasm", kernel: "vaegemm.wasm" });
		let backend = "", steps = 0, counting = false, started = 0;
		w.onerror = (e) => reject(new Error(e.message));
		w.onmessage = async (event) => {
			if (!(event.data instanceof ArrayBuffer)) {
				reject(new Error(JSON.stringify(event.data)));
				return;
			}
			const b = new DataView(event.data);
			const kind = b.getUint8(6);
			if (kind === 64) { // ready
				backend = new TextDecoder().decode(new Uint8Array(event.data, 19));
				const build = await (await fetch("build-" + model + ".bin")).arrayBuffer();
				w.postMessage(build, [build]);
			} else if (kind === 66 && !started) { // the built trainer's snapshot
				const play = await (await fetch("play.bin")).arrayBuffer();
				w.postMessage(play, [play]);
				started = performance.now();
				setTimeout(() => { counting = true; steps = 0; started = performance.now(); }, 1000); // warm-up
				setTimeout(() => {
					const rate = (steps * 1000) / (performance.now() - started);
					w.terminate();
					resolve({ rate, backend });
				}, 1000 + seconds * 1000);
			} else if (kind === 65 && counting) {
				steps += b.getUint32(15, true);
			} else if (kind === 67) {
				reject(new Error("worker error"));
			}
		};
	});
}

function tfWorker(model, seconds) {
	return new Promise((resolve, reject) => {
		const w = new Worker("tfjs_worker.js");
		w.onerror = (e) => reject(new Error(e.message));
		w.onmessage = (event) => {
			w.terminate();
			resolve(event.data);
		};
		w.postMessage({ model, seconds });
	});
}

globalThis.runBench = async (seconds, rounds) => {
	const out = [];
	for (let round = 0; round < rounds; round++) {
		for (const model of ["2d", "image"]) {
			const go = await goWorker(model, seconds);
			out.push({ impl: "go-worker", model, round, ...go });
			const tf = await tfWorker(model, seconds);
			out.push({ impl: "tfjs-wasm-worker", model, round, ...tf });
		}
	}
	return out;
};
