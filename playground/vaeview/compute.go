package vaeview

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"gonum.org/v1/gonum/mat"
)

// maxViewPoints bounds the rows every view pushes through the model; an
// image costs the encoder ~400 times what a point does, so fewer of them.
const (
	maxViewPoints = 1200
	maxViewImages = 400
)

// viewRows picks up to limit evenly spread rows of the data (the
// generators emit classes in runs, so the first rows would be one class).
func viewRows(n, limit int) []int {
	k := min(n, limit)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i * n / k
	}
	return idx
}

// viewData is what the views compute from the model, kept between frames.
type viewData struct {
	rows    []int
	sub     *mat.Dense // the view rows of the data
	classes []int
	// Latent.
	mu, logvar mat.Dense
	codes      []render.Point // projected means
	sigmas     []render.Point // projected posterior std
	latentBox  float64        // half-width of the latent view
	dimX, dimY int
	prior      render.Grid
	priorRange render.ValueRange
	aggregate  render.Grid
	comps      []render.Component
	// Data space.
	dataPts, recon, samples []render.Point
	dataBox                 render.Rect
	cloud                   []render.Point // Bayesian decoder: decodes of the selected code
	decoded                 *render.Point  // the selected code, decoded
	pathLin, pathSph        []render.Point // decoded interpolation paths
	// Activity.
	activity []float64
	active   int
	// Scratch.
	z, zs, out mat.Dense
}

// prepareRows refreshes the view rows after the data changed.
func (v *viewData) prepareRows(s *session.Session) {
	limit := maxViewPoints
	if s.Data.D > 2 {
		limit = maxViewImages
	}
	v.rows = viewRows(s.Data.N, limit)
	v.sub = mat.NewDense(len(v.rows), s.Data.D, nil)
	v.classes = make([]int, len(v.rows))
	v.dataPts = make([]render.Point, len(v.rows))
	for i, r := range v.rows {
		v.sub.SetRow(i, s.X.RawRowView(r))
		v.classes[i] = s.Data.Label(r)
		v.dataPts[i] = render.Point{X: s.X.At(r, 0), Y: s.X.At(r, 1)}
	}
	all := make([]render.Point, s.Data.N)
	for i := range all {
		all[i] = render.Point{X: s.X.At(i, 0), Y: s.X.At(i, 1)}
	}
	v.dataBox = render.BoundsOf(all).Pad(0.12)
	if s.Values.Choice("data") == session.DrawnSet { // a steady canvas to draw on
		v.dataBox = unionRect(v.dataBox, render.DataRect(-4, -4, 4, 4))
	}
	v.dataBox = squareRect(v.dataBox)
}

func unionRect(a, b render.Rect) render.Rect {
	return render.DataRect(math.Min(a.Min.X, b.Min.X), math.Min(a.Min.Y, b.Min.Y), math.Max(a.Max.X, b.Max.X), math.Max(a.Max.Y, b.Max.Y))
}

// squareRect widens r to a square around its centre (the views are square).
func squareRect(r render.Rect) render.Rect {
	cx, cy := (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2
	h := math.Max(r.Dx(), r.Dy()) / 2
	return render.DataRect(cx-h, cy-h, cx+h, cy+h)
}

// codes encodes the view rows and projects them.
func (v *viewData) computeCodes(s *session.Session) {
	m := s.Model
	m.Encode(&v.mu, &v.logvar, v.sub)
	v.dimX, v.dimY = s.Projection()
	n := len(v.rows)
	if cap(v.codes) < n {
		v.codes, v.sigmas = make([]render.Point, n), make([]render.Point, n)
	}
	v.codes, v.sigmas = v.codes[:n], v.sigmas[:n]
	var ext []float64
	for i := range n {
		x, y := v.mu.At(i, v.dimX), v.mu.At(i, v.dimY)
		if v.dimX == v.dimY {
			y = 0
		}
		v.codes[i] = render.Point{X: x, Y: y}
		v.sigmas[i] = render.Point{X: math.Exp(0.5 * v.logvar.At(i, v.dimX)), Y: math.Exp(0.5 * v.logvar.At(i, v.dimY))}
		if !math.IsNaN(x) && !math.IsNaN(y) {
			ext = append(ext, math.Abs(x), math.Abs(y))
		}
	}
	// The view follows the codes (97th percentile: outliers do not zoom it
	// out), but never below the prior's ±3 and smoothly, so it does not
	// jitter from frame to frame.
	target := 3.0
	if len(ext) > 0 {
		target = math.Max(target, 1.15*quantile(ext, 0.97))
	}
	target = math.Min(target, 50)
	switch {
	case v.latentBox == 0 || target > 1.3*v.latentBox:
		v.latentBox = target
	default:
		v.latentBox += 0.1 * (target - v.latentBox)
	}
}

func quantile(xs []float64, q float64) float64 {
	c := append([]float64(nil), xs...)
	slices.Sort(c)
	return c[min(len(c)-1, int(q*float64(len(c))))]
}

// latentRect is the latent view's data rectangle.
func (v *viewData) latentRect() render.Rect {
	b := v.latentBox
	return render.DataRect(-b, -b, b, b)
}

// planeRows writes the grid's points as latent codes: the two shown
// dimensions from the grid, the others 0 (a slice through the origin).
func planeRows(dst *mat.Dense, pts []render.Point, d, dx, dy int) {
	resize(dst, len(pts), d)
	dst.Zero()
	for i, p := range pts {
		dst.Set(i, dx, p.X)
		if dy != dx {
			dst.Set(i, dy, p.Y)
		}
	}
}

// computePrior evaluates log p(z) on an n×n grid over the latent view.
func (v *viewData) computePrior(s *session.Session, n int) {
	v.prior = render.NewGrid(v.latentRect(), n, n)
	pts := v.prior.Points(nil)
	planeRows(&v.z, pts, s.Config.LatentDim, v.dimX, v.dimY)
	if st := s.Stage2; st.Ready() {
		// The fitted second stage's density (its IWAE bound, k = 8).
		st.Prior.ScoreCodes(v.prior.Values, &v.z, 8, rand.New(rand.NewPCG(3, 3)))
	} else {
		s.Model.PriorLogProb(v.prior.Values, &v.z)
	}
	v.priorRange = render.AutoLogRange(v.prior.Values, 10)
}

// computeAggregate estimates the aggregate posterior q(z) = E_x q(z|x) on
// the latent view from a histogram of posterior draws, lightly smoothed.
func (v *viewData) computeAggregate(s *session.Session, rng *rand.Rand) {
	const n, draws = 48, 3
	g := render.NewGrid(v.latentRect(), n, n)
	b := g.Bounds
	for range draws {
		if s.Model.Flow == nil {
			// q(z|x) = N(μ, σ²): draw from the codes already encoded.
			rows, d := v.mu.Dims()
			resize(&v.zs, rows, d)
			for i := range rows {
				for j := range d {
					v.zs.Set(i, j, v.mu.At(i, j)+math.Exp(0.5*v.logvar.At(i, j))*rng.NormFloat64())
				}
			}
		} else {
			s.Model.SamplePosterior(&v.zs, v.sub, rng)
		}
		rows, _ := v.zs.Dims()
		for i := range rows {
			x, y := v.zs.At(i, v.dimX), v.zs.At(i, v.dimY)
			ix := int((x - b.Min.X) / b.Dx() * n)
			iy := int((y - b.Min.Y) / b.Dy() * n)
			if ix >= 0 && ix < n && iy >= 0 && iy < n {
				g.Values[iy*n+ix]++
			}
		}
	}
	blur(g.Values, n)
	blur(g.Values, n)
	for i, c := range g.Values {
		g.Values[i] = math.Log(c)
	}
	v.aggregate = g
}

// blur is one 3×3 box filter pass.
func blur(a []float64, n int) {
	src := append([]float64(nil), a...)
	for j := range n {
		for i := range n {
			s, w := 0.0, 0.0
			for dj := -1; dj <= 1; dj++ {
				for di := -1; di <= 1; di++ {
					x, y := i+di, j+dj
					if x >= 0 && x < n && y >= 0 && y < n {
						s += src[y*n+x]
						w++
					}
				}
			}
			a[j*n+i] = s / w
		}
	}
}

// computeComponents reads a mixture prior's components in the projection.
func (v *viewData) computeComponents(s *session.Session) {
	v.comps = v.comps[:0]
	mix, ok := s.Model.Prior.(*core.Mixture)
	if !ok {
		return
	}
	for _, c := range mix.Components() {
		v.comps = append(v.comps, render.Component{
			Mean:   render.Point{X: c.Mean[v.dimX], Y: c.Mean[v.dimY]},
			Cov:    render.DiagCov(math.Sqrt(c.Var[v.dimX]), math.Sqrt(c.Var[v.dimY])),
			Weight: c.Weight,
		})
	}
}

// computeDataSpace decodes reconstructions, fresh samples, the selected
// code and the interpolation paths.
func (v *viewData) computeDataSpace(s *session.Session, sel *[]float64, pathA, pathB []float64, rng *rand.Rand) {
	m := s.Model
	var rec mat.Dense
	m.Decode(&rec, &v.mu)
	v.recon = scene.AppendPoints(v.recon[:0], &rec)
	// Fresh samples: z ~ p(z), x ~ p(x|z), the model's own data.
	ns := min(600, max(200, len(v.rows)/2))
	resize(&v.zs, ns, s.Config.LatentDim)
	if st := s.Stage2; st.Ready() {
		st.Prior.SampleCodes(&v.zs, rng)
	} else {
		m.SamplePrior(&v.zs, rng)
	}
	out := m.Dec.Forward(&v.zs)
	resize(&v.out, ns, s.Data.D)
	m.Lik.Sample(&v.out, out, rng)
	v.samples = scene.AppendPoints(v.samples[:0], &v.out)
	v.decoded, v.cloud = nil, v.cloud[:0]
	if sel != nil && *sel != nil {
		z := mat.NewDense(1, s.Config.LatentDim, append([]float64(nil), (*sel)...))
		var d mat.Dense
		m.Decode(&d, z)
		p := render.Point{X: d.At(0, 0), Y: d.At(0, 1)}
		v.decoded = &p
		if m.Config.Bayes.Decoder {
			var c mat.Dense
			m.PredictiveCloud(&c, z, 64, rng)
			v.cloud = scene.AppendPoints(v.cloud, &c)
		}
	}
	v.pathLin, v.pathSph = v.pathLin[:0], v.pathSph[:0]
	if pathA != nil && pathB != nil {
		v.pathLin = decodePath(v.pathLin, m, pathA, pathB, false)
		v.pathSph = decodePath(v.pathSph, m, pathA, pathB, true)
	}
}

// pathSteps is the resolution of a decoded interpolation path.
const pathSteps = 48

func decodePath(dst []render.Point, m *core.Model, a, b []float64, spherical bool) []render.Point {
	codes := render.InterpolationCodes(a, b, pathSteps, spherical)
	z := mat.NewDense(len(codes), len(a), nil)
	for i, c := range codes {
		z.SetRow(i, c)
	}
	var d mat.Dense
	m.Decode(&d, z)
	return scene.AppendPoints(dst, &d)
}

// computeActivity is Var_x E_q[z_j] per dimension, and the active units.
// It reads the codes already encoded (v.mu) rather than encoding again.
func (v *viewData) computeActivity(s *session.Session) {
	n, d := v.mu.Dims()
	v.activity, v.active = make([]float64, d), 0
	if n < 2 {
		return
	}
	for j := range d {
		m, q := 0.0, 0.0
		for i := range n {
			x := v.mu.At(i, j)
			m += x
			q += x * x
		}
		m /= float64(n)
		v.activity[j] = q/float64(n) - m*m
		if v.activity[j] > core.ActiveUnitThreshold {
			v.active++
		}
	}
}

// flowStages computes what the flow view shows: a flow prior's stages from
// N(0, I) through its layers in the generative direction, or a posterior
// flow's stages for the code of one data row. nil when the model has no
// flow or its latent is not 2-D.
func flowStages(s *session.Session, row int, res int, rng *rand.Rand) ([]render.FlowStage, render.Rect, string) {
	m := s.Model
	if m.Config.LatentDim != 2 {
		return nil, render.Rect{}, "the flow view needs a 2-D latent"
	}
	if fp, ok := m.Prior.(*core.FlowPrior); ok && len(fp.Layers) > 0 {
		return priorFlowStages(fp, res), render.DataRect(-4, -4, 4, 4), fmt.Sprintf("flow prior: N(0, I) through %d %s layers (generative direction)", len(fp.Layers), fp.Kind)
	}
	if m.Flow != nil {
		st, box := posteriorFlowStages(s, row, res, rng)
		return st, box, "posterior flow of one data point (the selected one): q₀ = N(μ, σ²) through the layers"
	}
	return nil, render.Rect{}, "no flow: choose a flow prior or a posterior flow"
}

func priorFlowStages(fp *core.FlowPrior, res int) []render.FlowStage {
	fs := core.FlowPriorStages(fp)
	K := fs.NumLayers()
	box := render.DataRect(-4, -4, 4, 4)
	plane := func(n int) core.PlaneGrid {
		return core.PlaneGrid{X0: box.Min.X, Y0: box.Min.Y, X1: box.Max.X, Y1: box.Max.Y, NX: n, NY: n}
	}
	var stages []render.FlowStage
	lines := render.GridLines(box, 13, 60)
	for _, j := range scene.StageIndices(K) {
		// Stage j: N(0, I) through the first j sampling layers (the
		// generative direction).
		g := render.NewGrid(box, res, res)
		fs.GridLogDensity(g.Values, plane(res), j, 0, res)
		st := render.FlowStage{Title: fmt.Sprintf("after %d layers", j), Density: g}
		if j == 0 {
			st.Title = "base N(0, I)"
		}
		// The base grid pushed through the same layers.
		st.Lines = scene.MapLines(lines, func(pts []render.Point) *mat.Dense {
			z := scene.PointRows(pts)
			fs.Push(z, z, 0, j)
			return z
		})
		if j > 0 {
			// The layer added at this stage: log|det| of its normalising
			// map, the sampling layer's with the sign turned.
			ld := render.NewGrid(box, res/2, res/2)
			fs.GridLayerLogDet(ld.Values, plane(res/2), j-1, 0, res/2)
			for i, x := range ld.Values {
				ld.Values[i] = -x
			}
			st.LogDet = ld
		}
		stages = append(stages, st)
	}
	return stages
}

func posteriorFlowStages(s *session.Session, row int, res int, rng *rand.Rand) ([]render.FlowStage, render.Rect) {
	m := s.Model
	fs, ok := m.Flow.(*core.FlowStack)
	if !ok {
		return nil, render.Rect{}
	}
	x := mat.NewDense(1, s.Data.D, append([]float64(nil), s.X.RawRowView(row%s.Data.N)...))
	mu, lv, head := m.Enc.Forward(x)
	m0, m1 := mu.At(0, 0), mu.At(0, 1)
	s0, s1 := math.Exp(0.5*lv.At(0, 0)), math.Exp(0.5*lv.At(0, 1))
	const n = 6000
	z0 := mat.NewDense(n, 2, nil)
	for i := range n {
		z0.Set(i, 0, m0+s0*rng.NormFloat64())
		z0.Set(i, 1, m1+s1*rng.NormFloat64())
	}
	var heads *mat.Dense
	if head != nil {
		_, hc := head.Dims()
		if hc > 0 {
			heads = mat.NewDense(n, hc, nil)
			for i := range n {
				heads.SetRow(i, head.RawRowView(0))
			}
		}
	}
	zK := mat.NewDense(n, 2, nil)
	fs.Forward(zK, make([]float64, n), z0, heads)
	inter := fs.Intermediates()
	K := len(inter) - 1
	if K < 1 {
		return nil, render.Rect{}
	}
	// Frame every stage's samples.
	var all []render.Point
	for _, j := range []int{0, K} {
		all = append(all, scene.AppendPoints(nil, &inter[j])...)
	}
	box := squareRect(render.BoundsOf(all).Pad(0.15))
	var stages []render.FlowStage
	for _, j := range scene.StageIndices(K) {
		g := render.NewGrid(box, res/2, res/2)
		pts := scene.AppendPoints(nil, &inter[j])
		for _, p := range pts {
			ix := int((p.X - box.Min.X) / box.Dx() * float64(g.NX))
			iy := int((p.Y - box.Min.Y) / box.Dy() * float64(g.NY))
			if ix >= 0 && ix < g.NX && iy >= 0 && iy < g.NY {
				g.Values[iy*g.NX+ix]++
			}
		}
		blur(g.Values, g.NX)
		cell := box.Dx() * box.Dy() / float64(g.NX*g.NY)
		for i, c := range g.Values {
			g.Values[i] = math.Log(c / (n * cell))
		}
		title := fmt.Sprintf("after %d layers", j)
		if j == 0 {
			title = "q₀ = N(μ, σ²)"
		}
		stages = append(stages, render.FlowStage{Title: title, Density: g})
	}
	return stages, box
}

// drawBars draws one bar per value in r with a dashed threshold, labelling
// dimensions; bars below the threshold are muted (collapsed units).
func drawBars(dst *image.RGBA, r image.Rectangle, values []float64, threshold float64, th *render.Theme, s float64) {
	if len(values) == 0 {
		return
	}
	hi := threshold * 2
	for _, v := range values {
		if v > hi && !math.IsInf(v, 0) {
			hi = v
		}
	}
	hi *= 1.1
	n := len(values)
	gap := max(1, int(3*s))
	bw := max(2, (r.Dx()-gap*(n+1))/n)
	base := r.Max.Y - int(14*s)
	h := base - r.Min.Y - int(14*s)
	for i, v := range values {
		x := r.Min.X + gap + i*(bw+gap)
		bh := 0
		if v > 0 && !math.IsNaN(v) {
			bh = int(math.Min(1, v/hi) * float64(h))
		}
		col := th.Palette[0]
		if v < threshold {
			col = th.NoData
		}
		render.FillRect(dst, image.Rect(x, base-bh, x+bw, base), col)
		if n <= 16 {
			render.DrawText(dst, th.Small, x+bw/2, base+int(2*s), fmt.Sprintf("z%d", i), th.MutedText, render.AlignCenter, render.AlignTop)
		}
		if bh > 0 && bw > int(24*s) {
			render.DrawText(dst, th.Small, x+bw/2, base-bh-int(2*s), render.FormatValue(v), th.Text, render.AlignCenter, render.AlignBottom)
		}
	}
	ty := base - int(math.Min(1, threshold/hi)*float64(h))
	for x := r.Min.X; x < r.Max.X; x += int(8 * s) {
		render.FillRect(dst, image.Rect(x, ty, min(r.Max.X, x+int(4*s)), ty+1), th.Notice)
	}
}

// resize makes m r×c, reusing its storage when the shape is unchanged.
func resize(m *mat.Dense, r, c int) {
	if rr, cc := m.Dims(); rr == r && cc == c {
		return
	}
	m.Reset()
	m.ReuseAs(r, c)
}
