package core

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/safetensors"
	"gonum.org/v1/gonum/mat"
)

// exportConfigs covers every prior and flow the export carries, both
// likelihoods and Bayesian layers, small enough to be quick.
func exportConfigs() map[string]Config {
	base := func(lik string) Config {
		c := DefaultConfig2D()
		c.DataDim, c.LatentDim = 3, 2
		c.EncoderHidden, c.DecoderHidden = []int{5, 4}, []int{6}
		c.Likelihood = lik
		if lik == "bernoulli" {
			c.Variance = ""
		}
		return c
	}
	out := map[string]Config{}
	add := func(name string, c Config) { out[name] = c }
	add("standard-gaussian", base("gaussian"))
	c := base("gaussian")
	c.Variance, c.Activation = VarianceScalar, "elu"
	add("scalar-variance-elu", c)
	c = base("bernoulli")
	c.Activation = "relu"
	add("standard-bernoulli", c)
	c = base("gaussian")
	c.Prior = PriorConfig{Kind: "gaussian"}
	c.Activation = "softplus"
	add("gaussian-prior", c)
	c = base("bernoulli")
	c.Prior = PriorConfig{Kind: "mixture", Components: 3}
	c.Activation = "leaky-relu"
	add("mixture-bernoulli", c)
	c = base("gaussian")
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 3, FlowInit: FlowInitRandom}
	add("flow-planar", c)
	c = base("gaussian")
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 2, FlowInit: FlowInitRandom}
	add("flow-radial", c)
	c = base("bernoulli")
	c.Prior = PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 2, FlowInit: FlowInitRandom, FlowRadialAlpha: RadialAlphaAbs}
	add("flow-radial-abs", c)
	c = base("bernoulli")
	c.Prior = PriorConfig{Kind: "vamp", Components: 4}
	add("vamp-bernoulli", c)
	c = base("gaussian")
	c.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2, Init: FlowInitRandom}
	add("posterior-planar-shared", c)
	c = base("gaussian")
	c.PosteriorFlow = FlowConfig{Kind: "radial", Layers: 2, Amortized: true}
	c.Prior = PriorConfig{Kind: "mixture", Components: 2}
	add("posterior-radial-amortised", c)
	c = base("bernoulli")
	c.Bayes = BayesConfig{Encoder: true, Decoder: true}
	add("bayes", c)
	return out
}

func TestSafetensorsRoundTrip(t *testing.T) {
	x := mat.NewDense(4, 3, []float64{0.1, 0.9, 0.3, 1, 0, 0.5, 0.2, 0.2, 0.7, 0.6, 0.4, 0})
	for name, cfg := range exportConfigs() {
		t.Run(name, func(t *testing.T) {
			m, err := NewModel(cfg, rand.New(rand.NewPCG(5, 6)))
			if err != nil {
				t.Fatal(err)
			}
			m.TrainedOn = DataSource{Name: "moons", Params: "n=100", Seed: 3}
			var buf bytes.Buffer
			if err := ExportSafetensors(&buf, m); err != nil {
				t.Fatal(err)
			}
			m2, err := ImportSafetensors(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m2.Config, m.Config) || m2.TrainedOn != m.TrainedOn {
				t.Errorf("config %+v / %+v, want %+v / %+v", m2.Config, m2.TrainedOn, m.Config, m.TrainedOn)
			}
			if !slices.Equal(m2.Params.Values(), m.Params.Values()) {
				t.Fatal("parameters changed on the way")
			}
			eps := mat.NewDense(4, 2, []float64{0.3, -1, 2, 0.1, -0.5, 0.5, 1.2, -2})
			a, b := make([]float64, 4), make([]float64, 4)
			m.ELBOWithNoise(a, nil, nil, x, eps)
			m2.ELBOWithNoise(b, nil, nil, x, eps)
			if !slices.Equal(a, b) {
				t.Errorf("ELBO %v after the round trip, %v before", b, a)
			}
		})
	}
}

// TestSafetensorsNames pins the documented names and shapes: other programs
// (python/vae_playground.py among them) look tensors up by them.
func TestSafetensorsNames(t *testing.T) {
	cfg := exportConfigs()["flow-planar"]
	cfg.PosteriorFlow = FlowConfig{Kind: "radial", Layers: 1}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportSafetensors(&buf, m); err != nil {
		t.Fatal(err)
	}
	h, err := safetensors.ReadHeader(bytes.NewReader(buf.Bytes()), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ti := range h.Tensors {
		got = append(got, ti.Name+" "+string(ti.DType)+formatShape(ti.Shape))
	}
	want := []string{
		"encoder.layers.0.weight F64[5,3]", "encoder.layers.0.bias F64[5]",
		"encoder.layers.1.weight F64[4,5]", "encoder.layers.1.bias F64[4]",
		"encoder.layers.2.weight F64[4,4]", "encoder.layers.2.bias F64[4]",
		"decoder.layers.0.weight F64[6,2]", "decoder.layers.0.bias F64[6]",
		"decoder.layers.1.weight F64[3,6]", "decoder.layers.1.bias F64[3]",
		"likelihood.logvar F64[3]",
		"prior.layers.0.u F64[2]", "prior.layers.0.w F64[2]", "prior.layers.0.b F64[1]",
		"prior.layers.1.u F64[2]", "prior.layers.1.w F64[2]", "prior.layers.1.b F64[1]",
		"prior.layers.2.u F64[2]", "prior.layers.2.w F64[2]", "prior.layers.2.b F64[1]",
		"posterior_flow.layers.0.z0 F64[2]", "posterior_flow.layers.0.alpha_raw F64[1]", "posterior_flow.layers.0.beta_raw F64[1]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tensors\n%q\nwant\n%q", got, want)
	}
	meta := h.Metadata
	if meta["format"] != "pt" || meta["vae_playground"] != SafetensorsVersion || !strings.Contains(meta["config"], `"flow_kind":"planar"`) {
		t.Errorf("metadata %v", meta)
	}
	// The weight is core's W transposed; the planar u is θ's first d values.
	enc0 := m.Enc.Net.Layers[0].(*Linear).W.Value
	ti := h.Find("encoder.layers.0.weight")
	body := buf.Bytes()[8+binary.LittleEndian.Uint64(buf.Bytes()):]
	wt := body[ti.Begin:ti.End]
	at := func(b []byte, i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])) }
	if at(wt, 1*3+2) != enc0.At(2, 1) {
		t.Errorf("weight[1][2] = %v, W[2][1] = %v", at(wt, 5), enc0.At(2, 1))
	}
	theta := m.Prior.(*FlowPrior).LayerTheta(1)
	ui := h.Find("prior.layers.1.b")
	if at(body[ui.Begin:ui.End], 0) != theta[4] {
		t.Errorf("prior.layers.1.b = %v, θ₁[4] = %v", at(body[ui.Begin:ui.End], 0), theta[4])
	}
}

func formatShape(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestELBOWithNoiseMatchesTheStep(t *testing.T) {
	// The same noise as Gradient draws gives the batch ELBO it reports, in
	// both KL modes.
	x := twoBlobs(16, rand.New(rand.NewPCG(1, 1)))
	for _, cfg := range []Config{DefaultConfig2D(), exportConfigs()["mixture-bernoulli"]} {
		cfg.DataDim = 2
		if cfg.Likelihood == "bernoulli" {
			cfg.Likelihood, cfg.Variance = "gaussian", VariancePerDim
		}
		m, err := NewModel(cfg, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		st := m.Gradient(x, Objective{Beta: 1}, rand.New(rand.NewPCG(9, 9)))
		rng := rand.New(rand.NewPCG(9, 9))
		eps := mat.NewDense(16, 2, nil)
		for i := range 16 {
			for j := range 2 {
				eps.Set(i, j, rng.NormFloat64())
			}
		}
		elbo, rec, kl := make([]float64, 16), make([]float64, 16), make([]float64, 16)
		m.ELBOWithNoise(elbo, rec, kl, x, eps)
		mean := 0.0
		for i := range elbo {
			mean += elbo[i] / 16
			if math.Abs(elbo[i]-(rec[i]-kl[i])) > 1e-12 {
				t.Errorf("row %d: ELBO %v ≠ %v − %v", i, elbo[i], rec[i], kl[i])
			}
		}
		if math.Abs(mean-st.ELBO) > 1e-12*math.Abs(st.ELBO) {
			t.Errorf("%s: ELBO %v with the step's noise, the step said %v", m.KLMode(), mean, st.ELBO)
		}
	}
}

func TestSafetensorsExportRefusesTwoStage(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.Prior = PriorConfig{Kind: "two-stage"}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportSafetensors(&buf, m); err == nil || !strings.Contains(err.Error(), "two-stage") {
		t.Fatalf("two-stage exported: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written by a refused export", buf.Len())
	}
}

// rewrite exports m, lets edit change the tensors and metadata, and writes
// them again.
func rewrite(t *testing.T, m *Model, edit func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ExportSafetensors(&buf, m); err != nil {
		t.Fatal(err)
	}
	ts, meta, err := safetensors.Read(bytes.NewReader(buf.Bytes()), 1<<20, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	ts = edit(ts, meta)
	var out bytes.Buffer
	if err := safetensors.Write(&out, meta, ts); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestSafetensorsImportRefusesBadFiles(t *testing.T) {
	m, err := NewModel(exportConfigs()["mixture-bernoulli"], rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	find := func(ts []safetensors.Tensor, name string) int {
		return slices.IndexFunc(ts, func(x safetensors.Tensor) bool { return x.Name == name })
	}
	cases := []struct {
		name string
		edit func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor
		want string
	}{
		{"no version", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			delete(meta, "vae_playground")
			return ts
		}, "not a VAE playground model"},
		{"other version", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["vae_playground"] = "2"
			return ts
		}, "version"},
		{"no config", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			delete(meta, "config")
			return ts
		}, "no \"config\""},
		{"config not JSON", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["config"] = "{"
			return ts
		}, "config"},
		{"unknown config field", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["config"] = strings.Replace(meta["config"], "{", `{"colour":1,`, 1)
			return ts
		}, "colour"},
		{"invalid config", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["config"] = strings.Replace(meta["config"], `"latent_dim":2`, `"latent_dim":1000`, 1)
			return ts
		}, "latent dimension"},
		{"too many parameters", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["config"] = strings.Replace(meta["config"], `"encoder_hidden":[5,4]`, `"encoder_hidden":[4096,4096,4096]`, 1)
			return ts
		}, "parameters, at most"},
		{"two-stage", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["config"] = strings.Replace(meta["config"], `"kind":"mixture"`, `"kind":"two-stage"`, 1)
			return ts
		}, "two-stage"},
		{"bad data source", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			meta["trained_on"] = `{"name":"a\u0000b"}`
			return ts
		}, "control"},
		{"missing tensor", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			return slices.Delete(ts, 3, 4)
		}, "missing"},
		{"unknown tensor", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			return append(ts, safetensors.Float64Tensor("prior.extra", []int{1}, []float64{1}))
		}, "unknown tensor \"prior.extra\""},
		{"renamed tensor", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			ts[0].Name = "encoder.layer.0.weight"
			return ts
		}, "unknown tensor"},
		{"transposed weight", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			i := find(ts, "encoder.layers.0.weight")
			ts[i].Shape = []int{ts[i].Shape[1], ts[i].Shape[0]}
			return ts
		}, "shape [3 5]"},
		{"flattened", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			i := find(ts, "prior.means")
			ts[i].Shape = []int{6}
			return ts
		}, "shape [6]"},
		{"integer dtype", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			i := find(ts, "prior.logits")
			ts[i].DType = safetensors.I64
			return ts
		}, "holds I64"},
		{"not finite", func(ts []safetensors.Tensor, meta map[string]string) []safetensors.Tensor {
			i := find(ts, "decoder.layers.1.bias")
			binary.LittleEndian.PutUint64(ts[i].Data[8:], math.Float64bits(math.NaN()))
			return ts
		}, "not finite"},
	}
	for _, c := range cases {
		b := rewrite(t, m, c.edit)
		got, err := ImportSafetensors(bytes.NewReader(b))
		if got != nil || !errors.Is(err, ErrSafetensors) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (model %v), want an ErrSafetensors with %q", c.name, err, got != nil, c.want)
		}
	}
	good := rewrite(t, m, func(ts []safetensors.Tensor, _ map[string]string) []safetensors.Tensor { return ts })
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated", good[:len(good)-3], "truncated"},
		{"trailing bytes", append(slices.Clone(good), 0), "after the last tensor"},
		{"huge header length", append(binary.LittleEndian.AppendUint64(nil, 1<<40), good[8:]...), "at most"},
		{"a checkpoint", checkpointBytes(t, m), "header"},
	} {
		got, err := ImportSafetensors(bytes.NewReader(c.b))
		if got != nil || !errors.Is(err, ErrSafetensors) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an ErrSafetensors with %q", c.name, err, c.want)
		}
	}
}

func checkpointBytes(t *testing.T, m *Model) []byte {
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSafetensorsImportWidensF32(t *testing.T) {
	m, err := NewModel(exportConfigs()["gaussian-prior"], rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	b := rewrite(t, m, func(ts []safetensors.Tensor, _ map[string]string) []safetensors.Tensor {
		for i, x := range ts {
			vals, _ := x.Float64s()
			out := make([]byte, 0, 4*len(vals))
			for _, v := range vals {
				out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(v)))
			}
			ts[i] = safetensors.Tensor{Name: x.Name, DType: safetensors.F32, Shape: x.Shape, Data: out}
		}
		return ts
	})
	m2, err := ImportSafetensors(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m.Params.Values() {
		if got := m2.Params.Values()[i]; got != float64(float32(v)) {
			t.Fatalf("value %d: %v, want %v", i, got, float64(float32(v)))
		}
	}
}

// FuzzImportSafetensors: any input gives a usable model or an error, never a
// panic; a model read exports again to a file that reads back the same.
func FuzzImportSafetensors(f *testing.F) {
	for _, name := range []string{"standard-gaussian", "mixture-bernoulli", "flow-radial", "posterior-planar-shared"} {
		cfg := exportConfigs()[name]
		cfg.EncoderHidden, cfg.DecoderHidden = []int{2}, nil
		m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ExportSafetensors(&buf, m); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ImportSafetensors(bytes.NewReader(b))
		if err != nil {
			if m != nil || !errors.Is(err, ErrSafetensors) {
				t.Fatalf("error %v with a model or outside ErrSafetensors", err)
			}
			return
		}
		z := mat.NewDense(2, m.Config.LatentDim, nil)
		var out mat.Dense
		m.Decode(&out, z)
		var again bytes.Buffer
		if err := ExportSafetensors(&again, m); err != nil {
			t.Fatal(err)
		}
		m2, err := ImportSafetensors(&again)
		if err != nil || !slices.Equal(m2.Params.Values(), m.Params.Values()) {
			t.Fatalf("re-export does not read back: %v", err)
		}
	})
}
