package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/record"
	"gonum.org/v1/gonum/mat"
)

// heldOutSeedOffset separates the generated test set's seed from training's.
const heldOutSeedOffset = 1_000_003

// testHookStep, when set (by tests), is called after every training step: a
// test cancels the run's context there to stand in for Ctrl-C.
var testHookStep func(step int)

// modelFlags are the train options a resumed run takes from its checkpoint
// instead: giving one with -resume is refused rather than silently ignored.
var modelFlags = []string{"latent", "hidden", "activation", "prior", "components", "prior-flow",
	"prior-flow-layers", "flow", "flow-layers", "flow-shared", "bayes", "bayes-prior-scale", "batch", "seed"}

func trainCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(out)
	var df dataFlags
	df.register(fs)
	var rf recordFlags
	rf.register(fs)
	var (
		steps     = fs.Int("steps", 3000, "training steps (with -resume: further steps)")
		batch     = fs.Int("batch", 128, "mini-batch size (an epoch's last batch holds the rows left over)")
		seed      = fs.Uint64("seed", 1, "seed of initialisation and training noise")
		latent    = fs.Int("latent", 2, "latent dimension")
		hidden    = fs.String("hidden", "", "hidden widths, e.g. 64,64 (default: 64,64 for points, 256 for images)")
		act       = fs.String("activation", "", "activation (default: tanh for points, relu for images)")
		prior     = fs.String("prior", "standard", "prior (see 'vae priors')")
		comps     = fs.Int("components", 8, "mixture components / VampPrior pseudo-inputs (at least 1)")
		pflow     = fs.String("prior-flow", "planar", "flow prior layer kind")
		pflowK    = fs.Int("prior-flow-layers", 8, "flow prior layers")
		flow      = fs.String("flow", "none", "posterior flow kind (none, or see 'vae priors')")
		flowK     = fs.Int("flow-layers", 4, "posterior flow layers")
		shared    = fs.Bool("flow-shared", false, "posterior flow with shared parameters instead of an encoder head")
		lr        = fs.Float64("lr", 1e-3, "learning rate")
		beta      = fs.Float64("beta", 1, "KL weight β")
		warmup    = fs.Int("warmup", 0, "KL warm-up steps")
		freeBits  = fs.Float64("free-bits", 0, "free bits per latent dimension (nats)")
		binarize  = fs.Bool("binarize", true, "image sets: train on batches binarised afresh each draw and score a test split binarised once (Bernoulli likelihood)")
		k         = fs.Int("k", 100, "importance samples for the IWAE bound")
		outDir    = fs.String("out", "dist/run", "folder for the checkpoint and the views")
		every     = fs.Int("log-every", 500, "print progress every this many steps (0: never)")
		saveTrain = fs.Bool("save-trainer", false, "also save the trainer (optimiser, position, random state) as trainer.vae, to continue later with -resume")
		resume    = fs.String("resume", "", "continue training from a trainer file written with -save-trainer (or by Ctrl-C)")
		bayes     = fs.String("bayes", "none", "weights with uncertainty: none, encoder, decoder or both")
		bayesS    = fs.Float64("bayes-prior-scale", 0, "std of the Gaussian weight prior (0: default)")
		stageN    = fs.Int("stage-steps", 3000, "two-stage prior: steps fitting the second VAE to the codes")
		fastBLAS  = fs.Bool("fast-blas", false, "multiply with the build's fastest BLAS (gonum's assembly, OpenBLAS with -tags openblas) instead of the reference order: faster natively, but the run's bits then depend on the machine")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (options go before it, as -name value)", fs.Arg(0))
	}
	if *fastBLAS {
		fastblas.InstallFast()
	} else {
		fastblas.Install()
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	// Everything a late stage needs is checked before training starts, so a
	// bad option cannot throw away a finished run.
	switch {
	case *k < 1 || *k > 100_000:
		return fmt.Errorf("-k %d outside [1, 100000]", *k)
	case *stageN < 0 || *stageN > 10_000_000:
		return fmt.Errorf("-stage-steps %d outside [0, 10000000]", *stageN)
	case *steps < 0 || *steps > 10_000_000:
		return fmt.Errorf("-steps %d outside [0, 10000000]", *steps)
	case *every < 0:
		return fmt.Errorf("-log-every %d is negative (0 turns the lines off)", *every)
	case *comps < 1 || *comps > core.MaxComponents:
		// 0 would silently mean the prior's own default (10 or 50).
		return fmt.Errorf("-components %d outside [1, %d]", *comps, core.MaxComponents)
	case *outDir == "":
		return errors.New("-out is empty")
	}

	var resumed []byte
	if *resume != "" {
		for _, name := range modelFlags {
			if set[name] {
				return fmt.Errorf("-%s cannot change a resumed run: it comes from %s", name, *resume)
			}
		}
		var err error
		if resumed, err = os.ReadFile(*resume); err != nil {
			return fmt.Errorf("-resume: %w", err)
		}
		rec, err := core.PeekDataSource(bytes.NewReader(resumed))
		if err != nil {
			return fmt.Errorf("-resume %s: %w", *resume, err)
		}
		if err := df.fromRecord(rec, set, *resume, out); err != nil {
			return err
		}
	}
	ds, x, err := df.load(0)
	if err != nil {
		return err
	}
	if df.splitIsTest() {
		fmt.Fprintln(out, "warning: training on the published test split; the held-out figures below are then on training data")
	}
	// The held-out data are loaded now: a missing file must not end a run
	// after its training.
	_, test, err := df.load(heldOutSeedOffset)
	if err != nil {
		return fmt.Errorf("held-out data: %w", err)
	}

	var (
		model *core.Model
		tr    *core.Trainer
	)
	if resumed != nil {
		if tr, err = core.LoadTrainer(bytes.NewReader(resumed), x); err != nil {
			return fmt.Errorf("-resume %s: %w", *resume, err)
		}
		model = tr.Model
		// Only the options given change the checkpoint's hyperparameters.
		for name, apply := range map[string]func(){
			"lr": func() { tr.Hyper.LearningRate = *lr }, "beta": func() { tr.Hyper.Beta = *beta },
			"warmup": func() { tr.Hyper.WarmupSteps = *warmup }, "free-bits": func() { tr.Hyper.FreeBits = *freeBits },
			"binarize": func() { tr.Hyper.Binarize = *binarize && model.Config.Likelihood == "bernoulli" },
		} {
			if set[name] {
				apply()
			}
		}
		if err := tr.Hyper.Validate(); err != nil {
			return err
		}
	} else {
		if model, err = newModel(ds, *latent, *hidden, *act, *prior, *comps, *pflow, *pflowK, *flow, *flowK, *shared, *bayes, *bayesS, *seed); err != nil {
			return err
		}
		h := core.DefaultHyper()
		h.LearningRate, h.Beta, h.WarmupSteps, h.FreeBits = *lr, *beta, *warmup, *freeBits
		h.Binarize = *binarize && ds.Kind == datasets.Image && model.Config.Likelihood == "bernoulli"
		if tr, err = core.NewTrainer(model, x, *batch, h, *seed); err != nil {
			return err
		}
	}
	if set["binarize"] && *binarize && ds.Kind != datasets.Image {
		return fmt.Errorf("-binarize: %s holds points, not images", ds.Name)
	}
	binarized := tr.Hyper.Binarize
	if binarized {
		if test, err = core.BinarizeTestSplit(test); err != nil {
			return fmt.Errorf("held-out data: %w", err)
		}
	}
	model.TrainedOn = df.record(binarized)
	if err := checkOutDir(*outDir); err != nil {
		return err
	}
	if err := rf.check(model.Config.LatentDim, *steps); err != nil {
		return err
	}
	var rec *latentRecorder
	if rf.gif != "" {
		// Made now: a path that cannot be written fails before training.
		if rec, err = newLatentRecorder(&rf, model, ds, x); err != nil {
			return err
		}
		if err := rec.step(tr.Steps(), true); err != nil {
			rec.finish(tr.Steps())
			return err
		}
	}

	start := tr.Steps()
	fmt.Fprintf(out, "%s on %s (%d rows), KL: %s", model, ds.Name, ds.N, model.KLMode())
	if binarized {
		fmt.Fprint(out, ", batches binarised afresh each draw")
	}
	if resumed != nil {
		fmt.Fprintf(out, ", resumed at step %d", start)
	}
	fmt.Fprintln(out)
	hist := &history{}
	var stepLog record.StepLog
	bar := newProgress(out, "training", "steps", *steps)
	interrupted := false
	for i := 0; i < *steps; i++ {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		r := tr.Step()
		hist.add(r)
		stepLog.Add(&r)
		if rec != nil {
			if err := rec.step(r.Step, false); err != nil {
				rec.finish(r.Step)
				return err
			}
		}
		if r.Skipped {
			bar.printf("step %d skipped: %s (now %g)\n", r.Step, r.Reason, r.LearningRate)
		}
		if *every > 0 && ((r.Step-start)%*every == 0 || i == *steps-1) {
			bar.printf("step %6d  epoch %4d  loss %9.4f  ELBO %9.4f  recon %9.4f  KL %7.4f  %s\n",
				r.Step, r.Epoch, r.Loss, r.ELBO, r.Recon, r.KL, bar.eta(i+1))
		}
		bar.update(i+1, fmt.Sprintf("loss %.4g", r.Loss))
		if testHookStep != nil {
			testHookStep(r.Step)
		}
	}
	bar.finish()

	// The trained model is saved before anything else can fail.
	modelPath := filepath.Join(*outDir, "model.vae")
	trainerPath := filepath.Join(*outDir, "trainer.vae")
	if err := writeFile(modelPath, func(w io.Writer) error { return core.SaveModel(w, model) }); err != nil {
		return err
	}
	// A resumed or interrupted run saves its trainer too: it is what the
	// next -resume continues from.
	if *saveTrain || resumed != nil || interrupted {
		if err := writeFile(trainerPath, tr.Save); err != nil {
			return err
		}
	}
	// The recordings cover the steps taken, interrupted or not.
	if rec != nil {
		st, err := rec.finish(tr.Steps())
		if err != nil {
			return fmt.Errorf("-gif: %w", err)
		}
		fmt.Fprintf(out, "wrote %s: %d frames, %d KB\n", rf.gif, st.Encoded, (st.Bytes+512)/1024)
	}
	if rf.csv != "" {
		if err := writeCSVFile(rf.csv, func(w io.Writer) error { return record.WriteSteps(w, stepLog.Steps()) }); err != nil {
			return fmt.Errorf("-csv: %w", err)
		}
	}
	if rf.codesCSV != "" {
		if err := writeCodesCSV(rf.codesCSV, model, ds, x); err != nil {
			return fmt.Errorf("-codes-csv: %w", err)
		}
	}
	if interrupted {
		// No views are drawn now; those of an earlier run would belong to
		// another model than the model.vae beside them.
		if err := removeStaleViews(*outDir, nil); err != nil {
			return err
		}
		fmt.Fprintf(out, "interrupted at step %d: saved %s and %s; continue with\n  vae train -resume %s -steps %d -out %s\n",
			tr.Steps(), modelPath, trainerPath, trainerPath, *steps-(tr.Steps()-start), *outDir)
		return errInterrupted
	}
	if ts, ok := model.Prior.(*core.TwoStagePrior); ok {
		if err := fitSecondStage(ctx, out, ts, model, x, test, *stageN, *seed); err != nil {
			return err
		}
		// Saved again: the checkpoint keeps the fitted second stage.
		if err := writeFile(modelPath, func(w io.Writer) error { return core.SaveModel(w, model) }); err != nil {
			return err
		}
	}
	ev, err := evaluate(ctx, out, model, test, *k, rand.New(rand.NewPCG(*seed, 0xe7a1)))
	if err != nil {
		return err
	}
	vars, active := model.ActiveUnits(test)
	fmt.Fprintf(out, "held-out%s: ELBO %.4f  IWAE(k=%d) %.4f nats/example  active units %d/%d %v\n",
		binarizedNote(binarized), ev.ELBO, ev.K, ev.IWAE, active, len(vars), roundAll(vars))
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
	if err := removeStaleViews(*outDir, files); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s and %v\n", modelPath, files)
	return nil
}

// newModel builds the model the train options describe.
func newModel(ds *datasets.Dataset, latent int, hidden, act, prior string, comps int, pflow string, pflowK int,
	flow string, flowK int, shared bool, bayes string, bayesS float64, seed uint64) (*core.Model, error) {
	cfg := core.DefaultConfig2D()
	if ds.Kind == datasets.Image {
		cfg = core.DefaultConfigImage()
	}
	cfg.DataDim = ds.D
	cfg.LatentDim = latent
	if hidden != "" {
		h, err := parseInts(hidden)
		if err != nil {
			return nil, fmt.Errorf("-hidden: %w", err)
		}
		cfg.EncoderHidden, cfg.DecoderHidden = h, h
	}
	if act != "" {
		cfg.Activation = act
	}
	cfg.Prior = core.PriorConfig{Kind: prior, Components: comps, FlowKind: pflow, FlowLayers: pflowK}
	if flow != "none" {
		cfg.PosteriorFlow = core.FlowConfig{Kind: flow, Layers: flowK, Amortized: !shared}
	}
	switch bayes {
	case "none":
	case "encoder", "decoder", "both":
		cfg.Bayes = core.BayesConfig{Encoder: bayes != "decoder", Decoder: bayes != "encoder", PriorScale: bayesS}
	default:
		return nil, fmt.Errorf("-bayes %q: want none, encoder, decoder or both", bayes)
	}
	return core.NewModel(cfg, rand.New(rand.NewPCG(seed, 0x1417)))
}

// checkOutDir makes the output folder and proves it writable before any
// training, so a typo in -out cannot cost a finished run.
func checkOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("-out %s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// viewFiles are every view the train command may draw. A run removes those
// it did not draw this time, so a folder never mixes views of two models.
var viewFiles = []string{"loss.png", "latent.png", "uncertainty.png", "samples.png", "images.png", "manifold.png"}

func removeStaleViews(dir string, drawn []string) error {
	for _, name := range viewFiles {
		if slices.Contains(drawn, name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func binarizedNote(binarized bool) string {
	if binarized {
		return fmt.Sprintf(" (test split binarised once, seed %#x)", core.TestBinarizeSeed)
	}
	return ""
}

// evalChunks is how many pieces evaluation is cut into for its progress bar.
const evalChunks = 50

// evaluate is Model.Evaluate over the rows in chunks, reporting progress and
// stopping on Ctrl-C. The bounds are means over rows, so the chunks'
// per-row values are simply gathered.
func evaluate(ctx context.Context, out io.Writer, m *core.Model, x *mat.Dense, k int, rng *rand.Rand) (core.Evaluation, error) {
	n, d := x.Dims()
	ev := core.Evaluation{K: k}
	bar := newProgress(out, "evaluating", "rows", n)
	defer bar.finish()
	chunk := max(1, (n+evalChunks-1)/evalChunks)
	for lo := 0; lo < n; lo += chunk {
		if ctx.Err() != nil {
			return ev, fmt.Errorf("evaluation: %w (the model is saved)", errInterrupted)
		}
		hi := min(n, lo+chunk)
		part := m.Evaluate(x.Slice(lo, hi, 0, d).(*mat.Dense), k, rng)
		ev.RowELBO = append(ev.RowELBO, part.RowELBO...)
		ev.RowIWAE = append(ev.RowIWAE, part.RowIWAE...)
		bar.update(hi, "")
	}
	ev.ELBO, ev.IWAE = mean(ev.RowELBO), mean(ev.RowIWAE)
	return ev, nil
}

func evalCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(out)
	var df dataFlags
	df.register(fs)
	// eval's data default to what the checkpoint records (see fromRecord).
	fs.Lookup("data").Usage = "dataset name (default: the one the checkpoint records)"
	fs.Lookup("data").DefValue = ""
	path := fs.String("model", "dist/run/model.vae", "model checkpoint, or a safetensors file (vae export, python/vae_playground.py)")
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	model, err := openModel(*path)
	if err != nil {
		return err
	}
	if err := df.fromRecord(model.TrainedOn, set, *path, out); err != nil {
		return err
	}
	_, test, err := df.load(heldOutSeedOffset)
	if err != nil {
		return err
	}
	if _, c := test.Dims(); c != model.Config.DataDim {
		return fmt.Errorf("model expects %d columns, %s has %d", model.Config.DataDim, df.name, c)
	}
	binarized := model.TrainedOn.Binarized
	if binarized {
		if test, err = core.BinarizeTestSplit(test); err != nil {
			return fmt.Errorf("held-out data: %w", err)
		}
	}
	ev, err := evaluate(ctx, out, model, test, *k, rand.New(rand.NewPCG(*seed, 0xe7a1)))
	if err != nil {
		return err
	}
	_, active := model.ActiveUnits(test)
	fmt.Fprintf(out, "%s\nheld-out %s%s: ELBO %.4f  IWAE(k=%d) %.4f nats/example  active units %d\n",
		model, describeSource(df.record(false)), binarizedNote(binarized), ev.ELBO, ev.K, ev.IWAE, active)
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
func fitSecondStage(ctx context.Context, out io.Writer, ts *core.TwoStagePrior, model *core.Model, x, test *mat.Dense, steps int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x25a6e))
	var codes mat.Dense
	core.EncodeCodes(&codes, model, x, rng)
	if err := ts.SetCodes(&codes, core.DefaultStageBatch, seed); err != nil {
		return err
	}
	bar := newProgress(out, "second stage", "steps", steps)
	for i := range steps {
		if ctx.Err() != nil {
			bar.finish()
			return fmt.Errorf("second stage: %w (the first stage is saved)", errInterrupted)
		}
		if _, err := ts.FitStep(); err != nil {
			bar.finish()
			return err
		}
		bar.update(i+1, "")
	}
	bar.finish()
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
