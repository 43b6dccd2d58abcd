package python

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/safetensors"
	"gonum.org/v1/gonum/mat"
)

// python is Debian's interpreter, the one python3-torch installs into: a
// python3 found earlier on PATH (pyenv, a venv) may have no torch.
const python = "/usr/bin/python3"

// requireEnv set to "require" (the Makefile does) makes the test run even
// under -short whenever torch is importable; without torch it skips either
// way, so that `make test` holds on a machine without PyTorch.
const requireEnv = "VAE_PYTORCH_TEST"

// tolerance is the agreement asked of float64 on both sides, relative to
// values above 1.
const tolerance = 1e-9

// roundTripConfigs: every prior the module computes, both likelihoods and
// variances, every activation, posterior flows shared and amortised, and
// Bayesian layers.
func roundTripConfigs() map[string]core.Config {
	base := func(lik string, d int) core.Config {
		c := core.DefaultConfig2D()
		c.DataDim, c.LatentDim = 4, d
		c.EncoderHidden, c.DecoderHidden = []int{8, 6}, []int{7}
		c.Likelihood, c.Variance = lik, ""
		if lik == "gaussian" {
			c.Variance = core.VariancePerDim
		}
		return c
	}
	out := map[string]core.Config{}
	c := base("gaussian", 2)
	out["standard-gaussian-tanh"] = c
	c = base("gaussian", 2)
	c.Variance, c.Activation = core.VarianceScalar, "elu"
	out["scalar-variance-elu"] = c
	c = base("bernoulli", 2)
	c.Activation = "relu"
	out["standard-bernoulli-relu"] = c
	c = base("gaussian", 2)
	c.Prior, c.Activation = core.PriorConfig{Kind: "gaussian"}, "softplus"
	out["gaussian-prior-softplus"] = c
	c = base("bernoulli", 2)
	c.Prior, c.Activation = core.PriorConfig{Kind: "mixture", Components: 3}, "leaky-relu"
	out["mixture-bernoulli-leaky"] = c
	c = base("gaussian", 2)
	c.Prior, c.Activation = core.PriorConfig{Kind: "vamp", Components: 5}, "identity"
	out["vamp-gaussian-identity"] = c
	c = base("bernoulli", 2)
	c.Prior = core.PriorConfig{Kind: "vamp", Components: 4}
	out["vamp-bernoulli"] = c
	c = base("gaussian", 2)
	c.Prior = core.PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 4, FlowInit: core.FlowInitRandom}
	out["flow-planar"] = c
	c = base("gaussian", 3)
	c.Prior = core.PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 3, FlowInit: core.FlowInitRandom}
	out["flow-radial"] = c
	c = base("bernoulli", 3)
	c.Prior = core.PriorConfig{Kind: "flow", FlowKind: "radial", FlowLayers: 2, FlowInit: core.FlowInitRandom, FlowRadialAlpha: core.RadialAlphaAbs}
	out["flow-radial-abs-bernoulli"] = c
	c = base("gaussian", 2)
	c.PosteriorFlow = core.FlowConfig{Kind: "planar", Layers: 3, Init: core.FlowInitRandom}
	out["posterior-planar-shared"] = c
	c = base("gaussian", 3)
	c.Prior = core.PriorConfig{Kind: "mixture", Components: 2}
	c.PosteriorFlow = core.FlowConfig{Kind: "radial", Layers: 2, Amortized: true}
	out["posterior-radial-amortised-mixture"] = c
	c = base("bernoulli", 2)
	c.PosteriorFlow = core.FlowConfig{Kind: "planar", Layers: 2, Amortized: true}
	c.Prior = core.PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 2}
	out["posterior-planar-amortised-flow-prior"] = c
	c = base("bernoulli", 2)
	c.Bayes = core.BayesConfig{Encoder: true, Decoder: true}
	out["bayes-both"] = c
	return out
}

func torchAvailable(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("SKIPPED the PyTorch round trip: %s cannot import torch (Debian: apt-get install python3-torch): %v %s", python, err, lastLine(out))
	}
	if testing.Short() && os.Getenv(requireEnv) != "require" {
		t.Skip("runs PyTorch")
	}
}

// pythonCommand runs Debian's python3 here, writing no __pycache__ into the
// source tree.
func pythonCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(python, args...)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	return cmd
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

type inputs struct{ x, eps, z *mat.Dense }

func randomInputs(cfg core.Config, rng *rand.Rand) inputs {
	n, m := 6, 5
	x := mat.NewDense(n, cfg.DataDim, nil)
	for i := range n {
		for j := range cfg.DataDim {
			if cfg.Likelihood == "bernoulli" {
				x.Set(i, j, rng.Float64())
			} else {
				x.Set(i, j, 1.5*rng.NormFloat64())
			}
		}
	}
	eps := mat.NewDense(n, cfg.LatentDim, nil)
	z := mat.NewDense(m, cfg.LatentDim, nil)
	for _, a := range []*mat.Dense{eps, z} {
		r, c := a.Dims()
		for i := range r {
			for j := range c {
				a.Set(i, j, rng.NormFloat64())
			}
		}
	}
	return inputs{x, eps, z}
}

func tensor(name string, a *mat.Dense) safetensors.Tensor {
	r, c := a.Dims()
	return safetensors.Float64Tensor(name, []int{r, c}, a.RawMatrix().Data)
}

func writeFile(t *testing.T, path string, write func(*bytes.Buffer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goOutputs computes with m what run_job writes for the same inputs.
func goOutputs(m *core.Model, in inputs) map[string][]float64 {
	var mu, lv, dec mat.Dense
	m.Encode(&mu, &lv, in.x)
	m.Decode(&dec, in.z)
	n, _ := in.x.Dims()
	elbo, rec, kl := make([]float64, n), make([]float64, n), make([]float64, n)
	m.ELBOWithNoise(elbo, rec, kl, in.x, in.eps)
	nz, _ := in.z.Dims()
	lp := make([]float64, nz)
	m.PriorLogProb(lp, in.z)
	return map[string][]float64{
		"mu": mu.RawMatrix().Data, "logvar": lv.RawMatrix().Data, "decoded": dec.RawMatrix().Data,
		"elbo": elbo, "recon": rec, "kl": kl, "prior_logp": lp,
	}
}

func readOutputs(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("python wrote no outputs: %v", err)
	}
	defer f.Close()
	ts, _, err := safetensors.Read(f, 1<<20, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, x := range ts {
		v, err := x.Float64s()
		if err != nil {
			t.Fatal(err)
		}
		out[x.Name] = v
	}
	return out
}

// worstSeen is the largest relative disagreement of the run, for the log.
var worstSeen float64

// compare fails on a disagreement beyond the tolerance.
func compare(t *testing.T, what string, goOut, pyOut map[string][]float64) {
	t.Helper()
	keys := make([]string, 0, len(goOut))
	for k := range goOut {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, p := goOut[k], pyOut[k]
		if len(g) != len(p) {
			t.Errorf("%s %s: %d values in Go, %d in PyTorch", what, k, len(g), len(p))
			continue
		}
		worst := 0.0
		for i := range g {
			if e := math.Abs(g[i]-p[i]) / max(1, math.Abs(g[i])); e > worst || math.IsNaN(e) {
				worst = e
			}
		}
		worstSeen = max(worstSeen, worst)
		if !(worst <= tolerance) {
			t.Errorf("%s %s: Go %v, PyTorch %v (relative error %.3g)", what, k, g, p, worst)
		}
	}
}

func TestPyTorchRoundTrip(t *testing.T) {
	torchAvailable(t)
	dir := t.TempDir()
	type job struct {
		Model   string  `json:"model"`
		Inputs  string  `json:"inputs"`
		Outputs string  `json:"outputs"`
		Steps   int     `json:"steps,omitempty"`
		LR      float64 `json:"lr,omitempty"`
		Save    string  `json:"save,omitempty"`
	}
	var jobs []job
	configs := roundTripConfigs()
	names := make([]string, 0, len(configs))
	for name := range configs {
		names = append(names, name)
	}
	sort.Strings(names)
	models := map[string]*core.Model{}
	ins := map[string]inputs{}
	for i, name := range names {
		cfg := configs[name]
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		m, err := core.NewModel(cfg, rng)
		if err != nil {
			t.Fatal(err)
		}
		// A Go-trained model: 40 Adam steps on data of the right kind.
		train := randomInputs(cfg, rng)
		tr, err := core.NewTrainer(m, train.x, 3, core.DefaultHyper(), 1)
		if err != nil {
			t.Fatal(err)
		}
		h := tr.Hyper
		h.LearningRate = 1e-2
		tr.Hyper = h
		for range 40 {
			tr.Step()
		}
		m.TrainedOn = core.DataSource{Name: "moons", Seed: uint64(i)}
		in := randomInputs(cfg, rng)
		base := filepath.Join(dir, name)
		writeFile(t, base+".safetensors", func(b *bytes.Buffer) error { return core.ExportSafetensors(b, m) })
		writeFile(t, base+".in.safetensors", func(b *bytes.Buffer) error {
			return safetensors.Write(b, nil, []safetensors.Tensor{tensor("x", in.x), tensor("eps", in.eps), tensor("z", in.z)})
		})
		models[name], ins[name] = m, in
		jobs = append(jobs,
			job{Model: base + ".safetensors", Inputs: base + ".in.safetensors", Outputs: base + ".out.safetensors"},
			job{Model: base + ".safetensors", Inputs: base + ".in.safetensors", Outputs: base + ".trained.out.safetensors",
				Steps: 5, LR: 0.05, Save: base + ".trained.safetensors"})
	}
	js, _ := json.Marshal(jobs)
	jobsPath := filepath.Join(dir, "jobs.json")
	if err := os.WriteFile(jobsPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := pythonCommand("vae_playground.py", "jobs", jobsPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	t.Logf("PyTorch ran %d jobs in %v", len(jobs), time.Since(start).Round(time.Millisecond))

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			m, in, base := models[name], ins[name], filepath.Join(dir, name)
			before := goOutputs(m, in)
			compare(t, "exported", before, readOutputs(t, base+".out.safetensors"))

			// Trained further in PyTorch, imported back: PyTorch's numbers.
			b, err := os.ReadFile(base + ".trained.safetensors")
			if err != nil {
				t.Fatal(err)
			}
			m2, err := core.ImportSafetensors(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("PyTorch's file does not import: %v", err)
			}
			after := goOutputs(m2, in)
			compare(t, "imported", after, readOutputs(t, base+".trained.out.safetensors"))
			if !reflect.DeepEqual(m2.Config, m.Config) || m2.TrainedOn != m.TrainedOn {
				t.Errorf("config or data source changed: %+v %+v", m2.Config, m2.TrainedOn)
			}
			moved := 0.0
			for i, v := range m2.Params.Values() {
				moved = max(moved, math.Abs(v-m.Params.Values()[i]))
			}
			if moved < 1e-6 {
				t.Errorf("PyTorch's SGD steps moved no parameter (by %g)", moved)
			}
			if sum(after["elbo"]) <= sum(before["elbo"]) {
				t.Errorf("5 SGD steps on −ELBO did not raise it: %v → %v", sum(before["elbo"]), sum(after["elbo"]))
			}
			for _, p := range m.Params.List() {
				if m2.Params.Find(p.Name) == nil {
					t.Fatalf("%s missing after the import", p.Name)
				}
				if strings.HasSuffix(p.Name, ".rho") && !slices.Equal(p.Value.RawMatrix().Data, m2.Params.Find(p.Name).Value.RawMatrix().Data) {
					t.Errorf("%s changed: PyTorch carries it unchanged", p.Name)
				}
			}
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if worstSeen > 0 {
		fmt.Printf("PyTorch round trip: largest relative disagreement %.2g (tolerance %g)\n", worstSeen, tolerance)
	}
	os.Exit(code)
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// TestPyTorchRefusesForeignFiles: the module's loader keeps the format's rules
// too (a duplicate key, a gap) and wants the playground's metadata.
func TestPyTorchRefusesForeignFiles(t *testing.T) {
	torchAvailable(t)
	dir := t.TempDir()
	raw := func(header string, data []byte) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		return append(append(b, header...), data...)
	}
	cases := map[string][]byte{
		"duplicate": raw(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 8)),
		"gap":       raw(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, make([]byte, 16)),
		"no-meta":   raw(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 8)),
		"newline":   raw(`{"__metadata__":{"vae_playground":"1"}}`+"\n", nil),
	}
	var script strings.Builder
	script.WriteString("import sys, vae_playground as vp\nbad = 0\n")
	for name, b := range cases {
		p := filepath.Join(dir, name+".safetensors")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&script, "try:\n    vp.load(%q)\n    print('loaded %s'); bad += 1\nexcept ValueError as e:\n    print('refused %s:', e)\n", p, name, name)
	}
	script.WriteString("sys.exit(bad)\n")
	out, err := pythonCommand("-c", script.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := strings.Count(string(out), "refused"); got != len(cases) {
		t.Errorf("%d of %d refused:\n%s", got, len(cases), out)
	}
}
