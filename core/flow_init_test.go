package core

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestFlowInitChoice: the identity initialisation leaves points almost in
// place, the random one moves them visibly; both for the posterior flow
// and the flow prior, both kinds.
func TestFlowInitChoice(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	z := randDense(rng, 200, 2, 1.5)
	for _, kind := range flowKindsUnderTest {
		moved := map[string]float64{}
		for _, init := range append(FlowInits(), "") {
			var ps Params
			fs, err := NewFlowStack(&ps, FlowConfig{Kind: kind, Layers: 4, Init: init}, 2)
			if err != nil {
				t.Fatal(err)
			}
			ps.Allocate(rand.New(rand.NewPCG(1, 2)))
			out := mat.NewDense(200, 2, nil)
			fs.Forward(out, make([]float64, 200), z, nil)
			var diff mat.Dense
			diff.Sub(out, z)
			moved[init] = mat.Norm(&diff, 2) / math.Sqrt(200)

			var pp Params
			if _, err := NewFlowPriorFromConfig(&pp, FlowConfig{Kind: kind, Layers: 4, Init: init}, 2); err != nil {
				t.Fatal(err)
			}
		}
		if moved[""] != moved[FlowInitIdentity] {
			t.Errorf("%s: the default is not the identity initialisation", kind)
		}
		if moved[FlowInitIdentity] > 0.03 || moved[FlowInitRandom] < 0.05 {
			t.Errorf("%s: identity init moves points by %.3g, random by %.3g", kind, moved[FlowInitIdentity], moved[FlowInitRandom])
		}
	}
	// Planar's random draw is Pyro's U(−1/√d, 1/√d).
	var ps Params
	NewFlowStack(&ps, FlowConfig{Kind: "planar", Layers: 8, Init: FlowInitRandom}, 2)
	ps.Allocate(rng)
	for _, v := range ps.Values() {
		if math.Abs(v) > 1/math.Sqrt2 {
			t.Fatalf("planar: random init value %v outside ±1/√2", v)
		}
	}
	// Radial's is normflows' start: α = |a|, a ~ U(−½, ½), β′ ~ U(−3/2, −½),
	// the same map under both parameterisations.
	for _, alpha := range RadialAlphas() {
		var ps Params
		fs, _ := NewFlowStack(&ps, FlowConfig{Kind: "radial", Layers: 50, Init: FlowInitRandom, RadialAlpha: alpha}, 2)
		ps.Allocate(rand.New(rand.NewPCG(5, 5)))
		r := fs.Layers[0].(*Radial)
		for k := range 50 {
			th := ps.Values()[4*k : 4*k+4]
			_, a, _ := r.Params(th)
			if a < 0 || a > 0.5 || th[3] < -1.5 || th[3] > -0.5 {
				t.Fatalf("radial %s: layer %d starts with α %v, β′ %v", alpha, k, a, th[3])
			}
		}
	}
}

// TestRadialAlphaChoice: α = |α′| is chosen by the config, validated,
// saved, and its near-identity start is the same map as softplus's.
func TestRadialAlphaChoice(t *testing.T) {
	z := randDense(rand.New(rand.NewPCG(43, 44)), 100, 2, 1.5)
	outs := map[string]*mat.Dense{}
	for _, alpha := range []string{"", RadialAlphaSoftplus, RadialAlphaAbs} {
		var ps Params
		fs, err := NewFlowStack(&ps, FlowConfig{Kind: "radial", Layers: 3, RadialAlpha: alpha}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r := fs.Layers[0].(*Radial); r.absAlpha != (alpha == RadialAlphaAbs) {
			t.Errorf("%q: layer uses |α′| = %v", alpha, r.absAlpha)
		}
		ps.Allocate(rand.New(rand.NewPCG(1, 2)))
		outs[alpha] = mat.NewDense(100, 2, nil)
		fs.Forward(outs[alpha], make([]float64, 100), z, nil)
	}
	if !mat.EqualApprox(outs[RadialAlphaAbs], outs[RadialAlphaSoftplus], 1e-12) || !mat.Equal(outs[""], outs[RadialAlphaSoftplus]) {
		t.Error("near-identity starts differ between the parameterisations")
	}
	var ps Params
	if _, err := NewFlowStack(&ps, FlowConfig{Kind: "radial", Layers: 1, RadialAlpha: "exp"}, 2); err == nil {
		t.Error("NewFlowStack accepted α parameterisation \"exp\"")
	}
	if _, err := NewFlowPriorFromConfig(&ps, FlowConfig{Kind: "radial", Layers: 1, RadialAlpha: "exp"}, 2); err == nil {
		t.Error("NewFlowPriorFromConfig accepted α parameterisation \"exp\"")
	}
	c := DefaultConfig2D()
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 2, FlowRadialAlpha: "exp"}
	if err := c.Validate(); err == nil {
		t.Error("Validate accepted prior α parameterisation \"exp\"")
	}
	c.Prior.FlowRadialAlpha = RadialAlphaAbs
	c.PosteriorFlow = FlowConfig{Kind: "radial", Layers: 2, RadialAlpha: RadialAlphaAbs}
	m, err := NewModel(c, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Prior.(*FlowPrior).Layers[0].(*Radial).absAlpha {
		t.Error("the flow prior ignores FlowRadialAlpha")
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Config.Prior.FlowRadialAlpha != RadialAlphaAbs || !m2.Flow.(*FlowStack).Layers[0].(*Radial).absAlpha {
		t.Error("a loaded model lost its α parameterisation")
	}
}

// TestFlowInitValidated: an unknown initialisation is refused by the config
// check (URL, file) and by the constructors.
func TestFlowInitValidated(t *testing.T) {
	c := DefaultConfig2D()
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 2, FlowInit: "orthogonal"}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "orthogonal") {
		t.Errorf("prior flow init: %v", err)
	}
	c = DefaultConfig2D()
	c.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2, Init: "Random"}
	if err := c.Validate(); err == nil {
		t.Error("posterior flow init \"Random\" accepted")
	}
	var ps Params
	if _, err := NewFlowStack(&ps, FlowConfig{Kind: "planar", Layers: 2, Init: "x"}, 2); err == nil {
		t.Error("NewFlowStack accepted init \"x\"")
	}
	if _, err := NewFlowPriorFromConfig(&ps, FlowConfig{Kind: "planar", Layers: 2, Init: "x"}, 2); err == nil {
		t.Error("NewFlowPriorFromConfig accepted init \"x\"")
	}
}

// TestFlowInitCheckpoint: the choice is saved with the model and read back;
// a config with the defaults writes no init or α key, so checkpoints from
// before the choices existed (which have none) read as the identity
// initialisation and α = softplus(α′), which is what they were trained with.
func TestFlowInitCheckpoint(t *testing.T) {
	c := DefaultConfig2D()
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 3, FlowInit: FlowInitRandom}
	c.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2, Init: FlowInitRandom}
	m, err := NewModel(c, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Config.Prior.FlowInit != FlowInitRandom || m2.Config.PosteriorFlow.Init != FlowInitRandom {
		t.Errorf("loaded config %+v / %+v", m2.Config.Prior, m2.Config.PosteriorFlow)
	}
	for i, v := range m.Params.Values() {
		if m2.Params.Values()[i] != v {
			t.Fatal("loaded parameters differ")
		}
	}
	old := DefaultConfig2D()
	old.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 3}
	old.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2}
	b, _ := json.Marshal(old)
	if strings.Contains(string(b), "init") || strings.Contains(string(b), "alpha") {
		t.Errorf("default init written into the config: %s", b)
	}
}
