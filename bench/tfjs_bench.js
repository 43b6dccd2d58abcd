// TensorFlow.js side of the side-by-side benchmark: the same two models,
// batches and optimiser as bench/vaebench, on @tensorflow/tfjs-backend-wasm in
// Node, plus the square matrix product. Prints one JSON object per result,
// like vaebench. TensorFlow.js's wasm backend computes in float32 only; this
// project computes in float64.
//
//   node bench/tfjs_bench.js [seconds=3] [train,matmul]
"use strict";
const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");

const seconds = Number(process.argv[2] || 3);
const what = (process.argv[3] || "train,matmul").split(",");

function emit(kind, name, rate, threads) {
	console.log(JSON.stringify({ impl: "tfjs", runtime: "js/wasm", backend: "tfjs-wasm", kind, case: name, rate, threads }));
}

// dense returns the weights of a fully connected layer, Glorot-uniform like
// Keras's default.
function dense(inDim, outDim) {
	const limit = Math.sqrt(6 / (inDim + outDim));
	return { w: tf.variable(tf.randomUniform([inDim, outDim], -limit, limit)), b: tf.variable(tf.zeros([outDim])) };
}

function mlp(layers, x, act) {
	let h = x;
	layers.forEach((l, i) => {
		h = tf.add(tf.matMul(h, l.w), l.b);
		if (i < layers.length - 1) {
			h = act(h);
		}
	});
	return h;
}

// vae builds the loss of a VAE with a 2-D latent, Gaussian encoder, standard
// normal prior (analytic KL) and the given likelihood, as in core.
function vae(dataDim, hidden, act, likelihood) {
	const latent = 2;
	const sizes = (a, b) => [a, ...hidden, b];
	const layers = (s) => s.slice(1).map((d, i) => dense(s[i], d));
	const enc = layers(sizes(dataDim, 2 * latent));
	const dec = layers(sizes(latent, dataDim));
	const logVarX = tf.variable(tf.zeros([1, dataDim])); // Gaussian, per dimension
	return (x) => {
		const h = mlp(enc, x, act);
		const mu = h.slice([0, 0], [-1, latent]);
		const lv = h.slice([0, latent], [-1, latent]);
		const eps = tf.randomNormal(mu.shape);
		const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
		const out = mlp(dec, z, act);
		let nll;
		if (likelihood === "bernoulli") {
			// −log p(x|logits) = softplus(logits) − x·logits, stable form.
			nll = tf.sum(tf.sub(tf.softplus(out), tf.mul(x, out)), 1);
		} else {
			const d = tf.sub(x, out);
			nll = tf.mul(0.5, tf.sum(tf.add(tf.add(Math.log(2 * Math.PI), logVarX), tf.mul(tf.square(d), tf.exp(tf.neg(logVarX)))), 1));
		}
		const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv)), 1));
		return tf.mean(tf.add(nll, kl));
	};
}

function trainRate(name, loss, batch) {
	const opt = tf.train.adam(1e-3);
	const step = () => {
		const cost = opt.minimize(() => loss(batch), true);
		cost.dataSync(); // read the loss like core's Step returns it
		cost.dispose();
	};
	for (let i = 0; i < 10; i++) step();
	let steps = 0;
	const start = performance.now();
	while (performance.now() - start < seconds * 1000) {
		for (let i = 0; i < 10; i++) step();
		steps += 10;
	}
	return (steps * 1000) / (performance.now() - start);
}

function matmulRate(n) {
	const a = tf.randomUniform([n, n]);
	const b = tf.randomUniform([n, n]);
	const once = () => {
		const c = tf.matMul(a, b);
		c.dataSync();
		c.dispose();
	};
	once();
	let calls = 0;
	const start = performance.now();
	while (performance.now() - start < seconds * 1000) {
		once();
		calls++;
	}
	return (2 * n * n * n * calls) / ((performance.now() - start) / 1000) / 1e9;
}

async function main() {
	await tf.setBackend("wasm");
	await tf.ready();
	const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
	const threads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) ? tf.backend().getThreadsCount?.() ?? "multi" : 1;
	console.error(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, SIMD ${simd}, threads ${threads}`);
	if (what.includes("train")) {
		const image = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([128, 784]), 0.2), "float32"));
		emit("train", "image", trainRate("image", vae(784, [256], tf.relu, "bernoulli"), image), threads);
		const points = tf.randomNormal([256, 2]);
		emit("train", "2d", trainRate("2d", vae(2, [64, 64], tf.tanh, "gaussian"), points), threads);
	}
	if (what.includes("matmul")) {
		for (const n of [64, 256, 512]) {
			emit("matmul", String(n), matmulRate(n), threads);
		}
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
