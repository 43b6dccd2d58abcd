// Command serve serves the playground's static site (cmd/site) on the local
// machine, the way a careful static host would:
//
//	go run ./cmd/serve -dir dist/site -port 8080 -prefix /some/path/
//
// It listens on 127.0.0.1 only and prints the URL. Each file goes out with
// its MIME type (application/wasm for WebAssembly, which streaming
// compilation demands), as its precompressed .br or .gz copy when the browser
// accepts that encoding (Content-Encoding, Vary: Accept-Encoding), with an
// ETag for revalidation, and cached for a year when the URL names a version
// (?v=, written by the site builder) or revalidated every time otherwise
// (sw.js, the service worker, always: a browser finds a new build by its bytes). It
// lists no folders, serves no hidden files and nothing outside -dir (os.Root
// refuses paths and links that leave it). -prefix serves the site under a
// sub-path, to check that every URL in it is relative.
package main
