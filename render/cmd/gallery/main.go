// Command gallery draws every view of the render package from synthetic data
// and writes each to a PNG file, so a person can look at them:
//
//	go run ./render/cmd/gallery -out dist/gallery
//
// The data stand in for what the app computes with the model: a mixture
// density for the aggregate posterior, N(0, I) for the prior, planar flow
// layers, a procedural "decoder" drawing rings, and noisy loss curves.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/vaeplayground/vae/render"
)

func main() {
	out := flag.String("out", "dist/gallery", "folder for the PNG files")
	light := flag.Bool("light", false, "use the light theme")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	th := render.DarkTheme()
	if *light {
		th = render.LightTheme()
	}
	views := []struct {
		name string
		draw func(*render.Theme) *image.RGBA
	}{
		{"density", densityView},
		{"scatter", scatterView},
		{"flow", flowView},
		{"mixture", mixtureView},
		{"manifold", manifoldView},
		{"reconstructions", reconstructionView},
		{"interpolation", interpolationView},
		{"losses", lossView},
	}
	for _, v := range views {
		path := filepath.Join(*out, v.name+".png")
		if err := writePNG(path, v.draw(th)); err != nil {
			log.Fatal(err)
		}
		fmt.Println(path)
	}
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func canvas(w, h int, th *render.Theme) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	render.FillRect(img, img.Bounds(), th.Background)
	return img
}

// ringMixture is the log-density of eight Gaussians on a circle: a stand-in
// for a trained VAE's aggregate posterior.
func ringMixture(p render.Point) float64 {
	const k, radius, s = 8, 2.0, 0.35
	lse := math.Inf(-1)
	for i := range k {
		a := 2 * math.Pi * float64(i) / k
		dx, dy := p.X-radius*math.Cos(a), p.Y-radius*math.Sin(a)
		l := -0.5*(dx*dx+dy*dy)/(s*s) - math.Log(2*math.Pi*s*s) - math.Log(k)
		lse = logAddExp(lse, l)
	}
	return lse
}

func stdNormal(p render.Point) float64 { return -0.5*(p.X*p.X+p.Y*p.Y) - math.Log(2*math.Pi) }

func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// densityView: aggregate posterior as a heatmap, prior as contours on top.
func densityView(th *render.Theme) *image.RGBA {
	img := canvas(560, 470, th)
	render.DrawText(img, th.Title, 16, 12, "Aggregate posterior q(z) with prior p(z) contours", th.Text, render.AlignLeft, render.AlignTop)
	bounds := render.DataRect(-3.5, -3.5, 3.5, 3.5)
	vp := render.NewViewport(bounds, image.Rect(56, 44, 456, 444))
	q := render.NewGrid(bounds, 128, 128)
	q.Fill(ringMixture)
	vr := render.AutoLogRange(q.Values, 0)
	render.Heatmap(img, vp, q, render.Viridis, vr, th.NoData)
	prior := render.NewGrid(bounds, 96, 96)
	prior.Fill(stdNormal)
	render.Contours(img, vp, prior, render.GaussianLevels(stdNormal(render.Point{}), 3), render.WithAlpha(th.Overlay, 0.85), 1.5)
	render.DrawAxes(img, vp, th)
	render.Colorbar(img, image.Rect(478, 44, 550, 444), render.Viridis, vr, "log q(z)", th)
	return img
}

// latentCodes makes class-coloured codes in eight clusters on a ring, with a
// posterior σ per code.
func latentCodes(n int) (mu, sigma []render.Point, class []int) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range n {
		c := rng.IntN(8)
		a := 2 * math.Pi * float64(c) / 8
		r := 2 + 0.3*rng.NormFloat64()
		mu = append(mu, render.Point{X: r*math.Cos(a) + 0.25*rng.NormFloat64(), Y: r*math.Sin(a) + 0.25*rng.NormFloat64()})
		sigma = append(sigma, render.Point{X: 0.1 + 0.15*rng.Float64(), Y: 0.1 + 0.15*rng.Float64()})
		class = append(class, c)
	}
	return mu, sigma, class
}

// scatterView: latent codes coloured by class with three posterior ellipses.
func scatterView(th *render.Theme) *image.RGBA {
	img := canvas(480, 470, th)
	render.DrawText(img, th.Title, 16, 12, "Latent codes μ(x) by class, μ ± 2σ for three points", th.Text, render.AlignLeft, render.AlignTop)
	vp := render.NewViewport(render.DataRect(-3.5, -3.5, 3.5, 3.5), image.Rect(56, 44, 456, 444))
	render.FillRect(img, vp.Pixels, th.Panel)
	mu, sigma, class := latentCodes(3000)
	render.Scatter(img, vp, mu, render.ClassColors(class, th.Palette, 0.55), 2.2)
	for _, k := range []int{3, 40, 77} {
		render.PosteriorEllipse(img, vp, mu[k], render.Point{X: sigma[k].X * 2.5, Y: sigma[k].Y * 2.5}, th.ClassColor(class[k]))
	}
	render.DrawAxes(img, vp, th)
	return img
}

// planar is one planar flow layer f(z) = z + û·tanh(wᵀz + b), with û already
// constrained so that wᵀû ≥ −1 (the layer is invertible).
type planar struct {
	w, u render.Point
	b    float64
}

func (l planar) forward(z render.Point) render.Point {
	h := math.Tanh(l.w.X*z.X + l.w.Y*z.Y + l.b)
	return render.Point{X: z.X + l.u.X*h, Y: z.Y + l.u.Y*h}
}

// logDet is log|det ∂f/∂z| = log|1 + ûᵀw·tanh'(wᵀz + b)|.
func (l planar) logDet(z render.Point) float64 {
	t := math.Tanh(l.w.X*z.X + l.w.Y*z.Y + l.b)
	return math.Log(math.Abs(1 + (l.u.X*l.w.X+l.u.Y*l.w.Y)*(1-t*t)))
}

// inverse solves f(z) = y: α = wᵀz solves wᵀy = α + wᵀû·tanh(α + b), which is
// monotone in α, by bisection.
func (l planar) inverse(y render.Point) render.Point {
	wy := l.w.X*y.X + l.w.Y*y.Y
	wu := l.w.X*l.u.X + l.w.Y*l.u.Y
	lo, hi := wy-math.Abs(wu)-1, wy+math.Abs(wu)+1
	for range 60 {
		mid := (lo + hi) / 2
		if mid+wu*math.Tanh(mid+l.b) < wy {
			lo = mid
		} else {
			hi = mid
		}
	}
	h := math.Tanh((lo+hi)/2 + l.b)
	return render.Point{X: y.X - l.u.X*h, Y: y.Y - l.u.Y*h}
}

func flowLayers() []planar {
	mk := func(wx, wy, ux, uy, b float64) planar {
		w, u := render.Point{X: wx, Y: wy}, render.Point{X: ux, Y: uy}
		// û = u + (m(wᵀu) − wᵀu)·w/‖w‖², m(x) = −1 + softplus(x).
		wu := w.X*u.X + w.Y*u.Y
		m := -1 + math.Log1p(math.Exp(wu))
		n2 := w.X*w.X + w.Y*w.Y
		return planar{w: w, u: render.Point{X: u.X + (m-wu)*w.X/n2, Y: u.Y + (m-wu)*w.Y/n2}, b: b}
	}
	return []planar{
		mk(1.2, 0, -1.5, 0.5, 0.3),  // wᵀu = −1.8: contracts x towards a ridge
		mk(0, 1.2, 0.8, 1.5, -0.4),  // wᵀu = 1.8: stretches y apart
		mk(0.9, 0.9, -1.2, -1, 0.8), // wᵀu ≈ −2: contracts along the diagonal
	}
}

// flowView: a regular grid and N(0, I) pushed through three planar layers.
func flowView(th *render.Theme) *image.RGBA {
	layers := flowLayers()
	view := render.DataRect(-4, -4, 4, 4)
	const n = 96
	stages := []render.FlowStage{}
	lines := render.GridLines(render.DataRect(-3, -3, 3, 3), 13, 200)
	for k := 0; k <= len(layers); k++ {
		dens := render.NewGrid(view, n, n)
		// log q_k(y) = log N(z₀) − Σ log|det J_i(z_{i−1})| with z₀ the preimage of y.
		dens.Fill(func(y render.Point) float64 {
			logDet := 0.0
			for i := k - 1; i >= 0; i-- {
				y = layers[i].inverse(y)
				logDet += layers[i].logDet(y)
			}
			return stdNormal(y) - logDet
		})
		st := render.FlowStage{Title: "base N(0, I)", Density: dens, Lines: cloneLines(lines)}
		if k > 0 {
			st.Title = fmt.Sprintf("after layer %d", k)
			st.LogDet = render.NewGrid(view, n, n)
			st.LogDet.Fill(func(y render.Point) float64 { return layers[k-1].logDet(layers[k-1].inverse(y)) })
		}
		stages = append(stages, st)
		for _, l := range lines {
			for i := range l {
				if k < len(layers) {
					l[i] = layers[k].forward(l[i])
				}
			}
		}
	}
	img := canvas(4*200+10*5+80, 2*(200+30)+20, th)
	render.FlowView(img, img.Bounds(), view, stages, th)
	return img
}

func cloneLines(ls [][]render.Point) [][]render.Point {
	out := make([][]render.Point, len(ls))
	for i, l := range ls {
		out[i] = append([]render.Point(nil), l...)
	}
	return out
}

// mixtureView: a mixture prior's components over its density.
func mixtureView(th *render.Theme) *image.RGBA {
	img := canvas(480, 470, th)
	render.DrawText(img, th.Title, 16, 12, "Mixture prior: drag a dot to move a component, a ring to reshape it", th.Text, render.AlignLeft, render.AlignTop)
	bounds := render.DataRect(-3.5, -3.5, 3.5, 3.5)
	vp := render.NewViewport(bounds, image.Rect(56, 44, 456, 444))
	comps := []render.Component{
		{Mean: render.Point{X: -1.5, Y: 1.2}, Cov: render.Cov2{XX: 0.5, XY: 0.25, YY: 0.3}, Weight: 0.35},
		{Mean: render.Point{X: 1.4, Y: 1.5}, Cov: render.DiagCov(0.4, 0.7), Weight: 0.25},
		{Mean: render.Point{X: 0.3, Y: -1.6}, Cov: render.Cov2{XX: 0.9, XY: -0.3, YY: 0.25}, Weight: 0.4},
	}
	g := render.NewGrid(bounds, 128, 128)
	g.Fill(func(p render.Point) float64 {
		lse := math.Inf(-1)
		for _, c := range comps {
			det := c.Cov.XX*c.Cov.YY - c.Cov.XY*c.Cov.XY
			dx, dy := p.X-c.Mean.X, p.Y-c.Mean.Y
			m := (c.Cov.YY*dx*dx - 2*c.Cov.XY*dx*dy + c.Cov.XX*dy*dy) / det
			lse = logAddExp(lse, math.Log(c.Weight)-0.5*m-math.Log(2*math.Pi)-0.5*math.Log(det))
		}
		return lse
	})
	render.Heatmap(img, vp, g, render.Magma, render.AutoLogRange(g.Values, 8), th.NoData)
	render.MixtureComponents(img, vp, comps, 1, th)
	render.DrawAxes(img, vp, th)
	return img
}

// ringDecoder is a stand-in decoder: a 28×28 ring whose rotation and
// eccentricity follow the two latent coordinates.
func ringDecoder(z []float64) []float64 {
	const n = 28
	img := make([]float64, n*n)
	angle := z[0] * 0.8
	ecc := 1 / (1 + math.Exp(-z[1])) // 0…1
	a, b := 9.0, 9.0*(0.25+0.75*ecc)
	ca, sa := math.Cos(angle), math.Sin(angle)
	for y := range n {
		for x := range n {
			dx, dy := float64(x)+0.5-14, float64(y)+0.5-14
			u, v := dx*ca+dy*sa, -dx*sa+dy*ca
			r := math.Sqrt(u*u/(a*a) + v*v/(b*b))
			d := math.Abs(r-1) * math.Min(a, b)
			img[y*n+x] = 1 / (1 + math.Exp((d-1.6)*2.2))
		}
	}
	return img
}

func decodeAll(codes [][]float64) [][]float64 {
	out := make([][]float64, len(codes))
	for i, z := range codes {
		out[i] = ringDecoder(z)
	}
	return out
}

// manifoldView: the decoded 20×20 latent manifold.
func manifoldView(th *render.Theme) *image.RGBA {
	img := canvas(620, 660, th)
	render.DrawText(img, th.Title, 16, 12, "Latent manifold: decoded codes on a 20×20 grid over [−3, 3]²", th.Text, render.AlignLeft, render.AlignTop)
	codes := render.ManifoldCodes(render.DataRect(-3, -3, 3, 3), 20)
	zs := make([][]float64, len(codes))
	for i, c := range codes {
		zs[i] = []float64{c.X, c.Y}
	}
	render.Tiles(img, image.Rect(16, 44, 604, 644), decodeAll(zs), 28, 28, 20, &render.TileOptions{Gap: 1})
	return img
}

// reconstructionView: inputs beside blurred "reconstructions".
func reconstructionView(th *render.Theme) *image.RGBA {
	img := canvas(640, 300, th)
	render.DrawText(img, th.Title, 16, 12, "Inputs (left) and reconstructions (right)", th.Text, render.AlignLeft, render.AlignTop)
	rng := rand.New(rand.NewPCG(5, 6))
	var in, rec [][]float64
	for range 12 {
		z := []float64{rng.NormFloat64() * 1.5, rng.NormFloat64() * 1.5}
		x := ringDecoder(z)
		in = append(in, x)
		rec = append(rec, blur(x, 28))
	}
	render.ReconstructionPairs(img, image.Rect(16, 44, 624, 290), in, rec, 28, 28, 4, nil)
	return img
}

func blur(x []float64, n int) []float64 {
	out := make([]float64, len(x))
	for y := range n {
		for i := range n {
			s, c := 0.0, 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					yy, xx := y+dy, i+dx
					if yy >= 0 && yy < n && xx >= 0 && xx < n {
						s += x[yy*n+xx]
						c++
					}
				}
			}
			out[y*n+i] = 0.85 * s / c
		}
	}
	return out
}

// interpolationView: linear and spherical interpolation between two codes.
func interpolationView(th *render.Theme) *image.RGBA {
	img := canvas(760, 250, th)
	render.DrawText(img, th.Title, 16, 12, "Interpolating between two codes", th.Text, render.AlignLeft, render.AlignTop)
	a, b := []float64{-2.5, -1.8}, []float64{2.2, 2.4}
	accent := th.ClassColor(1)
	for row, spherical := range []bool{false, true} {
		y := 44 + row*100
		name := "linear"
		if spherical {
			name = "spherical"
		}
		render.DrawText(img, th.Label, 16, y+44, name, th.MutedText, render.AlignLeft, render.AlignMiddle)
		codes := render.InterpolationCodes(a, b, 10, spherical)
		render.InterpolationStrip(img, image.Rect(96, y, 744, y+88), decodeAll(codes), 28, 28, accent, nil)
	}
	render.DrawParagraph(img, th.Small, image.Rect(16, 230, 744, 250),
		"Outlined tiles are the reconstructions of the two end codes; spherical interpolation keeps the codes' norm typical of the prior.", th.MutedText)
	return img
}

// lossView: noisy ELBO, reconstruction and KL curves, and per-dimension KL on
// a log axis.
func lossView(th *render.Theme) *image.RGBA {
	img := canvas(960, 340, th)
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 5000
	steps := make([]float64, n)
	elbo, rec, kl := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		t := float64(i)
		steps[i] = t
		rec[i] = 60 + 480*math.Exp(-t/300) + 4*rng.NormFloat64()
		kl[i] = 18 * (1 - math.Exp(-t/800)) * (1 + 0.05*rng.NormFloat64())
		elbo[i] = rec[i] + kl[i]
	}
	render.LineChart(img, image.Rect(0, 0, 480, 340), []render.Series{
		{Name: "−ELBO", X: steps, Y: elbo},
		{Name: "reconstruction", X: steps, Y: rec},
		{Name: "KL", X: steps, Y: kl},
	}, render.ChartOptions{Title: "Loss", XLabel: "step", YLabel: "nats"}, th)
	var dims []render.Series
	for d := range 6 {
		y := make([]float64, n)
		active := d < 3
		for i := range n {
			t := float64(i)
			if active {
				y[i] = (2 + float64(d)) * (1 - math.Exp(-t/(400*float64(d+1)))) * (1 + 0.04*rng.NormFloat64())
			} else {
				y[i] = 3 * math.Exp(-t/(250*float64(d))) * (1 + 0.1*rng.NormFloat64())
			}
		}
		dims = append(dims, render.Series{Name: fmt.Sprintf("z%d", d+1), X: steps, Y: y})
	}
	render.LineChart(img, image.Rect(480, 0, 960, 340), dims,
		render.ChartOptions{Title: "KL per latent dimension (log scale)", XLabel: "step", YLabel: "nats", LogY: true}, th)
	return img
}
