// Command vae is the playground's headless command line: it trains a VAE on a
// registered dataset, evaluates it (ELBO and importance-weighted bound), writes
// checkpoints, and draws the playground's views to PNG files.
//
//	vae train -data moons -steps 3000 -out dist/run
//	vae train -resume dist/run/trainer.vae -steps 1000 -out dist/run
//	vae train -data 8gaussians -prior mixture -gif latent.gif -csv history.csv
//	vae eval -model dist/run/model.vae -k 100
//	vae export -model dist/run/model.vae -out dist/run/model.safetensors
//	vae import -model trained.safetensors -out dist/run/trained.vae
//	vae datasets
//	vae priors
//
// Every option is checked against the same registries and ranges the
// playground UI and its URL state use, and before any training starts.
// Checkpoints record their dataset, so eval and -resume load the same data
// without being told. export writes a model as safetensors for PyTorch
// (python/vae_playground.py loads it) and import reads one back as a
// checkpoint; eval reads either. Image sets train on batches binarised afresh each draw
// and are scored on a test split binarised once (-binarize). Ctrl-C saves the
// model and the trainer before the command exits; long runs show a progress
// bar with an estimate of the time left on a terminal, plain lines elsewhere.
// -gif records the latent view every -gif-every steps as an animated GIF
// (encoded by a goroutine while training goes on); -csv and -codes-csv write
// the history and the codes for a plot elsewhere.
package main
