package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// FlowPrior is a learnable density p(z) = N(g(z); 0, I)·|det ∂g/∂z| where
// g = g_K∘…∘g₁ is a stack of K planar or radial layers with shared (global)
// parameters. log p is evaluated in this normalising direction, which needs
// no inverse, so training is exact and cheap; sampling draws ε ~ N(0, I) and
// inverts the layers one by one (radial in closed form, planar by a monotone
// 1-D root). With K = 0 it is the standard normal.
type FlowPrior struct {
	Kind   string
	Layers []Flow
	Theta  *Param // 1×K·P, nil when K = 0

	d, p    int
	zs      []mat.Dense // z₀ = z, z₁ = g₁(z), …, z_K
	thetas  []mat.Dense // per-layer views into Theta.Value
	dthetas []mat.Dense // per-layer views into Theta.Grad
	logdet  []float64
	det     []float64 // running products of |det J| (see detFlow)
	detExp  []int
	dA, dB  mat.Dense
	dout    mat.Dense
}

// NewFlowPrior declares a K-layer flow prior of the given kind ("planar" or
// "radial") in dimension d. Layers start close to the identity, so the prior
// starts as the standard normal and the fit bends it from there.
func NewFlowPrior(ps *Params, kind string, layers, d int) (*FlowPrior, error) {
	return NewFlowPriorFromConfig(ps, FlowConfig{Kind: kind, Layers: layers}, d)
}

// NewFlowPriorFromConfig is NewFlowPrior with the layers' initialisation
// (cfg.Init) chosen too; cfg.Amortized must be false (a prior's layers are
// shared by every point).
func NewFlowPriorFromConfig(ps *Params, cfg FlowConfig, d int) (*FlowPrior, error) {
	kind, layers := cfg.Kind, cfg.Layers
	if cfg.Amortized {
		return nil, fmt.Errorf("core: a flow prior cannot be amortised")
	}
	if err := checkFlowInit(cfg.Init); err != nil {
		return nil, err
	}
	if err := checkRadialAlpha(cfg.RadialAlpha); err != nil {
		return nil, err
	}
	fk := FlowByName(kind)
	if fk == nil {
		return nil, fmt.Errorf("core: unknown flow %q for the flow prior (want one of %v)", kind, FlowNames())
	}
	if layers < 0 || layers > MaxFlowLayers {
		return nil, fmt.Errorf("core: flow prior layers %d outside [0, %d]", layers, MaxFlowLayers)
	}
	p := &FlowPrior{Kind: kind, d: d, p: fk.ParamCount(d)}
	for range layers {
		p.Layers = append(p.Layers, fk.New(d))
	}
	setRadialAlpha(p.Layers, cfg.RadialAlpha)
	if layers > 0 {
		p.Theta = ps.Add("prior.flow.theta", 1, layers*p.p, flowInit(kind, cfg.Init, cfg.RadialAlpha, d))
	}
	p.zs = make([]mat.Dense, layers+1)
	p.dthetas = make([]mat.Dense, layers)
	p.thetas = make([]mat.Dense, layers)
	return p, nil
}

// nearIdentityFlowInit starts each layer close to the identity. Planar: a
// random w, u = log(e−1)·w/‖w‖² (then m(wᵀu) = 0 and û = 0) plus small
// noise, b = 0. Radial: a centre drawn from N(0, I), α′ = 0 and β′ ≈ α′
// (β ≈ 0). Other kinds get small Gaussian values.
func nearIdentityFlowInit(kind string, d int) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		switch kind {
		case "planar":
			for off := 0; off+2*d+1 <= len(dst); off += 2*d + 1 {
				u, w := dst[off:off+d], dst[off+d:off+2*d]
				nw := 0.0
				for j := range w {
					w[j] = pmath.NormFloat64(rng) / math.Sqrt(float64(d))
					nw += float64(w[j] * w[j])
				}
				for j := range u {
					u[j] = pmath.Log(math.E-1)*w[j]/nw + float64(0.01*pmath.NormFloat64(rng))
				}
				dst[off+2*d] = 0
			}
		case "radial":
			for off := 0; off+d+2 <= len(dst); off += d + 2 {
				for j := range d {
					dst[off+j] = pmath.NormFloat64(rng)
				}
				dst[off+d] = 0
				dst[off+d+1] = float64(0.01 * pmath.NormFloat64(rng))
			}
		default:
			Normal(0.01)(dst, rows, cols, rng)
		}
	}
}

func (p *FlowPrior) Dim() int { return p.d }

// views points the per-layer θ matrices into the parameter slabs (valid once
// the Params are allocated; Import keeps the same slab).
func (p *FlowPrior) views() {
	if len(p.Layers) == 0 || p.thetas[0].RawMatrix().Data != nil {
		return
	}
	v, g := data(p.Theta.Value), data(p.Theta.Grad)
	for k := range p.Layers {
		p.thetas[k] = *mat.NewDense(1, p.p, v[k*p.p:(k+1)*p.p:(k+1)*p.p])
		p.dthetas[k] = *mat.NewDense(1, p.p, g[k*p.p:(k+1)*p.p:(k+1)*p.p])
	}
}

// LayerTheta returns layer k's parameter row (a view; the playground draws
// û and w for planar layers, z₀ for radial ones).
func (p *FlowPrior) LayerTheta(k int) []float64 {
	p.views()
	return data(&p.thetas[k])
}

func (p *FlowPrior) LogProb(dst []float64, z *mat.Dense) {
	p.views()
	n, d := z.Dims()
	reshape(&p.zs[0], n, d)
	p.zs[0].Copy(z)
	p.logdet = grow(p.logdet, n)
	clear(p.logdet)
	p.det = grow(p.det, n)
	if cap(p.detExp) < n {
		p.detExp = make([]int, n)
	}
	p.detExp = p.detExp[:n]
	for i := range p.det {
		p.det[i], p.detExp[i] = 1, 0
	}
	for k, l := range p.Layers {
		reshape(&p.zs[k+1], n, d)
		if df, ok := l.(detFlow); ok && d <= detProductMaxDim {
			df.ForwardDet(&p.zs[k+1], p.det, &p.zs[k], &p.thetas[k])
			renormaliseDet(p.det, p.detExp)
		} else {
			l.Forward(&p.zs[k+1], p.logdet, &p.zs[k], &p.thetas[k])
		}
	}
	accumulateLogDet(p.logdet, p.det, p.detExp)
	eps := &p.zs[len(p.Layers)]
	for i := range n {
		s := 0.0
		for _, v := range eps.RawRowView(i) {
			s += float64(v * v)
		}
		dst[i] = float64(-0.5*(s+float64(float64(d)*log2Pi))) + p.logdet[i]
	}
}

func (p *FlowPrior) LogProbBackward(dz *mat.Dense, g []float64) {
	eps := &p.zs[len(p.Layers)]
	n, d := eps.Dims()
	reshape(&p.dout, n, d)
	do, e := data(&p.dout), data(eps)
	for i := range n {
		for j := range d {
			do[i*d+j] = float64(-g[i] * e[i*d+j])
		}
	}
	// dthetas are views into Theta.Grad: the layers add into the parameter.
	grad := backwardThroughFlows(p.Layers, p.dthetas, &p.dout, g, &p.dA, &p.dB)
	if dz != nil {
		dz.Add(dz, grad)
	}
}

// Sample draws ε ~ N(0, I) and returns g⁻¹(ε). An inverse that fails to
// converge (only possible with non-finite parameters) leaves NaN rows, which
// the playground's views skip.
func (p *FlowPrior) Sample(dst *mat.Dense, rng *rand.Rand) {
	p.views()
	raw := dst.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for j := 0; j < raw.Cols; j++ {
			raw.Data[i*raw.Stride+j] = pmath.NormFloat64(rng)
		}
	}
	for k := len(p.Layers) - 1; k >= 0; k-- {
		if err := p.Layers[k].Inverse(dst, dst, &p.thetas[k]); err != nil {
			for i := range raw.Data {
				raw.Data[i] = math.NaN()
			}
			return
		}
	}
}

// DefaultFlowPriorKind is the layer type when the config names none.
const DefaultFlowPriorKind = "planar"

func init() {
	RegisterPrior(PriorKind{
		Name:        "flow",
		Description: "standard normal pushed through K learnable planar or radial layers; log p in the normalising direction, samples by inversion",
		Options:     []string{"FlowKind", "FlowLayers", "FlowInit", "FlowRadialAlpha"},
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			kind := cfg.FlowKind
			if kind == "" {
				kind = DefaultFlowPriorKind
			}
			p, err := NewFlowPriorFromConfig(ps, FlowConfig{Kind: kind, Layers: cfg.FlowLayers, Init: cfg.FlowInit, RadialAlpha: cfg.FlowRadialAlpha}, env.Config.LatentDim)
			if err != nil {
				return nil, err
			}
			if cfg.FlowLayers == 0 {
				// No layers: exactly N(0, I), which keeps its analytic KL.
				return &StandardNormal{D: env.Config.LatentDim}, nil
			}
			return p, nil
		},
	})
}
