package main

import (
	"image"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/render"
	"gonum.org/v1/gonum/mat"
)

// TestMain installs the build's fastest BLAS, as the command does, so the
// benchmarks measure what a user runs (go test -tags openblas for OpenBLAS).
func TestMain(m *testing.M) {
	fastblas.Install()
	os.Exit(m.Run())
}

// BenchmarkFlowPriorDensityView256 is one frame of the prior view: the
// log-density of a 32-layer planar flow prior on a 256×256 latent grid (one
// batch through the model), then the heatmap with its automatic range.
func BenchmarkFlowPriorDensityView256(b *testing.B) {
	cfg := core.DefaultConfig2D()
	cfg.Prior = core.PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 32}
	m, err := core.NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	// Move the layers off the identity so the density is not trivial.
	for i, v := range m.Params.Values() {
		m.Params.Values()[i] = v + 0.3*rand.New(rand.NewPCG(uint64(i), 3)).NormFloat64()
	}
	dst := image.NewRGBA(image.Rect(0, 0, 256, 256))
	vp := render.NewViewport(render.DataRect(-4, -4, 4, 4), dst.Bounds())
	grid := render.NewGrid(vp.Data, 256, 256)
	z := pointRows(grid.Points(nil))
	th := render.DarkTheme()
	b.ReportAllocs()
	for b.Loop() {
		m.PriorLogProb(grid.Values, z)
		render.Heatmap(dst, vp, grid, render.Viridis, render.AutoLogRange(grid.Values, 0), th.NoData)
	}
}

// BenchmarkDecodedGrid20x20 is one frame of the latent manifold: 400 codes
// decoded by the reference image model (2-256-784) in one batch and tiled.
func BenchmarkDecodedGrid20x20(b *testing.B) {
	m, err := core.NewModel(core.DefaultConfigImage(), rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	codes := render.ManifoldCodes(render.DataRect(-3, -3, 3, 3), 20)
	z := pointRows(codes)
	dst := image.NewRGBA(image.Rect(0, 0, 20*28, 20*28))
	var dec mat.Dense
	imgs := make([][]float64, len(codes))
	b.ReportAllocs()
	for b.Loop() {
		m.Decode(&dec, z)
		raw := dec.RawMatrix()
		for i := range imgs {
			imgs[i] = raw.Data[i*raw.Stride : i*raw.Stride+784]
		}
		render.Tiles(dst, dst.Bounds(), imgs, 28, 28, 20, &render.TileOptions{Gap: -1})
	}
}
