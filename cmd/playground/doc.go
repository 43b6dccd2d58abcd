// Command playground is the VAE playground as a desktop app: the same game
// as the browser build, with training on a goroutine of its own.
//
//	go run ./cmd/playground                       # open the window
//	go run ./cmd/playground -model run/model.vae  # start from a checkpoint
//	go run ./cmd/playground -csv points.csv       # train on your own points
//	go run ./cmd/playground -screenshot shot.png -after 300
//
// -screenshot trains from the first frame, writes the screen after -after
// frames and exits 0 (how CI checks the native build under Xvfb).
package main
