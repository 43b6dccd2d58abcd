// Command vaebench times this project's side of the side-by-side benchmark:
// training steps of the two reference models and square matrix products, on
// gonum's pure-Go BLAS or on the backend fastblas installs (the wasm SIMD
// kernel under js/wasm, OpenBLAS with -tags openblas). It prints one JSON
// object per result; bench/run.sh runs it natively and under Node and
// bench/report.js turns the results into bench/results.md.
//
//	go run ./bench/vaebench -blas fast -what train
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/fastblas"
)

// result is one measurement, in the shape bench/report.js reads.
type result struct {
	Impl    string  `json:"impl"`    // "go"
	Runtime string  `json:"runtime"` // "native" or "js/wasm"
	Backend string  `json:"backend"` // the BLAS behind the products
	Kind    string  `json:"kind"`    // "train" or "matmul"
	Case    string  `json:"case"`    // model or matrix size
	Rate    float64 `json:"rate"`    // train: steps/s; matmul: GFLOPS
	Threads int     `json:"threads"` // GOMAXPROCS
}

func main() {
	blasFlag := flag.String("blas", "fast", `"gonum" (pure Go), "fast" (fastblas.InstallFast) or "reproducible" (fastblas.Install)`)
	what := flag.String("what", "train,matmul", "train, matmul, or both")
	seconds := flag.Float64("seconds", 3, "minimum timed seconds per case")
	only := flag.String("model", "image,2d", "models to train")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file (native)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	backend := fastblas.BackendGonum
	switch *blasFlag {
	case "fast":
		backend = fastblas.InstallFast()
	case "reproducible":
		backend = fastblas.Install()
	}
	rt := "native"
	if runtime.GOOS == "js" {
		rt = "js/wasm"
	}
	emit := func(kind, name string, rate float64) {
		r := result{Impl: "go", Runtime: rt, Backend: backend, Kind: kind, Case: name, Rate: rate, Threads: runtime.GOMAXPROCS(0)}
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
	}
	budget := time.Duration(*seconds * float64(time.Second))
	for _, w := range []string{"train", "matmul"} {
		if !contains(*what, w) {
			continue
		}
		switch w {
		case "train":
			for _, m := range models() {
				if !contains(*only, m.name) {
					continue
				}
				emit("train", m.name, trainRate(m, budget))
			}
		case "matmul":
			for _, n := range []int{64, 256, 512} {
				emit("matmul", fmt.Sprint(n), matmulRate(n, budget))
			}
		}
	}
}

func contains(list, w string) bool {
	for len(list) > 0 {
		i := 0
		for i < len(list) && list[i] != ',' {
			i++
		}
		if list[:i] == w {
			return true
		}
		if i == len(list) {
			break
		}
		list = list[i+1:]
	}
	return false
}

// benchModel is one of the two reference models with its data shape.
type benchModel struct {
	name  string
	cfg   core.Config
	batch int
	data  func(rng *rand.Rand) *mat.Dense
}

// models are the two reference models: the image model (784-256-(2·2)
// / 2-256-784, ReLU, Bernoulli, batch 128) and the 2-D model (2-64-64-(2·2) /
// 2-64-64-2, tanh, Gaussian, batch 256), both with Adam. The data only fixes
// the shape: the cost of a step does not depend on the values.
func models() []benchModel {
	return []benchModel{
		{"image", core.DefaultConfigImage(), 128, func(rng *rand.Rand) *mat.Dense {
			x := mat.NewDense(1024, 784, nil)
			for i := range x.RawMatrix().Data {
				if rng.Float64() < 0.2 {
					x.RawMatrix().Data[i] = 1
				}
			}
			return x
		}},
		{"2d", core.DefaultConfig2D(), 256, func(rng *rand.Rand) *mat.Dense {
			x := mat.NewDense(2048, 2, nil)
			for i := range x.RawMatrix().Data {
				x.RawMatrix().Data[i] = rng.NormFloat64()
			}
			return x
		}},
	}
}

// trainRate returns training steps per second after a warm-up.
func trainRate(m benchModel, budget time.Duration) float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	model, err := core.NewModel(m.cfg, rng)
	if err != nil {
		log.Fatal(err)
	}
	tr, err := core.NewTrainer(model, m.data(rng), m.batch, core.DefaultHyper(), 3)
	if err != nil {
		log.Fatal(err)
	}
	for range 10 {
		tr.Step()
	}
	steps := 0
	start := time.Now()
	for time.Since(start) < budget {
		for range 10 {
			if r := tr.Step(); r.Skipped {
				log.Fatalf("%s: step skipped: %s", m.name, r.Reason)
			}
		}
		steps += 10
	}
	return float64(steps) / time.Since(start).Seconds()
}

// matmulRate returns GFLOPS of C = A·B for n×n matrices through blas64.Gemm.
func matmulRate(n int, budget time.Duration) float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	mk := func() blas64.General {
		g := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
		for i := range g.Data {
			g.Data[i] = rng.Float64()
		}
		return g
	}
	a, b, c := mk(), mk(), mk()
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
	calls := 0
	start := time.Now()
	for time.Since(start) < budget {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		calls++
	}
	return 2 * float64(n) * float64(n) * float64(n) * float64(calls) / time.Since(start).Seconds() / 1e9
}

func init() { log.SetOutput(os.Stderr) }
