package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

// heldOutSeedOffset separates the generated test set's seed from training's.
const heldOutSeedOffset = 1_000_003

func trainCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(out)
	var df dataFlags
	df.register(fs)
	var (
		steps     = fs.Int("steps", 3000, "training steps")
		batch     = fs.Int("batch", 128, "mini-batch size")
		seed      = fs.Uint64("seed", 1, "seed of initialisation and training noise")
		latent    = fs.Int("latent", 2, "latent dimension")
		hidden    = fs.String("hidden", "", "hidden widths, e.g. 64,64 (default: 64,64 for points, 256 for images)")
		act       = fs.String("activation", "", "activation (default: tanh for points, relu for images)")
		prior     = fs.String("prior", "standard", "prior (see 'vae priors')")
		comps     = fs.Int("components", 8, "mixture components / VampPrior pseudo-inputs")
		pflow     = fs.String("prior-flow", "planar", "flow prior layer kind")
		pflowK    = fs.Int("prior-flow-layers", 8, "flow prior layers")
		flow      = fs.String("flow", "none", "posterior flow kind (none, or see 'vae priors')")
		flowK     = fs.Int("flow-layers", 4, "posterior flow layers")
		shared    = fs.Bool("flow-shared", false, "posterior flow with shared parameters instead of an encoder head")
		lr        = fs.Float64("lr", 1e-3, "learning rate")
		beta      = fs.Float64("beta", 1, "KL weight β")
		warmup    = fs.Int("warmup", 0, "KL warm-up steps")
		freeBits  = fs.Float64("free-bits", 0, "free bits per latent dimension (nats)")
		k         = fs.Int("k", 100, "importance samples for the IWAE bound")
		outDir    = fs.String("out", "dist/run", "folder for the checkpoint and the views")
		every     = fs.Int("log-every", 500, "print progress every this many steps")
		saveTrain = fs.Bool("save-trainer", false, "also save the trainer (optimiser and position) to resume later")
		bayes     = fs.String("bayes", "none", "weights with uncertainty: none, encoder, decoder or both")
		bayesS    = fs.Float64("bayes-prior-scale", 0, "std of the Gaussian weight prior (0: default)")
		stageN    = fs.Int("stage-steps", 3000, "two-stage prior: steps fitting the second VAE to the codes")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (options go before it, as -name value)", fs.Arg(0))
	}
	// Everything a late stage needs is checked before training starts, so a
	// bad option cannot throw away a finished run.
	switch {
	case *k < 1 || *k > 100_000:
		return fmt.Errorf("-k %d outside [1, 100000]", *k)
	case *stageN < 0 || *stageN > 10_000_000:
		return fmt.Errorf("-stage-steps %d outside [0, 10000000]", *stageN)
	case *steps < 0 || *steps > 10_000_000:
		return fmt.Errorf("-steps %d outside [0, 10000000]", *steps)
	}
	ds, x, err := df.load(0)
	if err != nil {
		return err
	}
	if df.splitIsTest() {
		fmt.Fprintln(out, "warning: training on the published test split; the held-out figures below are then on training data")
	}
	cfg := core.DefaultConfig2D()
	if ds.Kind == datasets.Image {
		cfg = core.DefaultConfigImage()
	}
	cfg.DataDim = ds.D
	cfg.LatentDim = *latent
	if *hidden != "" {
		h, err := parseInts(*hidden)
		if err != nil {
			return fmt.Errorf("-hidden: %w", err)
		}
		cfg.EncoderHidden, cfg.DecoderHidden = h, h
	}
	if *act != "" {
		cfg.Activation = *act
	}
	cfg.Prior = core.PriorConfig{Kind: *prior, Components: *comps, FlowKind: *pflow, FlowLayers: *pflowK}
	if *flow != "none" {
		cfg.PosteriorFlow = core.FlowConfig{Kind: *flow, Layers: *flowK, Amortized: !*shared}
	}
	switch *bayes {
	case "none":
	case "encoder", "decoder", "both":
		cfg.Bayes = core.BayesConfig{Encoder: *bayes != "decoder", Decoder: *bayes != "encoder", PriorScale: *bayesS}
	default:
		return fmt.Errorf("-bayes %q: want none, encoder, decoder or both", *bayes)
	}
	h := core.DefaultHyper()
	h.LearningRate, h.Beta, h.WarmupSteps, h.FreeBits = *lr, *beta, *warmup, *freeBits
	model, err := core.NewModel(cfg, rand.New(rand.NewPCG(*seed, 0x1417)))
	if err != nil {
		return err
	}
	tr, err := core.NewTrainer(model, x, *batch, h, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s on %s (%d rows), KL: %s\n", model, ds.Name, ds.N, model.KLMode())
	hist := &history{}
	for i := 0; i < *steps; i++ {
		r := tr.Step()
		hist.add(r)
		if r.Skipped {
			fmt.Fprintf(out, "step %d skipped: %s (now %g)\n", r.Step, r.Reason, r.LearningRate)
		}
		if *every > 0 && (r.Step%*every == 0 || i == *steps-1) {
			fmt.Fprintf(out, "step %6d  epoch %4d  loss %9.4f  ELBO %9.4f  recon %9.4f  KL %7.4f\n",
				r.Step, r.Epoch, r.Loss, r.ELBO, r.Recon, r.KL)
		}
	}
	// The trained model is saved before anything else can fail.
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	modelPath := filepath.Join(*outDir, "model.vae")
	if err := writeFile(modelPath, func(w io.Writer) error { return core.SaveModel(w, model) }); err != nil {
		return err
	}
	if *saveTrain {
		if err := writeFile(filepath.Join(*outDir, "trainer.vae"), tr.Save); err != nil {
			return err
		}
	}
	_, test, err := df.load(heldOutSeedOffset)
	if err != nil {
		return fmt.Errorf("held-out data: %w", err)
	}
	if ts, ok := model.Prior.(*core.TwoStagePrior); ok {
		if err := fitSecondStage(out, ts, model, x, test, *stageN, *seed); err != nil {
			return err
		}
		// Saved again: the checkpoint keeps the fitted second stage.
		if err := writeFile(modelPath, func(w io.Writer) error { return core.SaveModel(w, model) }); err != nil {
			return err
		}
	}
	ev := model.Evaluate(test, *k, rand.New(rand.NewPCG(*seed, 0xe7a1)))
	vars, active := model.ActiveUnits(test)
	fmt.Fprintf(out, "held-out: ELBO %.4f  IWAE(k=%d) %.4f nats/example  active units %d/%d %v\n",
		ev.ELBO, ev.K, ev.IWAE, active, len(vars), roundAll(vars))
	if model.IsBayesian() {
		rows, _ := x.Dims()
		we, err := model.EvaluateWeights(test, max(1, *k/10), 8, rows, rand.New(rand.NewPCG(*seed, 0xb4e5)))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "over %d weight draws: ELBO %.4f  IWAE(k=%d) %.4f  weight KL %.1f  bound (ELBO − KL/N) %.4f  mean-weights ELBO %.4f\n",
			we.Samples, we.ELBO, we.K, we.IWAE, we.WeightKL, we.Bound, we.MeanWeightsELBO)
	}

	files, err := writeViews(*outDir, model, ds, x, hist, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s/model.vae and %v\n", *outDir, files)
	return nil
}

func evalCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(out)
	var df dataFlags
	df.register(fs)
	path := fs.String("model", "dist/run/model.vae", "model checkpoint")
	k := fs.Int("k", 100, "importance samples")
	seed := fs.Uint64("seed", 1, "seed of the evaluation noise")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (options go before it, as -name value)", fs.Arg(0))
	}
	if *k < 1 || *k > 100_000 {
		return fmt.Errorf("-k %d outside [1, 100000]", *k)
	}
	f, err := os.Open(*path)
	if err != nil {
		return err
	}
	defer f.Close()
	model, err := core.LoadModel(f)
	if err != nil {
		return err
	}
	_, test, err := df.load(heldOutSeedOffset)
	if err != nil {
		return err
	}
	if _, c := test.Dims(); c != model.Config.DataDim {
		return fmt.Errorf("model expects %d columns, %s has %d", model.Config.DataDim, df.name, c)
	}
	ev := model.Evaluate(test, *k, rand.New(rand.NewPCG(*seed, 0xe7a1)))
	_, active := model.ActiveUnits(test)
	fmt.Fprintf(out, "%s\nheld-out %s: ELBO %.4f  IWAE(k=%d) %.4f nats/example  active units %d\n",
		model, df.name, ev.ELBO, ev.K, ev.IWAE, active)
	return nil
}

// writeFile writes through a temporary file so a failed write leaves no
// half-written checkpoint behind.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// history keeps the loss curves for the chart.
type history struct {
	step, loss, elbo, recon, kl []float64
}

func (h *history) add(r core.StepResult) {
	if r.Skipped {
		return
	}
	h.step = append(h.step, float64(r.Step))
	h.loss = append(h.loss, r.Loss)
	h.elbo = append(h.elbo, r.ELBO)
	h.recon = append(h.recon, r.Recon)
	h.kl = append(h.kl, r.KL)
}

func roundAll(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(int(x*1000+0.5)) / 1000
	}
	return out
}

// fitSecondStage trains the two-stage prior's second VAE on codes of the
// training data drawn from the trained encoder, and reports how much better
// it scores held-out codes than the N(0, I) stage one assumed.
func fitSecondStage(out io.Writer, ts *core.TwoStagePrior, model *core.Model, x, test *mat.Dense, steps int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x25a6e))
	var codes mat.Dense
	core.EncodeCodes(&codes, model, x, rng)
	if err := ts.SetCodes(&codes, core.DefaultStageBatch, seed); err != nil {
		return err
	}
	for range steps {
		if _, err := ts.FitStep(); err != nil {
			return err
		}
	}
	var tc mat.Dense
	core.EncodeCodes(&tc, model, test, rng)
	n, _ := tc.Dims()
	stage, base := make([]float64, n), make([]float64, n)
	ts.ScoreCodes(stage, &tc, 0, rng)
	ts.StandardNormal.LogProb(base, &tc)
	fmt.Fprintf(out, "second stage (%d steps): held-out codes score %.4f nats under it, %.4f under N(0, I)\n",
		steps, mean(stage), mean(base))
	return nil
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
