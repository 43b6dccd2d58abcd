package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vaeplayground/vae/safetensors"
)

// The safetensors export: a model as the tensor file PyTorch users read
// (python/vae_playground.py builds the same model from it), and back.
//
// Tensors are F64, named as a PyTorch module's state_dict names them:
//
//	encoder.layers.{i}.weight   [out, in]   layer i of the encoder (the transpose of core's W)
//	encoder.layers.{i}.bias     [out]
//	decoder.layers.{i}.weight   [out, in]   likewise for the decoder
//	decoder.layers.{i}.bias     [out]
//	….weight_rho, ….bias_rho    as above    Bayesian layers (Config.Bayes): σ = softplus(ρ)
//	likelihood.logvar           [1] or [D]  Gaussian decoder's log-variance (scalar or per dimension)
//	prior.mean, prior.logvar    [d]         gaussian prior
//	prior.logits                [K]         mixture prior: π = softmax(logits)
//	prior.means, prior.logvars  [K, d]
//	prior.pseudo                [K, D]      VampPrior pseudo-inputs (pre-sigmoid for Bernoulli data)
//	prior.layers.{k}.u, .w      [d]         flow prior, planar layer k: f(z) = z + û·tanh(wᵀz + b)
//	prior.layers.{k}.b          [1]
//	prior.layers.{k}.z0         [d]         flow prior, radial layer k: centre z₀,
//	prior.layers.{k}.alpha_raw  [1]         α′ (α = softplus(α′), or |α′| with radial_alpha "abs")
//	prior.layers.{k}.beta_raw   [1]         β′ (β = −α + softplus(β′))
//	posterior_flow.layers.{k}.… as above    a shared (not amortised) posterior flow
//
// The encoder's last layer has 2d + K·P outputs: μ, then the log-variance
// (clamped to [−12, 8] when used), then for an amortised posterior flow each
// layer's θ row (planar (u, w, b), radial (z₀, α′, β′)). Layer i of a network
// is followed by the activation except the last one.
//
// The metadata holds "format": "pt", "vae_playground": the mapping's version
// ("1"), "config": the Config as JSON (the same as a checkpoint's) and
// "trained_on": the DataSource as JSON. Not carried: the optimiser state and
// the trainer's position (a checkpoint has them), and the two-stage prior,
// whose second VAE lives outside the parameter slab (export refuses it).

// SafetensorsVersion is the "vae_playground" metadata value of this mapping.
const SafetensorsVersion = "1"

const maxSafetensorsHeader = 1 << 20 // a few hundred tensor entries at most

// ErrSafetensors is wrapped by every error about a malformed or foreign
// safetensors file.
var ErrSafetensors = errors.New("core: bad safetensors model")

func badSafetensors(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	for _, prefix := range []string{"core: ", safetensors.ErrFormat.Error() + ": ", "safetensors: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	return fmt.Errorf("%w: %s", ErrSafetensors, msg)
}

// tensorSlot ties one tensor name to values of a parameter: the whole of it
// (transposed for a linear layer's weight) or a run of it (one field of a
// flow layer's θ).
type tensorSlot struct {
	name       string
	shape      []int
	param      *Param
	transposed bool
	off, n     int // the run within the parameter's values; n = 0: all
}

func (s tensorSlot) size() int {
	n := 1
	for _, v := range s.shape {
		n *= v
	}
	return n
}

// read copies the slot's values out of the parameter, in tensor order.
func (s tensorSlot) read() []float64 {
	v := data(s.param.Value)
	if s.transposed {
		r, c := s.param.Rows, s.param.Cols
		out := make([]float64, r*c)
		for i := range r {
			for j := range c {
				out[j*r+i] = v[i*c+j]
			}
		}
		return out
	}
	if s.n > 0 {
		v = v[s.off : s.off+s.n]
	}
	return append([]float64(nil), v...)
}

// write copies tensor-ordered values into the parameter.
func (s tensorSlot) write(xs []float64) {
	v := data(s.param.Value)
	if s.transposed {
		r, c := s.param.Rows, s.param.Cols
		for i := range r {
			for j := range c {
				v[i*c+j] = xs[j*r+i]
			}
		}
		return
	}
	if s.n > 0 {
		v = v[s.off : s.off+s.n]
	}
	copy(v, xs)
}

// tensorSlots names every parameter of m, or says what the export cannot
// carry. Every value of the slab is covered exactly once (checked), so no
// parameter is ever dropped in silence.
func tensorSlots(m *Model) ([]tensorSlot, error) {
	var slots []tensorSlot
	whole := func(name string, p *Param, shape ...int) {
		slots = append(slots, tensorSlot{name: name, shape: shape, param: p})
	}
	network := func(prefix string, net *MLP) error {
		for i, l := range net.Layers {
			base := fmt.Sprintf("%s.layers.%d.", prefix, i)
			switch l := l.(type) {
			case *Linear:
				slots = append(slots, tensorSlot{name: base + "weight", shape: []int{l.Out(), l.In()}, param: l.W, transposed: true})
				whole(base+"bias", l.B, l.Out())
			case *BayesLinear:
				slots = append(slots, tensorSlot{name: base + "weight", shape: []int{l.Out(), l.In()}, param: l.W, transposed: true})
				whole(base+"bias", l.B, l.Out())
				slots = append(slots, tensorSlot{name: base + "weight_rho", shape: []int{l.Out(), l.In()}, param: l.WRho, transposed: true})
				whole(base+"bias_rho", l.BRho, l.Out())
			default:
				return fmt.Errorf("core: %s layer %d (%T) has no safetensors form", prefix, i, l)
			}
		}
		return nil
	}
	flow := func(prefix string, layers []Flow, theta *Param) error {
		if theta == nil {
			return nil
		}
		d := layers[0].Dim()
		p := layers[0].NumParams()
		for k, l := range layers {
			base, off := fmt.Sprintf("%s.layers.%d.", prefix, k), k*p
			field := func(name string, at, n int) {
				slots = append(slots, tensorSlot{name: base + name, shape: []int{n}, param: theta, off: off + at, n: n})
			}
			switch l.(type) {
			case *Planar:
				field("u", 0, d)
				field("w", d, d)
				field("b", 2*d, 1)
			case *Radial:
				field("z0", 0, d)
				field("alpha_raw", d, 1)
				field("beta_raw", d+1, 1)
			default:
				return fmt.Errorf("core: %s layer %d (%T) has no safetensors form", prefix, k, l)
			}
		}
		return nil
	}

	if err := network("encoder", m.Enc.Net); err != nil {
		return nil, err
	}
	if err := network("decoder", m.Dec); err != nil {
		return nil, err
	}
	if g, ok := m.Lik.(*Gaussian); ok {
		whole("likelihood.logvar", g.LogVar, g.LogVar.Cols)
	}
	d := m.Config.LatentDim
	switch p := m.Prior.(type) {
	case *StandardNormal:
	case *LearnableGaussian:
		whole("prior.mean", p.Mean, d)
		whole("prior.logvar", p.LogVar, d)
	case *Mixture:
		whole("prior.logits", p.Logits, p.K())
		whole("prior.means", p.Means, p.K(), d)
		whole("prior.logvars", p.LogVars, p.K(), d)
	case *VampPrior:
		whole("prior.pseudo", p.Pseudo, p.K(), p.Pseudo.Cols)
	case *FlowPrior:
		if err := flow("prior", p.Layers, p.Theta); err != nil {
			return nil, err
		}
	case *TwoStagePrior:
		return nil, errors.New("core: the two-stage prior's second VAE is not carried by a safetensors export (save a checkpoint instead)")
	default:
		return nil, fmt.Errorf("core: prior %T has no safetensors form", p)
	}
	if fs, ok := m.Flow.(*FlowStack); ok {
		if err := flow("posterior_flow", fs.Layers, fs.Shared); err != nil {
			return nil, err
		}
	} else if m.Flow != nil {
		return nil, fmt.Errorf("core: posterior flow %T has no safetensors form", m.Flow)
	}

	covered := map[*Param]int{}
	for _, s := range slots {
		covered[s.param] += s.size()
	}
	for _, p := range m.Params.List() {
		if covered[p] != p.Rows*p.Cols {
			return nil, fmt.Errorf("core: parameter %s has no safetensors name", p.Name)
		}
	}
	return slots, nil
}

// ExportSafetensors writes m as a safetensors file: every parameter as an F64
// tensor under its PyTorch name, the configuration and data source in the
// metadata (see the names above). A model the format cannot carry whole (the
// two-stage prior) is refused, and nothing is written.
func ExportSafetensors(w io.Writer, m *Model) error {
	slots, err := tensorSlots(m)
	if err != nil {
		return err
	}
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return err
	}
	src, err := json.Marshal(m.TrainedOn)
	if err != nil {
		return err
	}
	tensors := make([]safetensors.Tensor, len(slots))
	for i, s := range slots {
		tensors[i] = safetensors.Float64Tensor(s.name, s.shape, s.read())
	}
	meta := map[string]string{
		"format":         "pt",
		"vae_playground": SafetensorsVersion,
		"config":         string(cfg),
		"trained_on":     string(src),
	}
	return safetensors.Write(w, meta, tensors)
}

// ImportSafetensors reads a model from a safetensors file written by
// ExportSafetensors or by python/vae_playground.py. It is as strict as a
// checkpoint: the format's rules (safetensors.ReadHeader), the metadata's
// version, a valid configuration, exactly the tensor names that
// configuration has with their shapes (F64, or F32 widened), finite values,
// and nothing after the last tensor. The header is read and checked before
// the tensors' bytes are allocated. A bad file is an error wrapping
// ErrSafetensors and no model.
func ImportSafetensors(r io.Reader) (*Model, error) {
	h, err := safetensors.ReadHeader(r, maxSafetensorsHeader)
	if err != nil {
		return nil, badSafetensors("%v", err)
	}
	meta := h.Metadata
	if v, ok := meta["vae_playground"]; !ok {
		return nil, badSafetensors("not a VAE playground model: the metadata has no \"vae_playground\" version (a file of this program or of python/vae_playground.py has it)")
	} else if v != SafetensorsVersion {
		return nil, badSafetensors("vae_playground version %q, this build reads %q", v, SafetensorsVersion)
	}
	var cfg Config
	if _, ok := meta["config"]; !ok {
		return nil, badSafetensors("the metadata has no \"config\"")
	}
	if err := strictJSON(meta["config"], &cfg); err != nil {
		return nil, badSafetensors("config: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, badSafetensors("%v", err)
	}
	if cfg.Prior.Kind == "two-stage" {
		return nil, badSafetensors("the two-stage prior is not carried by safetensors files")
	}
	var source DataSource
	if s, ok := meta["trained_on"]; ok {
		if err := strictJSON(s, &source); err != nil {
			return nil, badSafetensors("trained_on: %v", err)
		}
		if err := source.Validate(); err != nil {
			return nil, badSafetensors("%v", err)
		}
	}
	m, err := declareModel(cfg)
	if err != nil {
		return nil, badSafetensors("%v", err)
	}
	slots, err := tensorSlots(m)
	if err != nil {
		return nil, badSafetensors("%v", err)
	}
	want := map[string]tensorSlot{}
	for _, s := range slots {
		want[s.name] = s
	}
	for _, t := range h.Tensors {
		s, ok := want[t.Name]
		if !ok {
			return nil, badSafetensors("unknown tensor %q for this config", t.Name)
		}
		if t.DType != safetensors.F64 && t.DType != safetensors.F32 {
			return nil, badSafetensors("tensor %q holds %s, want F64 (or F32)", t.Name, t.DType)
		}
		if !slices.Equal(t.Shape, s.shape) {
			return nil, badSafetensors("tensor %q has shape %v, the config needs %v", t.Name, t.Shape, s.shape)
		}
	}
	for _, s := range slots {
		if h.Find(s.name) == nil {
			return nil, badSafetensors("tensor %q missing (the config needs %d tensors, the file has %d)", s.name, len(slots), len(h.Tensors))
		}
	}
	// Names and shapes match, so the buffer is at most 8 bytes per value.
	buf, err := safetensors.ReadData(r, h, 8*int64(m.Params.Len()))
	if err != nil {
		return nil, badSafetensors("%v", err)
	}
	m.Params.Allocate(rand.New(rand.NewPCG(0, 0)))
	for _, t := range h.Slice(buf) {
		xs, err := t.Float64s()
		if err != nil {
			return nil, badSafetensors("%v", err)
		}
		for i, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, badSafetensors("tensor %q value %d is not finite", t.Name, i)
			}
		}
		want[t.Name].write(xs)
	}
	m.TrainedOn = source
	return m, nil
}

// strictJSON decodes s into v, refusing unknown fields and trailing data.
func strictJSON(s string, v any) error {
	if len(s) > maxJSONBytes {
		return fmt.Errorf("%d bytes, at most %d", len(s), maxJSONBytes)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}
