package core

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// FlowStack is a posterior flow of K layers of one kind. Its parameters come
// from the encoder's extra head (amortised: K·P columns per sample) or from
// shared learnable globals (one 1×K·P parameter).
type FlowStack struct {
	Layers    []Flow
	Amortized bool
	Shared    *Param // 1×K·P when not amortised

	p      int         // θ width of one layer
	zs     []mat.Dense // z_k inputs and outputs, len K+1 (zs[0] aliases z₀'s copy)
	thetas []mat.Dense // per-layer θ slices (copies of the head columns)
	dthets []mat.Dense
	dzA    mat.Dense
	dzB    mat.Dense
}

// NewFlowStack declares a posterior flow from cfg for latent dimension d.
func NewFlowStack(ps *Params, cfg FlowConfig, d int) (*FlowStack, error) {
	kind := FlowByName(cfg.Kind)
	if kind == nil {
		return nil, fmt.Errorf("core: unknown flow %q (want one of %v)", cfg.Kind, FlowNames())
	}
	if err := checkFlowInit(cfg.Init); err != nil {
		return nil, err
	}
	if err := checkRadialAlpha(cfg.RadialAlpha); err != nil {
		return nil, err
	}
	if cfg.Layers < 1 || cfg.Layers > MaxFlowLayers {
		return nil, fmt.Errorf("core: flow layers %d outside [1, %d]", cfg.Layers, MaxFlowLayers)
	}
	s := &FlowStack{Amortized: cfg.Amortized, p: kind.ParamCount(d)}
	for range cfg.Layers {
		s.Layers = append(s.Layers, kind.New(d))
	}
	setRadialAlpha(s.Layers, cfg.RadialAlpha)
	if !cfg.Amortized {
		s.Shared = ps.Add("posterior_flow.theta", 1, cfg.Layers*s.p, flowInit(cfg.Kind, cfg.Init, cfg.RadialAlpha, d))
	}
	s.zs = make([]mat.Dense, cfg.Layers+1)
	s.thetas = make([]mat.Dense, cfg.Layers)
	s.dthets = make([]mat.Dense, cfg.Layers)
	return s, nil
}

// HeadSize is K·P when amortised, else 0.
func (s *FlowStack) HeadSize() int {
	if s.Amortized {
		return len(s.Layers) * s.p
	}
	return 0
}

// theta fills the per-layer θ matrices from the head or the shared parameter.
func (s *FlowStack) theta(head *mat.Dense, n int) {
	src := s.Shared
	for k := range s.Layers {
		if s.Amortized {
			reshape(&s.thetas[k], n, s.p)
			h, t := head.RawMatrix(), data(&s.thetas[k])
			for i := 0; i < n; i++ {
				copy(t[i*s.p:(i+1)*s.p], h.Data[i*h.Stride+k*s.p:i*h.Stride+(k+1)*s.p])
			}
		} else {
			reshape(&s.thetas[k], 1, s.p)
			copy(data(&s.thetas[k]), src.Value.RawMatrix().Data[k*s.p:(k+1)*s.p])
		}
	}
}

func (s *FlowStack) Forward(zK *mat.Dense, logdet []float64, z0, head *mat.Dense) {
	n, d := z0.Dims()
	s.theta(head, n)
	clear(logdet)
	reshape(&s.zs[0], n, d)
	s.zs[0].Copy(z0)
	for k, l := range s.Layers {
		reshape(&s.zs[k+1], n, d)
		l.Forward(&s.zs[k+1], logdet, &s.zs[k], &s.thetas[k])
	}
	zK.Copy(&s.zs[len(s.Layers)])
}

func (s *FlowStack) Backward(dz0, dhead, dzK *mat.Dense, dlogdet []float64) {
	n, _ := dzK.Dims()
	for k := range s.Layers {
		zeroed(&s.dthets[k], s.thetas[k].RawMatrix().Rows, s.p)
	}
	dz0.Copy(backwardThroughFlows(s.Layers, s.dthets, dzK, dlogdet, &s.dzA, &s.dzB))
	for k := range s.Layers {
		dt := data(&s.dthets[k])
		if s.Amortized {
			h := dhead.RawMatrix()
			for i := 0; i < n; i++ {
				copy(h.Data[i*h.Stride+k*s.p:i*h.Stride+(k+1)*s.p], dt[i*s.p:(i+1)*s.p])
			}
		} else {
			gs := s.Shared.Grad.RawMatrix().Data[k*s.p : (k+1)*s.p]
			for j, v := range dt {
				gs[j] += v
			}
		}
	}
}

// Intermediates returns z₀, z₁, …, z_K of the last Forward (views for the flow
// display; overwritten by the next Forward).
func (s *FlowStack) Intermediates() []mat.Dense { return s.zs }
