package main

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/render"
	"gonum.org/v1/gonum/mat"
)

const panelSize = 480

// panel is one titled plot area inside an image.
type panel struct {
	img  *image.RGBA
	plot image.Rectangle
}

func newPanels(n int, th *render.Theme, titles ...string) (*image.RGBA, []image.Rectangle) {
	const pad, titleH = 16, 28
	img := image.NewRGBA(image.Rect(0, 0, n*panelSize+(n+1)*pad, panelSize+titleH+2*pad))
	render.FillRect(img, img.Bounds(), th.Background)
	rects := make([]image.Rectangle, n)
	for i := range n {
		x := pad + i*(panelSize+pad)
		render.DrawText(img, th.Title, x, pad, titles[i], th.Text, render.AlignLeft, render.AlignTop)
		rects[i] = image.Rect(x, pad+titleH, x+panelSize, pad+titleH+panelSize)
		render.FillRect(img, rects[i], th.Panel)
	}
	return img, rects
}

// Room around a plot inside its panel: tick values left of and below it
// (render.DrawAxes), and on the right a colour bar with its values.
const (
	axesLeft, axesBelow = 44, 24
	colorbarWidth       = 84
)

// plotArea is the square part of panel r left for the plot once there is
// room for the axes and, if asked, a colour bar; a square keeps a latent
// plane's units equal on both axes without widening its range.
func plotArea(r image.Rectangle, colorbar bool) image.Rectangle {
	right := 8
	if colorbar {
		right = colorbarWidth
	}
	side := min(r.Dx()-axesLeft-right, r.Dy()-axesBelow-8)
	x0, y0 := r.Min.X+axesLeft, r.Min.Y+8
	return image.Rect(x0, y0, x0+side, y0+side)
}

// heatmapPanel draws grid through vp with axes and a colour bar labelled
// label to the right of the plot.
func heatmapPanel(img *image.RGBA, vp render.Viewport, grid render.Grid, cmap *render.Colormap, vr render.ValueRange, label string, th *render.Theme) {
	render.Heatmap(img, vp, grid, cmap, vr, th.NoData)
	render.DrawAxes(img, vp, th)
	p := vp.Pixels
	render.Colorbar(img, image.Rect(p.Max.X+14, p.Min.Y, p.Max.X+colorbarWidth, p.Max.Y), cmap, vr, label, th)
}

func savePNG(path string, img image.Image) error {
	return writeFile(path, func(w io.Writer) error { return png.Encode(w, img) })
}

// pointRows is the batch of latent codes at pts (one row a point): how a
// grid or a set of codes goes through the model in one call.
func pointRows(pts []render.Point) *mat.Dense {
	z := mat.NewDense(len(pts), 2, nil)
	for i, p := range pts {
		z.Set(i, 0, p.X)
		z.Set(i, 1, p.Y)
	}
	return z
}

func toPoints(m *mat.Dense, c0, c1 int) []render.Point {
	n, _ := m.Dims()
	pts := make([]render.Point, n)
	for i := range pts {
		pts[i] = render.Point{X: m.At(i, c0), Y: m.At(i, c1)}
	}
	return pts
}

// labels returns class indices for colouring, −1 when the set has none.
func labels(ds *datasets.Dataset) []int {
	out := make([]int, ds.N)
	for i := range out {
		out[i] = ds.Label(i)
	}
	return out
}

// writeViews draws the trained model's views and returns the file names.
func writeViews(dir string, m *core.Model, ds *datasets.Dataset, x *mat.Dense, h *history, seed uint64) ([]string, error) {
	th := render.DarkTheme()
	rng := rand.New(rand.NewPCG(seed, 0x71e5))
	var files []string
	save := func(name string, img image.Image) error {
		files = append(files, name)
		return savePNG(filepath.Join(dir, name), img)
	}

	// Loss curves.
	img, r := newPanels(2, th, "training objective (nats)", "KL (nats)")
	render.LineChart(img, r[0], []render.Series{
		{Name: "ELBO", X: h.step, Y: h.elbo},
		{Name: "reconstruction", X: h.step, Y: h.recon},
	}, render.ChartOptions{XLabel: "step"}, th)
	render.LineChart(img, r[1], []render.Series{{Name: "KL", X: h.step, Y: h.kl}}, render.ChartOptions{XLabel: "step"}, th)
	if err := save("loss.png", img); err != nil {
		return files, err
	}

	n := min(ds.N, 3000)
	sub := x.Slice(0, n, 0, ds.D).(*mat.Dense)
	classes := labels(ds)[:n]

	// Latent space: prior density with the codes of the data on top.
	if m.Config.LatentDim == 2 {
		var mu mat.Dense
		m.Encode(&mu, nil, sub)
		ts, twoStage := m.Prior.(*core.TwoStagePrior)
		twoStage = twoStage && ts.Trainer != nil // fitted: it is the prior that generates
		title := "prior log-density and codes (encoder means)"
		if twoStage {
			title = "two-stage prior log-density (IWAE, k=16) and codes"
		}
		img, r := newPanels(2, th, title, "aggregate posterior samples")
		view := render.DataRect(-4, -4, 4, 4)
		vp := render.FitViewport(view, plotArea(r[0], true))
		grid := render.NewGrid(vp.Data, 160, 160)
		pts := grid.Points(nil)
		z := pointRows(pts)
		if twoStage {
			ts.ScoreCodes(grid.Values, z, 16, rng)
		} else {
			m.PriorLogProb(grid.Values, z)
		}
		vr := render.AutoLogRange(grid.Values, 0)
		vps := []render.Viewport{vp, render.FitViewport(view, plotArea(r[1], true))}
		for _, vp := range vps {
			heatmapPanel(img, vp, grid, render.Viridis, vr, "log p(z)", th)
		}
		render.Scatter(img, vp, toPoints(&mu, 0, 1), render.ClassColors(classes, th.Palette, 0.55), 2)
		render.ClassLegend(img, vp.Pixels, ds.LabelNames, th.Palette, th)
		var zs mat.Dense
		m.SamplePosterior(&zs, sub, rng)
		render.Scatter(img, vps[1], toPoints(&zs, 0, 1), render.ClassColors(classes, th.Palette, 0.45), 2)
		if err := save("latent.png", img); err != nil {
			return files, err
		}
	}

	if m.Config.Bayes.Decoder && m.Config.LatentDim == 2 {
		if err := save("uncertainty.png", uncertaintyView(m, ds, sub, classes, th, rng)); err != nil {
			return files, err
		}
	}

	switch ds.Kind {
	case datasets.Points2D:
		img, r := newPanels(2, th, "data", "model samples (z ~ prior, x ~ decoder)")
		// BoundsOf widens a degenerate extent (one point, a vertical line).
		view := render.BoundsOf(toPoints(x, 0, 1)).Pad(0.1)
		vp0, vp1 := render.FitViewport(view, plotArea(r[0], false)), render.FitViewport(view, plotArea(r[1], false))
		render.DrawAxes(img, vp0, th)
		render.DrawAxes(img, vp1, th)
		render.Scatter(img, vp0, toPoints(sub, 0, 1), render.ClassColors(classes, th.Palette, 0.5), 2)
		render.ClassLegend(img, vp0.Pixels, ds.LabelNames, th.Palette, th)
		z := mat.NewDense(n, m.Config.LatentDim, nil)
		if ts, ok := m.Prior.(*core.TwoStagePrior); ok && ts.Trainer != nil {
			ts.SampleCodes(z, rng)
		} else {
			m.SamplePrior(z, rng)
		}
		out := m.Dec.Forward(z)
		samples := mat.NewDense(n, ds.D, nil)
		m.Lik.Sample(samples, out, rng)
		render.Scatter(img, vp1, toPoints(samples, 0, 1), []color.RGBA{render.WithAlpha(th.Palette[1], 0.5)}, 2)
		if err := save("samples.png", img); err != nil {
			return files, err
		}
	case datasets.Image:
		w, hgt := ds.Width, ds.Height
		img, r := newPanels(2, th, "inputs | reconstructions", "decoded prior samples")
		k := min(24, ds.N)
		var rec mat.Dense
		in := x.Slice(0, k, 0, ds.D).(*mat.Dense)
		m.Reconstruct(&rec, in)
		var inputs, recons [][]float64
		for i := range k {
			inputs = append(inputs, mat.Row(nil, i, in))
			recons = append(recons, mat.Row(nil, i, &rec))
		}
		render.ReconstructionPairs(img, r[0], inputs, recons, w, hgt, 4, nil)
		var gen mat.Dense
		m.Generate(&gen, 64, rng)
		var imgs [][]float64
		for i := range 64 {
			imgs = append(imgs, mat.Row(nil, i, &gen))
		}
		render.Tiles(img, r[1], imgs, w, hgt, 8, nil)
		if err := save("images.png", img); err != nil {
			return files, err
		}
		if m.Config.LatentDim == 2 {
			img, r := newPanels(1, th, "latent manifold: decoded grid over [−3, 3]²")
			codes := render.ManifoldCodes(render.DataRect(-3, -3, 3, 3), 20)
			z := pointRows(codes)
			var dec mat.Dense
			m.Decode(&dec, z)
			imgs = imgs[:0]
			for i := range codes {
				imgs = append(imgs, mat.Row(nil, i, &dec))
			}
			render.Tiles(img, r[0], imgs, w, hgt, 20, &render.TileOptions{Gap: -1})
			if err := save("manifold.png", img); err != nil {
				return files, err
			}
		}
	}
	return files, nil
}

// uncertaintyView draws the decoder's predictive spread over the latent plane
// (total variance of E[x|z, w] over weight draws, in log10) with the codes of
// the data on top: the decoder is unsure where no data was encoded.
func uncertaintyView(m *core.Model, ds *datasets.Dataset, sub *mat.Dense, classes []int, th *render.Theme, rng *rand.Rand) *image.RGBA {
	img, r := newPanels(1, th, "decoder uncertainty: log10 Σ Var_w E[x|z,w] (32 weight draws)")
	view := render.DataRect(-4, -4, 4, 4)
	vp := render.FitViewport(view, plotArea(r[0], true))
	grid := render.NewGrid(vp.Data, 96, 96)
	pts := grid.Points(nil)
	z := pointRows(pts)
	var mean, variance mat.Dense
	m.PredictiveDecode(&mean, &variance, z, 32, rng)
	for i := range pts {
		grid.Values[i] = math.Log10(mat.Sum(variance.RowView(i)) + 1e-300)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range grid.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	heatmapPanel(img, vp, grid, render.Magma, render.ValueRange{Lo: lo, Hi: hi}, "log10 Var", th)
	var mu mat.Dense
	m.Encode(&mu, nil, sub)
	render.Scatter(img, vp, toPoints(&mu, 0, 1), render.ClassColors(classes, th.Palette, 0.5), 1.8)
	return img
}
