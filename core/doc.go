// Package core is the VAE engine of the playground: multilayer perceptrons,
// a diagonal-Gaussian encoder, Bernoulli and Gaussian decoders, priors behind
// one interface, the ELBO with its parts, Adam, a step-at-a-time trainer,
// importance-weighted evaluation, checkpoints and a safetensors export for
// PyTorch.
//
// It is plain Go on gonum. Batches are rows of a *mat.Dense, and every matrix
// product goes through gonum's blas64.Gemm, so a faster BLAS installed with
// blas64.Use (a SIMD kernel under js/wasm, OpenBLAS natively) speeds up the
// whole engine without touching it.
//
// Differentiation is per module: each piece (layer, activation, likelihood,
// prior, flow) has a Forward that caches what it needs and a Backward that
// accumulates gradients. All learnable values live in one flat slab owned by
// a Params set, and their gradients in a second slab of the same layout, so
// the optimiser, gradient clipping, the divergence guard and snapshot export
// are single loops over []float64.
//
// Flows are shown stage by stage through FlowStages (flow_stages.go), a
// snapshot of a flow prior's or a flow fit's layers in the sampling
// direction: each stage's log-density on the rows of a batch or on row
// ranges of a PlaneGrid (so a view can spread a grid over frames), points
// and grid lines pushed from one stage to another in either direction, and
// each layer's log|det J| over the plane of its output. Every result goes
// into a destination the caller owns.
//
// Randomness always comes from a *rand.Rand passed in (math/rand/v2): the same
// seed and configuration give the same bits. With fastblas.Install (the
// reference order of the matrix product) they are the same bits on every
// platform, natively and under js/wasm: the engine calls only Dgemm of
// gonum's BLAS, its exp, log, tanh, pow and normal draws are internal/pmath's
// (never math's, whose assembly and fused multiply-adds vary by platform),
// and no product meeting a sum is left for the compiler to fuse
// (TestReproducibleTraining, make check-fma).
package core
