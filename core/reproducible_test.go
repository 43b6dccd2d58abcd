package core

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/vaeplayground/vae/fastblas"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/reproducible.golden from this platform's run")

// reproducibleGolden holds the hashes of the parameter slabs after
// reproducibleSteps steps of each reproducibleCases run. The same file is
// asserted natively (amd64, arm64, GOAMD64=v3) and under js/wasm with and
// without the SIMD kernel: a platform whose bits drift fails.
const (
	reproducibleGolden = "testdata/reproducible.golden"
	reproducibleSteps  = 200
)

// portableBlobs makes n 2-D points in four clusters from uniforms alone
// (no math routine, every product rounded), so the data are the same bits
// everywhere and the test depends only on the engine.
func portableBlobs(n int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		cx, cy := float64(2*(i%2)-1), float64(2*(i/2%2)-1)
		u := rng.Float64() + rng.Float64() + rng.Float64() - 1.5
		v := rng.Float64() + rng.Float64() + rng.Float64() - 1.5
		x.Set(i, 0, 2*cx+float64(0.5*u))
		x.Set(i, 1, cy+float64(0.5*v))
	}
	return x
}

// portableImages makes n grey 15×20 images (300 pixels, more than one block
// of the reference product's shared index) of a bright bar on a dim field.
func portableImages(n int, rng *rand.Rand) *mat.Dense {
	const rows, cols = 15, 20
	x := mat.NewDense(n, rows*cols, nil)
	for i := range n {
		bar := rng.IntN(rows + cols)
		for r := range rows {
			for c := range cols {
				v := float64(0.2 * rng.Float64())
				if (bar < rows && r == bar) || (bar >= rows && c == bar-rows) {
					v = 1 - v
				}
				x.Set(i, r*cols+c, v)
			}
		}
	}
	return x
}

type reproducibleCase struct {
	name  string
	cfg   Config
	data  func(int, *rand.Rand) *mat.Dense
	batch int
	hyper func(*Hyper)
}

func reproducibleCases() []reproducibleCase {
	twoD := func(edit func(*Config)) Config {
		c := DefaultConfig2D()
		c.EncoderHidden, c.DecoderHidden = []int{32, 32}, []int{32, 32}
		edit(&c)
		return c
	}
	return []reproducibleCase{
		{name: "2d-standard-planar-posterior", batch: 64, data: portableBlobs, cfg: twoD(func(c *Config) {
			c.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2, Amortized: true}
		})},
		{name: "2d-mixture-radial-posterior", batch: 64, data: portableBlobs, cfg: twoD(func(c *Config) {
			c.Prior = PriorConfig{Kind: "mixture", Components: 4}
			c.PosteriorFlow = FlowConfig{Kind: "radial", Layers: 2}
		}), hyper: func(h *Hyper) { h.WarmupSteps = 50 }},
		{name: "2d-flow-prior", batch: 64, data: portableBlobs, cfg: twoD(func(c *Config) {
			c.Prior = PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 3}
		})},
		{name: "2d-vamp-prior", batch: 64, data: portableBlobs, cfg: twoD(func(c *Config) {
			c.Prior = PriorConfig{Kind: "vamp", Components: 8}
			c.Activation = "softplus"
		}), hyper: func(h *Hyper) { h.FreeBits = 0.1 }},
		{name: "2d-gaussian-bayes-decoder", batch: 64, data: portableBlobs, cfg: twoD(func(c *Config) {
			c.Prior = PriorConfig{Kind: "gaussian"}
			c.Bayes = BayesConfig{Decoder: true}
		})},
		{name: "image-bernoulli-binarized", batch: 32, data: portableImages, cfg: Config{
			DataDim: 300, LatentDim: 2, EncoderHidden: []int{64}, DecoderHidden: []int{64},
			Activation: "relu", Likelihood: "bernoulli",
		}, hyper: func(h *Hyper) { h.Binarize = true; h.LearningRate = 3e-3 }},
	}
}

// hashValues is the SHA-256 of the slab's float64 bits, little-endian.
func hashValues(v []float64) string {
	h := sha256.New()
	var b [8]byte
	for _, x := range v {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(reproducibleGolden)
	if err != nil {
		if *updateGolden {
			return map[string]string{}
		}
		t.Fatal(err)
	}
	defer f.Close()
	golden := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hash, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s: bad line %q", reproducibleGolden, line)
		}
		golden[name] = strings.TrimSpace(hash)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return golden
}

// TestReproducibleTraining trains each case reproducibleSteps steps with the
// reproducible product (fastblas.Install) and compares the hash of the
// parameter slab with the golden file. `make test` runs it natively, under
// GOAMD64=v3 where the CPU has FMA, and under js/wasm with and without the
// SIMD kernel; go test -run TestReproducibleTraining -update-golden ./core/
// rewrites the file (then check the other platforms still agree).
func TestReproducibleTraining(t *testing.T) {
	saved := blas64.Implementation()
	t.Cleanup(func() { blas64.Use(saved) })
	backend := fastblas.Install()
	t.Logf("%s/%s, product %s", runtime.GOOS, runtime.GOARCH, backend)

	golden := readGolden(t)
	got := map[string]string{}
	for _, tc := range reproducibleCases() {
		t.Run(tc.name, func(t *testing.T) {
			x := tc.data(256, rand.New(rand.NewPCG(41, 42)))
			m, err := NewModel(tc.cfg, rand.New(rand.NewPCG(43, 44)))
			if err != nil {
				t.Fatal(err)
			}
			h := DefaultHyper()
			h.LearningRate = 3e-3
			if tc.hyper != nil {
				tc.hyper(&h)
			}
			tr, err := NewTrainer(m, x, tc.batch, h, 45)
			if err != nil {
				t.Fatal(err)
			}
			var last StepResult
			for i := range reproducibleSteps {
				if last = tr.Step(); last.Skipped {
					t.Fatalf("step %d skipped: %s", i, last.Reason)
				}
			}
			got[tc.name] = hashValues(m.Params.Values())
			t.Logf("loss %.6f after %d steps, hash %s", last.Loss, reproducibleSteps, got[tc.name])
			if *updateGolden {
				return
			}
			if want, ok := golden[tc.name]; !ok {
				t.Errorf("%s has no line for %s (run with -update-golden)", reproducibleGolden, tc.name)
			} else if got[tc.name] != want {
				t.Errorf("parameters after %d steps hash to %s, golden %s: this platform's bits differ", reproducibleSteps, got[tc.name], want)
			}
		})
	}
	if *updateGolden {
		var b strings.Builder
		fmt.Fprintf(&b, "# SHA-256 (first 128 bits) of the parameter slabs after %d steps of the cases in\n", reproducibleSteps)
		b.WriteString("# reproducible_test.go; the same on every platform. Written by -update-golden.\n")
		for _, tc := range reproducibleCases() {
			fmt.Fprintf(&b, "%s %s\n", tc.name, got[tc.name])
		}
		if err := os.WriteFile(filepath.FromSlash(reproducibleGolden), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkTrainStepBLAS is the cost of the reproducible product per training
// step: the reference models (DefaultConfig2D, batch 256; DefaultConfigImage,
// batch 128) on fastblas.Install (reproducible) and fastblas.InstallFast
// (gonum's assembly natively, OpenBLAS with -tags openblas; gonum's pure Go
// under js/wasm without the kernel; with the kernel both are the kernel).
func BenchmarkTrainStepBLAS(b *testing.B) {
	saved := blas64.Implementation()
	b.Cleanup(func() { blas64.Use(saved) })
	image := mat.NewDense(1024, 784, nil)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range data(image) {
		if rng.Float64() < 0.13 {
			data(image)[i] = 1
		}
	}
	for _, mode := range []struct {
		name    string
		install func() string
	}{{"reproducible", fastblas.Install}, {"fast", fastblas.InstallFast}} {
		b.Run(mode.name+"/2D", func(b *testing.B) {
			b.Logf("product %s", mode.install())
			benchmarkSteps(b, DefaultConfig2D(), twoBlobs(4096, rand.New(rand.NewPCG(1, 1))), 256)
		})
		b.Run(mode.name+"/image", func(b *testing.B) {
			b.Logf("product %s", mode.install())
			benchmarkSteps(b, DefaultConfigImage(), image, 128)
		})
	}
}
