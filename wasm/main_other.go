//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains the build: this entry is the browser's.
func main() {
	fmt.Fprintln(os.Stderr, "this is the browser entry: build it with GOOS=js GOARCH=wasm (make site); the desktop app is ./cmd/playground")
	os.Exit(2)
}
