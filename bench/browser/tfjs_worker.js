// TensorFlow.js (wasm backend) training bench/tfjs_bench.js's models in a Web
// Worker: the page posts {model, seconds}, this answers {rate} (steps/s).
"use strict";
importScripts("tf.min.js", "tf-backend-wasm.min.js");
tf.wasm.setWasmPaths("./");

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

// As in bench/tfjs_bench.js: a 2-D latent, Gaussian encoder, analytic KL.
function vae(dataDim, hidden, act, likelihood) {
	const latent = 2;
	const sizes = (a, b) => [a, ...hidden, b];
	const layers = (s) => s.slice(1).map((d, i) => dense(s[i], d));
	const enc = layers(sizes(dataDim, 2 * latent));
	const dec = layers(sizes(latent, dataDim));
	const logVarX = tf.variable(tf.zeros([1, dataDim]));
	return (x) => {
		const h = mlp(enc, x, act);
		const mu = h.slice([0, 0], [-1, latent]);
		const lv = h.slice([0, latent], [-1, latent]);
		const eps = tf.randomNormal(mu.shape);
		const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
		const out = mlp(dec, z, act);
		let nll;
		if (likelihood === "bernoulli") {
			nll = tf.sum(tf.sub(tf.softplus(out), tf.mul(x, out)), 1);
		} else {
			const d = tf.sub(x, out);
			nll = tf.mul(0.5, tf.sum(tf.add(tf.add(Math.log(2 * Math.PI), logVarX), tf.mul(tf.square(d), tf.exp(tf.neg(logVarX)))), 1));
		}
		const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv)), 1));
		return tf.mean(tf.add(nll, kl));
	};
}

self.onmessage = async (event) => {
	const { model, seconds } = event.data;
	await tf.setBackend("wasm");
	await tf.ready();
	const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
	const loss = model === "image" ? vae(784, [256], tf.relu, "bernoulli") : vae(2, [64, 64], tf.tanh, "gaussian");
	const batch = model === "image"
		? tf.tidy(() => tf.cast(tf.less(tf.randomUniform([128, 784]), 0.2), "float32"))
		: tf.randomNormal([256, 2]);
	const opt = tf.train.adam(1e-3);
	const step = () => {
		const cost = opt.minimize(() => loss(batch), true);
		cost.dataSync();
		cost.dispose();
	};
	for (let i = 0; i < 10; i++) step();
	let steps = 0;
	const start = performance.now();
	while (performance.now() - start < seconds * 1000) {
		for (let i = 0; i < 10; i++) step();
		steps += 10;
	}
	self.postMessage({ rate: (steps * 1000) / (performance.now() - start), simd, version: tf.version.tfjs });
};
