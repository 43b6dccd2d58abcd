package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// FlowFitter is what a flow-lab view drives, one step at a time: a flow of
// K shared layers fitted to a target, either an energy (EnergyFitter, by
// reverse KL) or data points (DataFlowFitter, by maximum likelihood).
//
// Stages count layers in the sampling direction: stage 0 is the base
// N(0, I), stage k the distribution after k layers, stage K the model.
type FlowFitter interface {
	// Step takes one Adam step and returns its batch loss in nats.
	Step() float64
	// StepCount is how many steps were taken.
	StepCount() int
	// NumLayers is K.
	NumLayers() int
	// StageLogDensity writes log q_k(z) of stage k for the rows of z into
	// dst (NaN where it cannot be evaluated). It only reads the parameters.
	StageLogDensity(dst []float64, z *mat.Dense, k int)
	// SampleStages draws n base samples and returns them pushed through the
	// layers: K+1 matrices n×d, stage 0 to stage K.
	SampleStages(n int, rng *rand.Rand) []*mat.Dense
	// LayerTheta is the parameter row of the k-th layer in the sampling
	// direction (a view: planar (u, w, b), radial (z₀, α′, β′)).
	LayerTheta(k int) []float64
	// Stages is a snapshot of the flow's stages for views (FlowStages),
	// which stays valid while the fit steps on.
	Stages() *FlowStages
}

// fitDefaults fills the zero values of the common fitting options and checks
// their ranges.
func fitDefaults(flow *FlowConfig, batch *int, lr, clip *float64) error {
	if flow.Amortized {
		return errors.New("core: a fitted flow has shared layers, not amortised ones")
	}
	if flow.Layers < 1 || flow.Layers > MaxFlowLayers {
		return fmt.Errorf("core: flow layers %d outside [1, %d]", flow.Layers, MaxFlowLayers)
	}
	if *batch == 0 {
		*batch = 256
	}
	if *lr == 0 {
		*lr = 1e-3
	}
	if *clip == 0 {
		*clip = 100
	}
	if *batch < 1 || *batch > 1<<16 {
		return fmt.Errorf("core: batch %d outside [1, %d]", *batch, 1<<16)
	}
	if !(*lr > 0 && *lr <= 1) {
		return fmt.Errorf("core: learning rate %g outside (0, 1]", *lr)
	}
	if !(*clip > 0) || math.IsInf(*clip, 0) {
		return fmt.Errorf("core: gradient clip %g is not a positive number", *clip)
	}
	return nil
}

// adamStep clips the gradients to norm clip and updates the parameters,
// unless a gradient is not finite (then nothing changes).
func adamStep(opt *Adam, ps *Params, clip float64) {
	g := globalNorm(ps.Grads())
	if math.IsNaN(g) || math.IsInf(g, 0) {
		return
	}
	s := 1.0
	if g > clip {
		s = clip / g
	}
	opt.UpdateScaled(ps.Values(), ps.Grads(), s)
}

// sharedLayerTheta returns a 1×P view of layer k's θ inside a 1×K·P row.
func sharedLayerTheta(row []float64, k, p int) *mat.Dense {
	return mat.NewDense(1, p, row[k*p:(k+1)*p:(k+1)*p])
}

// standardNormalLogPDF is log N(z; 0, I) of one row.
func standardNormalLogPDF(z []float64) float64 {
	s := 0.0
	for _, v := range z {
		s += float64(v * v)
	}
	return float64(-0.5 * (s + float64(float64(len(z))*log2Pi)))
}

func fillNormal(m *mat.Dense, rng *rand.Rand) {
	for i := range data(m) {
		data(m)[i] = pmath.NormFloat64(rng)
	}
}

// EnergyFitConfig is how an EnergyFitter fits a flow to an energy.
type EnergyFitConfig struct {
	// Flow is the layer kind, the depth K and the initialisation; the
	// layers are shared (Amortized must be false).
	Flow FlowConfig
	// Batch is the number of samples per step (0 = 256).
	Batch int
	// LearningRate is Adam's step size (0 = 10⁻³).
	LearningRate float64
	// Steps is the planned length of the fit; annealing spans its first
	// half. Step keeps working past it.
	Steps int
	// Anneal scales the energy by β_t rising linearly from 0.01 to 1 over
	// the first half of Steps, so that early samples spread over the whole
	// target before its modes pull them in.
	Anneal bool
	// Envelope is the stiffness k of EnvelopePenalty added to the energy
	// (0 = none).
	Envelope float64
	// ClipNorm bounds the gradient's norm (0 = 100).
	ClipNorm float64
}

// DefaultEnergyFitConfig is the setting of the flow-lab results: 20 000
// Adam steps of batch 256 at 10⁻³, annealing over the first half, an
// envelope of stiffness 100, and the layers that fitted U1–U4 best
// (LabFlowConfig).
func DefaultEnergyFitConfig(kind string, layers int) EnergyFitConfig {
	return EnergyFitConfig{
		Flow:  LabFlowConfig(kind, layers),
		Batch: 256, LearningRate: 1e-3, Steps: 20000, Anneal: true, Envelope: 100,
	}
}

// LabFlowConfig is the flow of a kind and depth that fitted the 2-D test
// energies best over four targets and three seeds (README): planar layers
// from the near-identity start; radial layers with α = |α′| from
// normflows' random start, which at K = 32 roughly halved the KL on U2
// and U3 against softplus from the near-identity start.
func LabFlowConfig(kind string, layers int) FlowConfig {
	c := FlowConfig{Kind: kind, Layers: layers}
	if kind == "radial" {
		c.Init, c.RadialAlpha = FlowInitRandom, RadialAlphaAbs
	}
	return c
}

// EnergyFitter fits q = f_K∘…∘f₁ pushed-forward N(0, I) to p* ∝ exp(−U) on
// the plane by minimising the reverse KL, E_q[log q(z) + U(z)] + log Z, with
// reparameterised samples through the flow in the forward direction (as a
// posterior flow does). It is driven one Step at a time; views read it
// between steps.
type EnergyFitter struct {
	Target Energy
	Config EnergyFitConfig
	Flow   *FlowStack
	Params Params
	Opt    *Adam

	rng    *rand.Rand
	steps  int
	logZ   float64
	haveZ  bool
	p      int    // θ width of one layer
	views  []Flow // separate layers for views, so a view never touches Flow's caches
	z0, zK *mat.Dense
	dzK    *mat.Dense
	dz0    *mat.Dense
	logdet []float64
	dldet  []float64
}

// NewEnergyFitter builds a fit of the configured flow to target; the seed
// fixes the initialisation and every sample, so the same seed and config
// give the same bits.
func NewEnergyFitter(target Energy, cfg EnergyFitConfig, seed uint64) (*EnergyFitter, error) {
	if target == nil {
		return nil, errors.New("core: no target energy")
	}
	if err := fitDefaults(&cfg.Flow, &cfg.Batch, &cfg.LearningRate, &cfg.ClipNorm); err != nil {
		return nil, err
	}
	if cfg.Steps < 0 || cfg.Steps > 1<<30 {
		return nil, fmt.Errorf("core: planned steps %d outside [0, %d]", cfg.Steps, 1<<30)
	}
	if cfg.Anneal && cfg.Steps < 2 {
		return nil, errors.New("core: annealing needs the planned number of steps (at least 2)")
	}
	if !(cfg.Envelope >= 0 && cfg.Envelope <= 1e6) {
		return nil, fmt.Errorf("core: envelope stiffness %g outside [0, 1e6]", cfg.Envelope)
	}
	if err := checkRadialAlpha(cfg.Flow.RadialAlpha); err != nil {
		return nil, err
	}
	f := &EnergyFitter{Target: target, Config: cfg, rng: rand.New(rand.NewPCG(seed, seed^0xfeed))}
	fs, err := NewFlowStack(&f.Params, cfg.Flow, 2)
	if err != nil {
		return nil, err
	}
	f.Flow = fs
	f.p = fs.p
	f.Params.Allocate(f.rng)
	f.Opt = NewAdam(f.Params.Len(), cfg.LearningRate)
	for _, l := range fs.Layers {
		f.views = append(f.views, cloneLayer(l))
	}
	n := cfg.Batch
	f.z0, f.zK = mat.NewDense(n, 2, nil), mat.NewDense(n, 2, nil)
	f.dzK, f.dz0 = mat.NewDense(n, 2, nil), mat.NewDense(n, 2, nil)
	f.logdet, f.dldet = make([]float64, n), make([]float64, n)
	for i := range f.dldet {
		f.dldet[i] = -1 / float64(n) // the loss has −mean log|det|
	}
	return f, nil
}

// cloneLayer returns a fresh layer of the same type and settings.
func cloneLayer(l Flow) Flow {
	switch l := l.(type) {
	case *Planar:
		return NewPlanar(l.D)
	case *Radial:
		c := *l
		c.z, c.theta = nil, nil
		return &c
	}
	panic(fmt.Sprintf("core: no copy for flow layer %T", l))
}

// InverseTemperature is β_t of the next step: with annealing, 0.01 rising
// linearly to 1 at half the planned steps, else 1.
func (f *EnergyFitter) InverseTemperature() float64 {
	if !f.Config.Anneal {
		return 1
	}
	half := float64(f.Config.Steps) / 2
	return min(1, 0.01+0.99*float64(f.steps)/half)
}

// Step draws a batch from N(0, I), pushes it through the flow and takes one
// Adam step on E[log q(z) + β_t·U(z) + envelope(z)], which it returns (the
// annealed KL up to log Z). A step whose gradient is not finite changes no
// parameter. It allocates nothing.
func (f *EnergyFitter) Step() float64 {
	fillNormal(f.z0, f.rng)
	loss := f.lossAndGrad()
	adamStep(f.Opt, &f.Params, f.Config.ClipNorm)
	f.steps++
	return loss
}

// lossAndGrad returns the step's loss for the base draws in z0 and writes
// its gradient into the parameters' gradient slab.
func (f *EnergyFitter) lossAndGrad() float64 {
	beta := f.InverseTemperature()
	n := f.Config.Batch
	f.Flow.Forward(f.zK, f.logdet, f.z0, nil)
	loss := 0.0
	inv := 1 / float64(n)
	for i := range n {
		z, g := f.zK.RawRowView(i), f.dzK.RawRowView(i)
		u := f.Target.Energy(z, g)
		g[0], g[1] = float64(beta*g[0]), float64(beta*g[1])
		pen := 0.0
		if f.Config.Envelope > 0 {
			pen = EnvelopePenalty(z, g, f.Config.Envelope)
		}
		g[0], g[1] = float64(inv*g[0]), float64(inv*g[1])
		loss += standardNormalLogPDF(f.z0.RawRowView(i)) - f.logdet[i] + float64(beta*u) + pen
	}
	f.Params.ZeroGrads()
	f.Flow.Backward(f.dz0, nil, f.dzK, f.dldet)
	return float64(loss * inv)
}

// StepCount is how many steps were taken.
func (f *EnergyFitter) StepCount() int { return f.steps }

// NumLayers is K.
func (f *EnergyFitter) NumLayers() int { return len(f.Flow.Layers) }

// LayerTheta returns layer k's θ row (a view into the parameters).
func (f *EnergyFitter) LayerTheta(k int) []float64 {
	return data(f.Flow.Shared.Value)[k*f.p : (k+1)*f.p]
}

func (f *EnergyFitter) theta(k int) *mat.Dense {
	return sharedLayerTheta(data(f.Flow.Shared.Value), k, f.p)
}

// LogZ is log ∫ exp(−U) over the box [−4, 4]², computed once by quadrature
// on an 800×800 grid.
func (f *EnergyFitter) LogZ() float64 {
	if !f.haveZ {
		f.logZ, f.haveZ = LogNormalizer(f.Target, 800), true
	}
	return f.logZ
}

// SampleStages draws n points from N(0, I) and returns them after each
// layer: stage 0 (the draws) to stage K (samples of q).
func (f *EnergyFitter) SampleStages(n int, rng *rand.Rand) []*mat.Dense {
	return f.stageView().Sample(n, rng)
}

// StageLogDensity writes log q_k(z) of the distribution after the first k
// layers: log N(z₀) − Σⱼ log|det J_j| with z₀ = f₁⁻¹∘…∘f_k⁻¹(z). It inverts
// every layer (radial in closed form, planar by a 1-D root per point), so a
// 256² grid through 32 planar layers takes a fraction of a second: a view
// may drop resolution while fitting.
func (f *EnergyFitter) StageLogDensity(dst []float64, z *mat.Dense, k int) {
	f.stageView().LogDensity(dst, z, k)
}

// EnergyKL is a Monte Carlo estimate of KL(q‖p*) on the box.
type EnergyKL struct {
	// KL is KL(q_in‖p*) in nats, where q_in is q restricted to the box
	// [−4, 4]² and renormalised (p* lives on the box):
	// E_q[log q + U | inside] − log P_q(inside) + log Z.
	KL float64
	// Outside is the fraction of q's samples outside the box.
	Outside float64
	// Samples is how many samples the estimate used.
	Samples int
}

// EstimateKL estimates KL(q‖p*) from n fresh samples drawn with the given
// seed (the fit's own random stream is untouched), counting only samples
// inside the box and renormalising, and reports the fraction outside.
func (f *EnergyFitter) EstimateKL(n int, seed uint64) EnergyKL {
	rng := rand.New(rand.NewPCG(seed, seed^0x6b1))
	const chunk = 4096
	sum, inside := 0.0, 0
	for done := 0; done < n; done += chunk {
		m := min(chunk, n-done)
		base := mat.NewDense(m, 2, nil)
		fillNormal(base, rng)
		logdet := make([]float64, m)
		cur, next := mat.DenseCopyOf(base), mat.NewDense(m, 2, nil)
		for k, l := range f.views {
			l.Forward(next, logdet, cur, f.theta(k))
			cur, next = next, cur
		}
		for i := range m {
			z := cur.RawRowView(i)
			if !InsideEnergyBox(z) {
				continue
			}
			inside++
			sum += standardNormalLogPDF(base.RawRowView(i)) - logdet[i] + f.Target.Energy(z, nil)
		}
	}
	est := EnergyKL{Samples: n, Outside: 1 - float64(inside)/float64(n), KL: math.Inf(1)}
	if inside > 0 {
		est.KL = sum/float64(inside) - pmath.Log(float64(inside)/float64(n)) + f.LogZ()
	}
	return est
}

// EnergyFit is the result of FitFlowToEnergyU1.
type EnergyFit struct {
	Kind   string
	Layers int
	Steps  int
	// KL is the reverse KL(q‖p*) in nats, estimated with 20 000 fresh
	// samples (see EnergyFitter.EstimateKL).
	KL float64
}

// FitFlowToEnergyU1 fits q = (K layers of kind) pushed-forward N(0, I) to
// p* ∝ exp(−U1) by minimising the reverse KL with Adam, without annealing or
// envelope, then estimates the final KL. The same seed gives the same
// result.
func FitFlowToEnergyU1(kind string, layers, steps, batch int, lr float64, seed uint64) (EnergyFit, error) {
	u1, _ := EnergyByName("u1")
	f, err := NewEnergyFitter(u1, EnergyFitConfig{
		Flow: FlowConfig{Kind: kind, Layers: layers}, Batch: batch, LearningRate: lr, Steps: steps,
	}, seed)
	if err != nil {
		return EnergyFit{}, err
	}
	for range steps {
		f.Step()
	}
	return EnergyFit{Kind: kind, Layers: layers, Steps: steps, KL: f.EstimateKL(20000, seed+1).KL}, nil
}
