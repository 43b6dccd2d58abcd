//go:build !(js && wasm)

package main

import "fmt"

// The worker runs only in a browser's Web Worker.
func main() {
	fmt.Println("the training worker is built for js/wasm: make site ships it (worker.wasm)")
}
