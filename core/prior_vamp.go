package core

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// DefaultPseudoInputs is the VampPrior size when the config gives none.
const DefaultPseudoInputs = 50

// pseudoInputClip keeps pseudo-inputs initialised from binary data off 0 and
// 1, where the sigmoid's slope (and so their gradient) would vanish.
const pseudoInputClip = 0.05

// VampPrior is the prior of Tomczak & Welling (2018),
//
//	p(z) = 1/K Σₖ q(z | uₖ),
//
// the model's own encoder evaluated at K learnable pseudo-inputs uₖ shaped
// like the data. For Bernoulli data uₖ = sigmoid(Pseudo), so pseudo-inputs
// stay in [0, 1] like the images. The encoder is reached through Share: the
// same weights with separate buffers, so the prior's pass does not overwrite
// the data pass cached for the backward step, and the gradient of log p(z)
// reaches the encoder weights as well as the pseudo-inputs.
type VampPrior struct {
	Pseudo *Param // K×DataDim (pre-sigmoid logits when Squash)
	Squash bool

	enc, sampleEnc *Encoder

	u, uSample mat.Dense  // K×DataDim pseudo-inputs after squashing, per pass
	z          *mat.Dense // input of the last LogProb, not owned
	mu, lv     *mat.Dense // q(z|uₖ) of the last LogProb (owned by enc)
	resp       mat.Dense  // n×K responsibilities
	dmu, dlv   mat.Dense
	dextra, du mat.Dense
}

// NewVampPrior declares K pseudo-inputs for enc's data dimension in ps. With
// squash (Bernoulli data) they are logits drawn from N(0, 0.5²), grey images;
// otherwise values drawn from N(0, 1) like standardised data.
func NewVampPrior(ps *Params, enc *Encoder, k int, squash bool) *VampPrior {
	in := enc.Net.Sizes()[0]
	init := Normal(1)
	if squash {
		init = Normal(0.5)
	}
	return &VampPrior{
		Pseudo:    ps.Add("prior.vamp.pseudo", k, in, init),
		Squash:    squash,
		enc:       enc.Share(),
		sampleEnc: enc.Share(),
	}
}

func (p *VampPrior) Dim() int { return p.enc.D }

// K is the number of pseudo-inputs.
func (p *VampPrior) K() int { return p.Pseudo.Rows }

// PseudoInputs writes the pseudo-inputs (after squashing) into dst (K×DataDim),
// for display as images or points.
func (p *VampPrior) PseudoInputs(dst *mat.Dense) {
	src := data(p.Pseudo.Value)
	out := data(dst)
	for i, v := range src {
		if p.Squash {
			v = Sigmoid(v)
		}
		out[i] = v
	}
}

// InitFromData sets the pseudo-inputs to K rows of x drawn without
// replacement (with replacement when x has fewer than K rows). Binary data
// are clipped to [0.05, 0.95] before the logit so the pseudo-inputs can still
// move.
func (p *VampPrior) InitFromData(x *mat.Dense, rng *rand.Rand) error {
	n, c := x.Dims()
	if c != p.Pseudo.Cols {
		return fmt.Errorf("core: data has %d columns, pseudo-inputs have %d", c, p.Pseudo.Cols)
	}
	if n == 0 {
		return errors.New("core: no rows to initialise pseudo-inputs from")
	}
	var rows []int
	if n >= p.K() {
		rows = rng.Perm(n)[:p.K()]
	} else {
		for range p.K() {
			rows = append(rows, rng.IntN(n))
		}
	}
	for _, r := range rows {
		if !finite(x.RawRowView(r)) {
			return fmt.Errorf("core: row %d is not finite", r)
		}
	}
	dst := data(p.Pseudo.Value)
	for k, r := range rows {
		for j, v := range x.RawRowView(r) {
			if p.Squash {
				v = min(max(v, pseudoInputClip), 1-pseudoInputClip)
				v = pmath.Log(v / (1 - v))
			}
			dst[k*c+j] = v
		}
	}
	return nil
}

// encode runs enc on the squashed pseudo-inputs, written into u (which enc
// then caches as its input).
func (p *VampPrior) encode(enc *Encoder, u *mat.Dense) (mu, lv *mat.Dense) {
	reshape(u, p.K(), p.Pseudo.Cols)
	p.PseudoInputs(u)
	mu, lv, _ = enc.Forward(u)
	return mu, lv
}

func (p *VampPrior) LogProb(dst []float64, z *mat.Dense) {
	p.z = z
	p.mu, p.lv = p.encode(p.enc, &p.u)
	K, d := p.K(), p.Dim()
	raw := z.RawMatrix()
	reshape(&p.resp, raw.Rows, K)
	resp := data(&p.resp)
	logK := pmath.Log(float64(K))
	for i := 0; i < raw.Rows; i++ {
		zi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		ri := resp[i*K : (i+1)*K]
		for k := range K {
			ri[k] = gaussianLogDensity(zi, p.mu.RawRowView(k), p.lv.RawRowView(k))
		}
		lse := LogSumExp(ri)
		dst[i] = lse - logK
		for k := range ri {
			ri[k] = pmath.Exp(ri[k] - lse)
		}
	}
}

func (p *VampPrior) LogProbBackward(dz *mat.Dense, g []float64) {
	K, d := p.K(), p.Dim()
	raw := p.z.RawMatrix()
	resp := data(&p.resp)
	zeroed(&p.dmu, K, d)
	zeroed(&p.dlv, K, d)
	dm, dl := data(&p.dmu), data(&p.dlv)
	mu, lv := data(p.mu), data(p.lv)
	for i := 0; i < raw.Rows; i++ {
		zi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		dzi := denseRow(dz, i)
		for k, r := range resp[i*K : (i+1)*K] {
			w := float64(g[i] * r)
			for j, v := range zi {
				inv := pmath.Exp(-lv[k*d+j])
				diff := v - mu[k*d+j]
				if dzi != nil {
					dzi[j] -= float64(w * diff * inv)
				}
				dm[k*d+j] += float64(w * diff * inv)
				dl[k*d+j] += float64(w * 0.5 * (float64(diff*diff*inv) - 1))
			}
		}
	}
	var dextra *mat.Dense
	if p.enc.Extra > 0 {
		zeroed(&p.dextra, K, p.enc.Extra)
		dextra = &p.dextra
	}
	reshape(&p.du, K, p.Pseudo.Cols)
	p.enc.Backward(&p.du, &p.dmu, &p.dlv, dextra)
	gp, du, pv := data(p.Pseudo.Grad), data(&p.du), data(p.Pseudo.Value)
	for i, v := range du {
		if p.Squash {
			s := Sigmoid(pv[i])
			v = float64(v * (s * (1 - s)))
		}
		gp[i] += v
	}
}

// Sample picks a pseudo-input uniformly and draws from q(z|uₖ).
func (p *VampPrior) Sample(dst *mat.Dense, rng *rand.Rand) {
	mu, lv := p.encode(p.sampleEnc, &p.uSample)
	raw := dst.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		k := rng.IntN(p.K())
		m, l := mu.RawRowView(k), lv.RawRowView(k)
		for j := 0; j < raw.Cols; j++ {
			raw.Data[i*raw.Stride+j] = m[j] + float64(pmath.Exp(0.5*l[j])*pmath.NormFloat64(rng))
		}
	}
}

// Components returns the K Gaussians q(z|uₖ) with weight 1/K, for drawing.
func (p *VampPrior) Components() []MixtureComponent {
	mu, lv := p.encode(p.sampleEnc, &p.uSample)
	out := make([]MixtureComponent, p.K())
	for k := range out {
		c := MixtureComponent{Weight: 1 / float64(p.K()), Mean: append([]float64(nil), mu.RawRowView(k)...), Var: make([]float64, p.Dim())}
		for j, v := range lv.RawRowView(k) {
			c.Var[j] = pmath.Exp(v)
		}
		out[k] = c
	}
	return out
}

func init() {
	RegisterPrior(PriorKind{
		Name:        "vamp",
		Description: "VampPrior: mixture of the encoder's posteriors at K learnable pseudo-inputs, Monte Carlo KL",
		Options:     []string{"Components"},
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			if env.Encoder == nil {
				return nil, errors.New("core: the VampPrior needs the model's encoder")
			}
			k := cfg.Components
			if k == 0 {
				k = DefaultPseudoInputs
			}
			return NewVampPrior(ps, env.Encoder, k, env.Config.Likelihood == "bernoulli"), nil
		},
	})
}
