// Command browser measures, in headless Chromium, training steps per second
// of the playground's training worker (dist/site/worker.wasm, the same
// program the site runs, driven through its message protocol) beside
// TensorFlow.js's wasm backend training the same two models in a Web Worker
// of the same browser — a one-off measurement, not part of the site.
//
// This program writes the worker's messages for the two reference models
// of bench/vaebench (the trainer checkpoint and data of a build, then play
// and pause); run.mjs serves them with the worker, TensorFlow.js from
// bench/node_modules and the page, and drives Chromium:
//
//	make site && (cd bench && npm ci) && (cd web/e2e && npm ci)
//	go run ./bench/browser -out dist/browserbench && node bench/browser/run.mjs
package main

import (
	"bytes"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/trainworker"
	"gonum.org/v1/gonum/mat"
)

func main() {
	out := flag.String("out", "dist/browserbench", "folder for the messages")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	// bench/vaebench's models: the data only fix the shape.
	rng := rand.New(rand.NewPCG(1, 2))
	image := mat.NewDense(1024, 784, nil)
	for i := range image.RawMatrix().Data {
		if rng.Float64() < 0.2 {
			image.RawMatrix().Data[i] = 1
		}
	}
	points := mat.NewDense(2048, 2, nil)
	for i := range points.RawMatrix().Data {
		points.RawMatrix().Data[i] = rng.NormFloat64()
	}
	for _, m := range []struct {
		name  string
		cfg   core.Config
		batch int
		x     *mat.Dense
	}{
		{"image", core.DefaultConfigImage(), 128, image},
		{"2d", core.DefaultConfig2D(), 256, points},
	} {
		model, err := core.NewModel(m.cfg, rng)
		if err != nil {
			log.Fatal(err)
		}
		tr, err := core.NewTrainer(model, m.x, m.batch, core.DefaultHyper(), 3)
		if err != nil {
			log.Fatal(err)
		}
		var ckpt bytes.Buffer
		if err := tr.Save(&ckpt); err != nil {
			log.Fatal(err)
		}
		r, c := m.x.Dims()
		write(*out, "build-"+m.name+".bin", trainworker.Message{Kind: trainworker.KindBuild, Gen: 1, Seq: 1,
			Trainer: ckpt.Bytes(), Rows: r, Cols: c, Data: m.x.RawMatrix().Data})
	}
	write(*out, "play.bin", trainworker.Message{Kind: trainworker.KindRun, Gen: 1, Seq: 2, Playing: true})
}

func write(dir, name string, m trainworker.Message) {
	b, err := trainworker.Encode(m)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
