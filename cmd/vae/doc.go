// Command vae is the playground's headless command line: it trains a VAE on a
// registered dataset, evaluates it (ELBO and importance-weighted bound), writes
// checkpoints, and draws the playground's views to PNG files.
//
//	vae train -data moons -steps 3000 -out dist/run
//	vae eval -model dist/run/model.vae -data moons -k 100
//	vae datasets
//	vae priors
//
// Every option is checked against the same registries and ranges the
// playground UI and its URL state use.
package main
