// Package safetensors reads and writes the safetensors format, the plain
// tensor container of the Python machine-learning world:
//
//	8 bytes   N, the header's length, unsigned little-endian
//	N bytes   a UTF-8 JSON object: tensor name → {"dtype", "shape",
//	          "data_offsets": [begin, end]} (offsets into the byte buffer),
//	          and an optional "__metadata__" object of string → string;
//	          it starts with '{' and may be padded at the end with spaces
//	the rest  the byte buffer: every tensor's values, little-endian, row-major
//
// The reader treats a file as hostile and keeps every rule of the published
// format: the header's length is bounded before anything is allocated; it
// must be valid UTF-8 starting with '{' with nothing but spaces after the
// object; no key appears twice at any level; metadata values are strings;
// every tensor's byte range matches its dtype and shape, and the ranges tile
// the byte buffer exactly (from 0, no gap, no overlap, nothing after the last
// one). The writer produces what the reference implementation does: the
// metadata first, the header padded with spaces to a multiple of 8 bytes so
// that the buffer is aligned, tensors packed in the order given.
//
// Reading is in two steps, ReadHeader and then ReadData, so that a caller can
// check names, dtypes and shapes against what it expects before the buffer
// is read; Read does both.
//
// The package knows nothing of models; core maps a VAE to and from tensors.
package safetensors
