// Command genkernel writes the WebAssembly SIMD matrix-multiply kernel of
// package wasmkernel to a file.
//
//	go run ./fastblas/wasmkernel/genkernel -o dist/web/vaegemm.wasm
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/vaeplayground/vae/fastblas/wasmkernel"
)

func main() {
	out := flag.String("o", "vaegemm.wasm", "output file")
	flag.Parse()
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, wasmkernel.Module(), 0o644); err != nil {
		log.Fatal(err)
	}
}
