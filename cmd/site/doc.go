// Command site builds the playground's static site: a folder that works from
// any static host and under any sub-path.
//
//	go run ./cmd/site -out dist/site
//
// It builds the game (package wasm, GOOS=js GOARCH=wasm, stripped with
// -trimpath -ldflags='-s -w'), writes the WebAssembly SIMD matrix kernel
// (fastblas/wasmkernel), copies Go's wasm_exec.js from the toolchain in use,
// fastblas/js/vaegemm.js and the sources in web/, and copies the packed data
// sets found in -data into data/ (fetched by the game only when a set needs
// them). index.html gets a manifest of every file's raw size and content
// hash: the loader counts the download against raw sizes and names each file
// by version. Every file of a kilobyte or more gets precompressed .br
// (brotli, best quality) and .gz (gzip, best) copies beside it, which
// cmd/serve and most static hosts serve to browsers that accept them.
//
// It also draws icon.svg as icon-192.png and icon-512.png for the web app
// manifest (manifest.webmanifest), and writes the build's list into sw.js,
// the service worker that keeps the site for offline use: every top-level
// file's size and hash, the data sets apart, and a build name that changes
// with any of them (see DEVELOPERS.md). -compress=false skips the
// precompressed copies; -worker-wasm ships an already built worker.
//
// It prints each file's raw, gzip and brotli size and the first load: what a
// browser fetches before the first frame, data sets excluded.
package main
