package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Config is a model's architecture: everything needed to rebuild it (a
// checkpoint stores it), nothing that may change between steps (see Hyper).
type Config struct {
	DataDim       int    `json:"data_dim"`
	LatentDim     int    `json:"latent_dim"`
	EncoderHidden []int  `json:"encoder_hidden"`
	DecoderHidden []int  `json:"decoder_hidden"`
	Activation    string `json:"activation"`
	Likelihood    string `json:"likelihood"`         // "bernoulli" or "gaussian"
	Variance      string `json:"variance,omitempty"` // Gaussian: "scalar" or "per-dim"

	Prior         PriorConfig `json:"prior"`
	PosteriorFlow FlowConfig  `json:"posterior_flow"`
	// Bayes gives the encoder and/or decoder weight distributions.
	Bayes BayesConfig `json:"bayes,omitzero"`
}

// PriorConfig selects a prior from the registry (Priors) and its options.
// Fields a kind does not use are ignored.
type PriorConfig struct {
	Kind       string `json:"kind"`                  // registry name, "" = "standard"
	Components int    `json:"components,omitempty"`  // mixture components, VampPrior pseudo-inputs
	FlowKind   string `json:"flow_kind,omitempty"`   // flow prior: "planar" or "radial"
	FlowLayers int    `json:"flow_layers,omitempty"` // flow prior depth
	FlowInit   string `json:"flow_init,omitempty"`   // flow prior: "identity" (default) or "random"
	// FlowRadialAlpha is the flow prior's FlowConfig.RadialAlpha.
	FlowRadialAlpha string `json:"flow_radial_alpha,omitempty"`
	// Second-stage VAE (two-stage prior): hidden widths and latent size.
	StageHidden []int `json:"stage_hidden,omitempty"`
	StageLatent int   `json:"stage_latent,omitempty"`
}

// FlowConfig selects a posterior flow. Kind "" or "none" means no flow.
type FlowConfig struct {
	Kind      string `json:"kind,omitempty"` // "planar", "radial"
	Layers    int    `json:"layers,omitempty"`
	Amortized bool   `json:"amortized,omitempty"` // parameters from an encoder head
	// Init is how shared layers start: "identity" (default) or "random"
	// (see FlowInits). Amortised layers take their θ from the encoder.
	Init string `json:"init,omitempty"`
	// RadialAlpha is how a radial layer's α follows from its parameter α′:
	// "softplus" (default; what every earlier checkpoint holds) or "abs"
	// (α = |α′|, normflows' choice, which fits the 2-D test energies better).
	RadialAlpha string `json:"radial_alpha,omitempty"`
}

// Limits on sizes read from a URL, a file or a user: generous for a browser,
// small enough that a hostile value cannot exhaust memory.
const (
	MaxDataDim    = 4096
	MaxLatentDim  = 64
	MaxHidden     = 4096
	MaxDepth      = 8
	MaxFlowLayers = 64
	MaxComponents = 512
)

// DefaultConfig2D is the 2-D toy model: 2-64-64-(2·2) / 2-64-64-2, Gaussian
// likelihood, standard prior.
func DefaultConfig2D() Config {
	return Config{
		DataDim: 2, LatentDim: 2,
		EncoderHidden: []int{64, 64}, DecoderHidden: []int{64, 64},
		Activation: "tanh", Likelihood: "gaussian", Variance: VariancePerDim,
		Prior: PriorConfig{Kind: "standard"},
	}
}

// DefaultConfigImage is the reference image model: 784-256-(2·2) /
// 2-256-784, Bernoulli likelihood, standard prior.
func DefaultConfigImage() Config {
	return Config{
		DataDim: 784, LatentDim: 2,
		EncoderHidden: []int{256}, DecoderHidden: []int{256},
		Activation: "relu", Likelihood: "bernoulli",
		Prior: PriorConfig{Kind: "standard"},
	}
}

// Validate checks every field against its range, so that a config read from a
// URL or a file cannot build an absurd model.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.DataDim < 1 || c.DataDim > MaxDataDim {
		bad("data dimension %d outside [1, %d]", c.DataDim, MaxDataDim)
	}
	if c.LatentDim < 1 || c.LatentDim > MaxLatentDim {
		bad("latent dimension %d outside [1, %d]", c.LatentDim, MaxLatentDim)
	}
	// Each network is named: the same bad width given to both (as the CLI's
	// -hidden does) must not read as one message printed twice.
	for _, net := range []struct {
		name   string
		hidden []int
	}{{"encoder", c.EncoderHidden}, {"decoder", c.DecoderHidden}} {
		if len(net.hidden) > MaxDepth {
			bad("%s: %d hidden layers, at most %d", net.name, len(net.hidden), MaxDepth)
		}
		for _, w := range net.hidden {
			if w < 1 || w > MaxHidden {
				bad("%s hidden width %d outside [1, %d]", net.name, w, MaxHidden)
			}
		}
	}
	if _, err := ParseActivation(c.Activation); err != nil {
		// Under "core: invalid config:" its own "core: " would repeat.
		bad("%s", strings.TrimPrefix(err.Error(), "core: "))
	}
	switch c.Likelihood {
	case "bernoulli":
	case "gaussian":
		if c.Variance != "" && c.Variance != VarianceScalar && c.Variance != VariancePerDim {
			bad("unknown Gaussian variance %q", c.Variance)
		}
	default:
		bad("unknown likelihood %q (want bernoulli or gaussian)", c.Likelihood)
	}
	kind := c.Prior.Kind
	if kind == "" {
		kind = "standard"
	}
	if PriorByName(kind) == nil {
		bad("unknown prior %q (want one of %v)", c.Prior.Kind, PriorNames())
	}
	if c.Prior.Components < 0 || c.Prior.Components > MaxComponents {
		bad("prior components %d outside [0, %d]", c.Prior.Components, MaxComponents)
	}
	if c.Prior.FlowLayers < 0 || c.Prior.FlowLayers > MaxFlowLayers {
		bad("prior flow layers %d outside [0, %d]", c.Prior.FlowLayers, MaxFlowLayers)
	}
	if err := checkFlowInit(c.Prior.FlowInit); err != nil {
		errs = append(errs, err)
	}
	if err := checkFlowInit(c.PosteriorFlow.Init); err != nil {
		errs = append(errs, err)
	}
	if err := checkRadialAlpha(c.PosteriorFlow.RadialAlpha); err != nil {
		errs = append(errs, err)
	}
	if err := checkRadialAlpha(c.Prior.FlowRadialAlpha); err != nil {
		errs = append(errs, err)
	}
	if len(c.Prior.StageHidden) > MaxDepth {
		bad("%d second-stage hidden layers, at most %d", len(c.Prior.StageHidden), MaxDepth)
	}
	for _, w := range c.Prior.StageHidden {
		if w < 1 || w > MaxHidden {
			bad("second-stage hidden width %d outside [1, %d]", w, MaxHidden)
		}
	}
	if c.Prior.StageLatent < 0 || c.Prior.StageLatent > MaxLatentDim {
		bad("second-stage latent %d outside [0, %d]", c.Prior.StageLatent, MaxLatentDim)
	}
	if k := c.PosteriorFlow.Kind; k != "" && k != "none" {
		if FlowByName(k) == nil {
			bad("unknown posterior flow %q (want one of %v)", k, FlowNames())
		}
	}
	if c.PosteriorFlow.Layers < 0 || c.PosteriorFlow.Layers > MaxFlowLayers {
		bad("posterior flow layers %d outside [0, %d]", c.PosteriorFlow.Layers, MaxFlowLayers)
	}
	c.Bayes.validate(bad)
	if len(errs) == 0 {
		if n := c.paramBound(); n > MaxParams {
			bad("about %d parameters, at most %d (a smaller network, fewer components or layers)", n, MaxParams)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("core: invalid config: %w", errors.Join(errs...))
	}
	return nil
}

// MaxParams bounds a model's parameter count (values, gradients and Adam's
// two moments make it 32 bytes each): the reference image model has 0.4 M.
// Validate checks it before anything is allocated, so that a URL or a file
// cannot make the playground allocate gigabytes.
const MaxParams = 1 << 22

// paramBound is an upper bound on the parameters a valid config declares,
// second-stage VAE included.
func (c *Config) paramBound() int {
	mlp := func(sizes ...int) int {
		n := 0
		for i := 0; i+1 < len(sizes); i++ {
			n += (sizes[i] + 1) * sizes[i+1]
		}
		return n
	}
	chain := func(in int, hidden []int, out int) []int {
		return append(append([]int{in}, hidden...), out)
	}
	d := c.LatentDim
	flowWidth := 2*d + 2 // the wider of planar (2d+1) and radial (d+2)
	extra := 0
	if c.PosteriorFlow.Amortized {
		extra = c.PosteriorFlow.Layers * flowWidth
	}
	enc := mlp(chain(c.DataDim, c.EncoderHidden, 2*d+extra)...)
	dec := mlp(chain(d, c.DecoderHidden, c.DataDim)...)
	if c.Bayes.Encoder {
		enc *= 2
	}
	if c.Bayes.Decoder {
		dec *= 2
	}
	n := enc + dec + c.DataDim + (c.PosteriorFlow.Layers+c.Prior.FlowLayers)*flowWidth
	k := max(c.Prior.Components, 64) // the mixture's and VampPrior's defaults are below 64
	switch c.Prior.Kind {
	case "mixture":
		n += k * (2*d + 1)
	case "vamp":
		n += k * c.DataDim
	case "two-stage":
		sl := max(c.Prior.StageLatent, d)
		hidden := c.Prior.StageHidden
		if hidden == nil {
			hidden = DefaultStageHidden
		}
		n += mlp(chain(d, hidden, 2*sl)...) + mlp(chain(sl, hidden, d)...) + d
	}
	return n + 2*d
}

// Clone returns a deep copy.
func (c Config) Clone() Config {
	c.EncoderHidden = slices.Clone(c.EncoderHidden)
	c.DecoderHidden = slices.Clone(c.DecoderHidden)
	c.Prior.StageHidden = slices.Clone(c.Prior.StageHidden)
	return c
}
