package core

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// densityChunk is how many points LogDensity pushes through all layers at a
// time: small enough that a chunk stays in the first-level cache across the
// layers, large enough to amortise the loop overhead.
const densityChunk = 256

// preparedLayer is one flow-prior layer with its shared θ turned into the
// constants a point needs (û and 1+m for planar, α and β+α for radial).
type preparedLayer struct {
	radial   bool
	w, uhat  []float64 // planar
	b, onePM float64
	z0       []float64 // radial
	alpha, B float64
}

func (p *FlowPrior) prepare() ([]preparedLayer, bool) {
	p.views()
	out := make([]preparedLayer, len(p.Layers))
	for k, l := range p.Layers {
		var ok bool
		if out[k], ok = prepareLayer(l, data(&p.thetas[k]), p.d); !ok {
			return nil, false
		}
	}
	return out, true
}

// prepareLayer turns layer l's shared θ row into the constants pushChunk
// needs; false for a kind it does not know.
func prepareLayer(l Flow, th []float64, d int) (preparedLayer, bool) {
	switch l := l.(type) {
	case *Planar:
		uhat := make([]float64, d)
		b, _, onePM, _, _ := planarHat(uhat, th, d)
		return preparedLayer{w: th[d : 2*d], uhat: uhat, b: b, onePM: onePM}, true
	case *Radial:
		return preparedLayer{radial: true, z0: th[:d], alpha: l.alpha(th[d]), B: Softplus(th[d+1])}, true
	}
	return preparedLayer{}, false
}

// LogDensity writes log p(z) for the rows of z into dst, like LogProb, but
// keeps nothing for a backward pass: it pushes chunks of points through all
// layers while they sit in cache, and spreads the chunks over GOMAXPROCS
// goroutines (one, inline, under js/wasm). It is the call for density views
// of a whole grid. It only reads the prior, so it may run while nothing
// trains the same model.
func (p *FlowPrior) LogDensity(dst []float64, z *mat.Dense) {
	layers, ok := p.prepare()
	if !ok || p.d > detProductMaxDim {
		p.LogProb(dst, z)
		return
	}
	pushChunks(dst, z, layers)
}

// pushChunks writes log N(g(z)) + log|det ∂g/∂z| for the rows of z into
// dst, g being the prepared layers applied in order, a chunk at a time over
// up to GOMAXPROCS goroutines (see LogDensity).
func pushChunks(dst []float64, z *mat.Dense, layers []preparedLayer) {
	n, d := z.Dims()
	chunks := (n + densityChunk - 1) / densityChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var next atomic.Int64
	work := func() {
		buf := make([]float64, densityChunk*d)
		det := make([]float64, densityChunk)
		exps := make([]int, densityChunk)
		for {
			c := int(next.Add(1)) - 1
			if c >= chunks {
				return
			}
			lo, hi := c*densityChunk, min((c+1)*densityChunk, n)
			pushChunk(dst[lo:hi], z, lo, hi, layers, buf, det, exps)
		}
	}
	if workers <= 1 {
		work()
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(work)
	}
	wg.Wait()
}

// pushChunk evaluates rows lo..hi of z through the prepared layers.
func pushChunk(dst []float64, z *mat.Dense, lo, hi int, layers []preparedLayer, buf, det []float64, exps []int) {
	raw := z.RawMatrix()
	d := raw.Cols
	rows := hi - lo
	for i := range rows {
		copy(buf[i*d:(i+1)*d], raw.Data[(lo+i)*raw.Stride:(lo+i)*raw.Stride+d])
		det[i], exps[i] = 1, 0
	}
	for k := range layers {
		l := &layers[k]
		if l.radial {
			for i := range rows {
				zi := buf[i*d : (i+1)*d]
				r2 := 0.0
				for j, v := range zi {
					v -= l.z0[j]
					r2 += float64(v * v)
				}
				r := math.Sqrt(r2)
				q := l.alpha + r
				gamma := (l.B - l.alpha) / q
				for j := range zi {
					zi[j] += float64(gamma * (zi[j] - l.z0[j]))
				}
				f := (r2 + float64(2*l.alpha*r) + float64(l.alpha*l.B)) / (q * q)
				g := (r + l.B) / q
				for range d - 1 {
					f = float64(f * g)
				}
				det[i] = float64(det[i] * f)
			}
		} else if d == 2 {
			// The playground's usual latent plane, unrolled: no inner loops,
			// no bounds checks, the small-argument tanh inlined.
			w0, w1, u0, u1, b, c := l.w[0], l.w[1], l.uhat[0], l.uhat[1], l.b, l.onePM
			pts, dets := buf[:2*rows], det[:rows]
			for i := range dets {
				x, y := pts[2*i], pts[2*i+1]
				a := b + float64(w0*x) + float64(w1*y)
				var t float64
				if s := float64(a * a); s < 0.390625 {
					t = tanhSmall(a, s)
				} else {
					t = tanhLarge(a)
				}
				pts[2*i], pts[2*i+1] = x+float64(u0*t), y+float64(u1*t)
				dets[i] = float64(dets[i] * (float64(t*t) + float64((1-float64(t*t))*c)))
			}
		} else {
			for i := range rows {
				zi := buf[i*d : (i+1)*d]
				a := l.b
				for j, v := range zi {
					a += float64(l.w[j] * v)
				}
				t := tanhFast(a)
				for j := range zi {
					zi[j] += float64(l.uhat[j] * t)
				}
				det[i] = float64(det[i] * (float64(t*t) + float64((1-float64(t*t))*l.onePM)))
			}
		}
		renormaliseDet(det[:rows], exps[:rows])
	}
	for i := range rows {
		s := 0.0
		for _, v := range buf[i*d : (i+1)*d] {
			s += float64(v * v)
		}
		dst[i] = float64(-0.5*(s+float64(float64(d)*log2Pi))) + pmath.Log(det[i]) + float64(float64(exps[i])*math.Ln2)
	}
}
