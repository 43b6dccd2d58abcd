// Package datasets provides the data a VAE playground trains on: seeded 2-D
// toy sets from the density-estimation literature, real MNIST read from its
// original IDX files, procedural shape images with known generating factors,
// and user data (points drawn with the mouse or imported from CSV).
//
// A Dataset is plain data: N rows of D float64 values (row-major in X), or,
// for image sets, N rows of W×H grey bytes in Pix; Row and Batch copy rows
// out as float64 values whichever storage is used. Optional integer labels
// (moon, ring, arm, digit, shape…) and continuous generating factors
// (swiss-roll position, shape scale and rotation…) colour the latent space.
// A Normalization records how X was rescaled so views can map points back.
//
// One registry (List, Lookup, Generate) names every dataset with its
// parameters, their defaults and valid ranges; the UI, the URL state and the
// CLI all read it, and adding a dataset is one entry in it.
//
// All randomness comes from an explicit *rand.Rand (math/rand/v2); the same
// seed and parameters give the same bits. Every reader (CSV, IDX, the packed
// image format) treats its input as untrusted: it returns a clear error that
// names the line or field at fault, never panics, and never returns a
// half-filled dataset.
//
// The package imports no windowing, browser or model code.
package datasets
