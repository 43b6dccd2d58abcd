package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// FlowStages is a flow of K layers with shared parameters seen stage by
// stage in its sampling direction, which is what a view of the flow draws:
// stage 0 is the base N(0, I), stage k the distribution of h_k∘…∘h₁(ε)
// after the first k sampling layers, stage K the model. Layer k (0-based)
// is h_{k+1}, which carries stage k to stage k+1.
//
// A flow prior (and a DataFlowFitter) samples through the inverses of its
// normalising layers, h_k = g_{K−k+1}⁻¹; an EnergyFitter samples forward.
// FlowStages hides the difference: every method speaks of stages and
// sampling layers.
//
// The value returned by FlowPriorStages or a fitter's Stages is a snapshot:
// it owns copies of the layers and their parameters, so it keeps describing
// the flow as it was, and may be read on one goroutine while the flow
// trains on another. A FlowStages is not safe for concurrent use (its layers
// cache their inputs).
type FlowStages struct {
	layers   []Flow       // in sampling order
	thetas   []*mat.Dense // 1×P rows, in sampling order
	inverted bool         // sampling layer k is layers[k]⁻¹
	d        int
}

// FlowPriorStages returns a snapshot of p's stages: stage 0 is N(0, I),
// stage K the prior p(z).
func FlowPriorStages(p *FlowPrior) *FlowStages {
	p.views()
	K := len(p.Layers)
	s := &FlowStages{inverted: true, d: p.d}
	for k := K - 1; k >= 0; k-- {
		s.layers = append(s.layers, cloneLayer(p.Layers[k]))
		s.thetas = append(s.thetas, mat.DenseCopyOf(&p.thetas[k]))
	}
	return s
}

// Stages returns a snapshot of the fit's stages (FlowStages).
func (f *EnergyFitter) Stages() *FlowStages {
	s := f.stageView()
	for k := range s.layers {
		s.layers[k] = cloneLayer(s.layers[k])
		s.thetas[k] = mat.DenseCopyOf(s.thetas[k])
	}
	return s
}

// stageView is the fit's stages over its view layers and its live
// parameters (no copies: valid until the next Step).
func (f *EnergyFitter) stageView() *FlowStages {
	s := &FlowStages{layers: append([]Flow(nil), f.views...), d: 2}
	for k := range f.views {
		s.thetas = append(s.thetas, f.theta(k))
	}
	return s
}

// Stages returns a snapshot of the fit's stages (FlowStages).
func (f *DataFlowFitter) Stages() *FlowStages { return FlowPriorStages(f.Flow) }

// stageView is the fit's stages over its view layers and its live
// parameters (no copies: valid until the next Step).
func (f *DataFlowFitter) stageView() *FlowStages {
	K := len(f.views)
	s := &FlowStages{inverted: true, d: f.Flow.Dim()}
	for k := K - 1; k >= 0; k-- {
		s.layers = append(s.layers, f.views[k])
		s.thetas = append(s.thetas, f.theta(k))
	}
	return s
}

// NumLayers is K.
func (s *FlowStages) NumLayers() int { return len(s.layers) }

// Dim is the dimension of the points.
func (s *FlowStages) Dim() int { return s.d }

// LayerTheta is the parameter row of sampling layer k: planar (u, w, b),
// radial (z₀, α′, β′); for a flow prior it is the row of the normalising
// layer that h_{k+1} inverts. It is the snapshot's own copy; do not modify
// it.
func (s *FlowStages) LayerTheta(k int) []float64 { return data(s.thetas[k]) }

// check panics unless z has the flow's dimension, dst room for its rows
// and k lies in [0, maxK].
func (s *FlowStages) check(dst []float64, z *mat.Dense, k, maxK int) {
	n, d := z.Dims()
	if d != s.d {
		panic(fmt.Sprintf("core: %d-column points for a %d-dimensional flow", d, s.d))
	}
	if len(dst) < n {
		panic(fmt.Sprintf("core: destination of length %d for %d points", len(dst), n))
	}
	checkIndex(k, maxK)
}

func checkIndex(k, maxK int) {
	if k < 0 || k > maxK {
		panic(fmt.Sprintf("core: stage or layer %d outside [0, %d]", k, maxK))
	}
}

// LogDensity writes log q_k(z) of stage k for the rows of z into dst
// (NaN where a layer cannot be inverted, which only non-finite parameters
// cause). A flow prior's stages need no inverse: its normalising layers
// carry z back to the base, on the flow prior's fast grid path. Other
// stages invert every layer (radial in closed form, planar by a 1-D root
// per point) and so cost more.
func (s *FlowStages) LogDensity(dst []float64, z *mat.Dense, k int) {
	s.check(dst, z, k, len(s.layers))
	n, d := z.Dims()
	dst = dst[:n]
	if n == 0 {
		return
	}
	if s.inverted {
		// Back to the base through layers[k−1], …, layers[0] (the
		// normalising maps of stages k … 1), adding their log-dets.
		if d <= detProductMaxDim {
			prep := make([]preparedLayer, k)
			ok := true
			for i := range k {
				prep[i], ok = prepareLayer(s.layers[k-1-i], data(s.thetas[k-1-i]), d)
				if !ok {
					break
				}
			}
			if ok {
				pushChunks(dst, z, prep)
				return
			}
		}
		logdet := make([]float64, n)
		cur, next := mat.DenseCopyOf(z), mat.NewDense(n, d, nil)
		for j := k - 1; j >= 0; j-- {
			s.layers[j].Forward(next, logdet, cur, s.thetas[j])
			cur, next = next, cur
		}
		for i := range n {
			dst[i] = standardNormalLogPDF(cur.RawRowView(i)) + logdet[i]
		}
		return
	}
	// Invert to the base, then run forward to collect the log-dets.
	base := mat.DenseCopyOf(z)
	for j := k - 1; j >= 0; j-- {
		if err := s.layers[j].Inverse(base, base, s.thetas[j]); err != nil {
			fillNaN(dst)
			return
		}
	}
	logdet := make([]float64, n)
	cur, next := mat.DenseCopyOf(base), mat.NewDense(n, d, nil)
	for j := range k {
		s.layers[j].Forward(next, logdet, cur, s.thetas[j])
		cur, next = next, cur
	}
	for i := range n {
		dst[i] = standardNormalLogPDF(base.RawRowView(i)) - logdet[i]
	}
}

// LayerLogDet writes log|det ∂h/∂x| of sampling layer k (h = h_{k+1}, from
// stage k to stage k+1) for the rows y of z, points of its output plane
// (where stage k+1 is drawn), evaluated at x = h⁻¹(y): there
// log q_{k+1}(y) = log q_k(x) − LayerLogDet. Positive values expand space,
// negative ones contract it. NaN where the layer cannot be inverted.
func (s *FlowStages) LayerLogDet(dst []float64, z *mat.Dense, k int) {
	s.check(dst, z, k, len(s.layers)-1)
	n, d := z.Dims()
	dst = dst[:n]
	if n == 0 {
		return
	}
	clear(dst)
	out := mat.NewDense(n, d, nil)
	if s.inverted {
		// h = g⁻¹: log|det ∂h|(x) = −log|det ∂g/∂y|(y), which needs no
		// inverse.
		s.layers[k].Forward(out, dst, z, s.thetas[k])
		for i := range dst {
			dst[i] = -dst[i]
		}
		return
	}
	x := mat.NewDense(n, d, nil)
	if err := s.layers[k].Inverse(x, z, s.thetas[k]); err != nil {
		fillNaN(dst)
		return
	}
	s.layers[k].Forward(out, dst, x, s.thetas[k])
}

// Push writes the rows of z carried from stage from to stage to into dst
// (which may be z): through sampling layers from … to−1 when to > from,
// back through their inverses when to < from. Pushing a regular grid's
// lines shows how the layers warp space. If a layer cannot be inverted
// (only non-finite parameters cause that) every row of dst is NaN.
func (s *FlowStages) Push(dst, z *mat.Dense, from, to int) {
	n, d := z.Dims()
	if r, c := dst.Dims(); r != n || c != d {
		panic(fmt.Sprintf("core: destination %d×%d for %d×%d points", r, c, n, d))
	}
	if d != s.d {
		panic(fmt.Sprintf("core: %d-column points for a %d-dimensional flow", d, s.d))
	}
	checkIndex(from, len(s.layers))
	checkIndex(to, len(s.layers))
	if dst != z {
		dst.Copy(z)
	}
	if n == 0 {
		return
	}
	var out *mat.Dense
	var logdet []float64
	forward := func(k int) {
		if out == nil {
			out, logdet = mat.NewDense(n, d, nil), make([]float64, n)
		}
		s.layers[k].Forward(out, logdet, dst, s.thetas[k])
		dst.Copy(out)
	}
	for k := from; k < to; k++ {
		if !s.inverted {
			forward(k)
		} else if s.layers[k].Inverse(dst, dst, s.thetas[k]) != nil {
			fillNaN(data(dst))
			return
		}
	}
	for k := from - 1; k >= to; k-- {
		if s.inverted {
			forward(k)
		} else if s.layers[k].Inverse(dst, dst, s.thetas[k]) != nil {
			fillNaN(data(dst))
			return
		}
	}
}

// PushFromBase carries the base points eps (draws of N(0, I)) to stage k
// into dst, like Push(dst, eps, 0, k), and writes log q_k at the carried
// points into logq: log N(ε) − Σ log|det J| along the way, which needs no
// inverse for a forward flow (a Monte Carlo KL's samples and densities in
// one pass). dst may be eps. Rows that cannot be carried are NaN in both.
func (s *FlowStages) PushFromBase(dst *mat.Dense, logq []float64, eps *mat.Dense, k int) {
	s.check(logq, eps, k, len(s.layers))
	n, d := eps.Dims()
	if s.inverted {
		// The normalising direction gives the density at the carried
		// points directly.
		s.Push(dst, eps, 0, k)
		s.LogDensity(logq, dst, k)
		return
	}
	logq = logq[:n]
	for i := range n {
		logq[i] = standardNormalLogPDF(eps.RawRowView(i))
	}
	if r, c := dst.Dims(); r != n || c != d {
		panic(fmt.Sprintf("core: destination %d×%d for %d×%d points", r, c, n, d))
	}
	if dst != eps {
		dst.Copy(eps)
	}
	if n == 0 || k == 0 {
		return
	}
	logdet := make([]float64, n)
	out := mat.NewDense(n, d, nil)
	for j := range k {
		s.layers[j].Forward(out, logdet, dst, s.thetas[j])
		dst.Copy(out)
	}
	for i := range logq {
		logq[i] -= logdet[i]
	}
}

// Sample draws n points from N(0, I) and returns them at every stage:
// K+1 matrices n×d, stage 0 (the draws) to stage K (samples of the model).
// A point that cannot be pushed is NaN (see Push).
func (s *FlowStages) Sample(n int, rng *rand.Rand) []*mat.Dense {
	stages := make([]*mat.Dense, len(s.layers)+1)
	stages[0] = mat.NewDense(n, s.d, nil)
	fillNormal(stages[0], rng)
	for k := range s.layers {
		stages[k+1] = mat.NewDense(n, s.d, nil)
		s.Push(stages[k+1], stages[k], k, k+1)
	}
	return stages
}

// PlaneGrid is a regular grid of NX×NY cells over the rectangle
// [X0, X1]×[Y0, Y1] of the plane, sampled at the cell centres. A grid's
// values are row-major with row 0 at Y0: cell (i, j) is at index j·NX+i,
// the layout of render.Grid, so its Values can be the destination.
type PlaneGrid struct {
	X0, Y0, X1, Y1 float64
	NX, NY         int
}

// Point returns the centre of cell (i, j).
func (g PlaneGrid) Point(i, j int) (x, y float64) {
	return g.X0 + (float64(i)+0.5)*(g.X1-g.X0)/float64(g.NX),
		g.Y0 + (float64(j)+0.5)*(g.Y1-g.Y0)/float64(g.NY)
}

// Rows returns the centres of the cells of rows j0 … j1−1 as the rows of a
// ((j1−j0)·NX)×2 matrix, in the order of the grid's values.
func (g PlaneGrid) Rows(j0, j1 int) *mat.Dense {
	if j0 < 0 || j1 > g.NY || j0 > j1 || g.NX < 1 {
		panic(fmt.Sprintf("core: rows [%d, %d) of a %d×%d grid", j0, j1, g.NX, g.NY))
	}
	if j0 == j1 {
		return &mat.Dense{}
	}
	z := mat.NewDense((j1-j0)*g.NX, 2, nil)
	v := data(z)
	for j := j0; j < j1; j++ {
		for i := range g.NX {
			r := (j-j0)*g.NX + i
			v[2*r], v[2*r+1] = g.Point(i, j)
		}
	}
	return z
}

// GridLogDensity writes log q_k of stage k at the cells of rows j0 … j1−1
// of g into dst[j0·NX : j1·NX], where dst holds the whole grid (NX·NY
// values): a view can fill a grid a few rows at a time, spread over frames.
// The flow must be 2-D.
func (s *FlowStages) GridLogDensity(dst []float64, g PlaneGrid, k, j0, j1 int) {
	if j0 == j1 {
		return
	}
	s.LogDensity(gridRows(dst, g, j0, j1), g.Rows(j0, j1), k)
}

// GridLayerLogDet writes LayerLogDet of sampling layer k at the cells of
// rows j0 … j1−1 of g into dst[j0·NX : j1·NX], like GridLogDensity.
func (s *FlowStages) GridLayerLogDet(dst []float64, g PlaneGrid, k, j0, j1 int) {
	if j0 == j1 {
		return
	}
	s.LayerLogDet(gridRows(dst, g, j0, j1), g.Rows(j0, j1), k)
}

// gridRows is the part of a whole grid's values that rows j0 … j1−1 hold.
func gridRows(dst []float64, g PlaneGrid, j0, j1 int) []float64 {
	if len(dst) != g.NX*g.NY {
		panic(fmt.Sprintf("core: %d values for a %d×%d grid", len(dst), g.NX, g.NY))
	}
	return dst[j0*g.NX : j1*g.NX]
}

func fillNaN(v []float64) {
	for i := range v {
		v[i] = math.NaN()
	}
}
