package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/i18n"
	"gonum.org/v1/gonum/mat"
)

// errInterrupted ends a run stopped by Ctrl-C (after its checkpoint is saved).
var errInterrupted = errors.New("interrupted")

func main() {
	// The reproducible product (same bits as the browser and other
	// machines); train -fast-blas switches to the fastest.
	fastblas.Install()
	// Ctrl-C cancels the context instead of killing the process, so a
	// training run can save its checkpoint first.
	// The lists (datasets, priors) speak the desktop's language; -lang
	// before the command chooses another.
	i18n.Set(i18n.Preferred(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vae:", err)
		if errors.Is(err, errInterrupted) {
			os.Exit(130) // the shell's code for a run ended by SIGINT
		}
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: vae <command> [options]

commands:
  train      train a VAE and write its checkpoint and views (PNG)
  eval       evaluate a saved model (.vae or .safetensors): test ELBO and IWAE bound
  export     write a model as safetensors for PyTorch (python/vae_playground.py)
  import     write a safetensors model (e.g. trained on in PyTorch) as a checkpoint
  datasets   list the datasets and their parameters
  priors     list the priors and posterior flows

Run 'vae <command> -h' for a command's options.
`)
}

// run carries out one command; ctx is cancelled by Ctrl-C.
func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) > 0 && (args[0] == "-lang" || strings.HasPrefix(args[0], "-lang=")) {
		lang, ok := strings.CutPrefix(args[0], "-lang=")
		rest := args[1:]
		if !ok {
			if len(rest) == 0 {
				return errors.New("-lang: want en or vi")
			}
			lang, rest = rest[0], rest[1:]
		}
		if !i18n.Set(lang) {
			return fmt.Errorf("-lang %q: want one of %s", lang, strings.Join(i18n.Languages, ", "))
		}
		args = rest
	}
	if len(args) == 0 {
		usage(out)
		return errors.New("no command")
	}
	var err error
	switch args[0] {
	case "train":
		err = trainCmd(ctx, args[1:], out)
	case "eval":
		err = evalCmd(ctx, args[1:], out)
	case "export":
		err = exportCmd(args[1:], out)
	case "import":
		err = importCmd(args[1:], out)
	case "datasets":
		return listDatasets(out)
	case "priors":
		return listPriors(out)
	case "-h", "-help", "--help", "help":
		usage(out)
		return nil
	default:
		usage(out)
		return fmt.Errorf("unknown command %q", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil // the options were listed, as asked: not a failure
	}
	return err
}

// dataFlags are the options that pick and make a dataset.
type dataFlags struct {
	name   string
	params string
	seed   uint64
	dir    string
}

func (d *dataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.name, "data", "moons", "dataset name (see 'vae datasets')")
	fs.StringVar(&d.params, "data-params", "", "dataset parameters as name=value,… (e.g. n=4000,noise=0.05)")
	fs.Uint64Var(&d.seed, "data-seed", 1, "seed of the generated dataset")
	fs.StringVar(&d.dir, "data-dir", "dist/data", "folder holding packed image files (make mnist-pack, make fashion-pack)")
}

// record is how a checkpoint names these data (core.Model.TrainedOn).
func (d *dataFlags) record(binarized bool) core.DataSource {
	return core.DataSource{Name: d.name, Params: d.params, Seed: d.seed, Binarized: binarized}
}

// fromRecord takes the data a checkpoint records for every data option not
// given on the command line (set holds the names of those given): the
// dataset, and for that same dataset its parameters and seed. A checkpoint
// that records nothing needs -data; other data than recorded get a note.
func (d *dataFlags) fromRecord(rec core.DataSource, set map[string]bool, what string, out io.Writer) error {
	if rec.Name == "" {
		if !set["data"] {
			return fmt.Errorf("%s does not record its training data (written before checkpoint version 2): give -data (and -data-params, -data-seed as trained)", what)
		}
		return nil
	}
	if !set["data"] {
		d.name = rec.Name
	}
	if d.name == rec.Name {
		if !set["data-params"] {
			d.params = rec.Params
		}
		if !set["data-seed"] {
			d.seed = rec.Seed
		}
	}
	if d.name != rec.Name || d.params != rec.Params {
		fmt.Fprintf(out, "note: %s was trained on %s; using %s as asked\n", what, describeSource(rec), describeSource(d.record(false)))
	}
	return nil
}

func describeSource(s core.DataSource) string {
	if s.Params == "" {
		return s.Name
	}
	return s.Name + " (" + s.Params + ")"
}

// load makes the dataset and returns it as a matrix of rows.
func (d *dataFlags) load(seedOffset uint64) (*datasets.Dataset, *mat.Dense, error) {
	e, ok := datasets.Lookup(d.name)
	if !ok {
		return nil, nil, fmt.Errorf("unknown dataset %q (known: %s)", d.name, strings.Join(datasets.Names(), ", "))
	}
	kv := map[string]string{}
	if d.params != "" {
		for _, f := range strings.Split(d.params, ",") {
			k, v, ok := strings.Cut(f, "=")
			if !ok {
				return nil, nil, fmt.Errorf("dataset parameter %q is not name=value", f)
			}
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	p, err := e.ParseParams(kv)
	if err != nil {
		return nil, nil, err
	}
	var ds *datasets.Dataset
	switch e.Source {
	case datasets.Generated:
		ds, err = datasets.Generate(d.name, p, rand.New(rand.NewPCG(d.seed+seedOffset, 0x5eed)))
	case datasets.Asset:
		var f *os.File
		f, err = os.Open(filepath.Join(d.dir, e.Asset))
		if err != nil {
			return nil, nil, fmt.Errorf("%s needs %s: %w (run 'make %s-pack', or point -data-dir at its folder)", d.name, e.Asset, err, d.name)
		}
		defer f.Close()
		if seedOffset != 0 {
			p["split"] = 1 // held-out data: the published test split
		}
		ds, err = datasets.Load(d.name, f, p)
	default:
		return nil, nil, fmt.Errorf("dataset %q comes from the user; import a CSV in the playground", d.name)
	}
	if err != nil {
		return nil, nil, err
	}
	if ds.D > core.MaxDataDim {
		return nil, nil, fmt.Errorf("%s has %d values a row, the model takes at most %d", d.name, ds.D, core.MaxDataDim)
	}
	x := mat.NewDense(ds.N, ds.D, nil)
	row := make([]float64, ds.D)
	for i := 0; i < ds.N; i++ {
		x.SetRow(i, ds.Row(row, i))
	}
	return ds, x, nil
}

func parseInts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func listDatasets(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
	for _, e := range datasets.List() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Name, i18n.T(e.Kind.String()), i18n.T(e.Description))
		for _, p := range e.Params {
			// A choice is shown by its name (split=train), as -data-params takes it.
			def, rng := p.Format(p.Default), fmt.Sprintf("[%g, %g]", p.Min, p.Max)
			if len(p.Choices) > 0 {
				rng = strings.Join(p.Choices, "|")
			}
			fmt.Fprintf(tw, "\t  %s=%s\t%s %s\n", p.Name, def, i18n.T(p.Help), rng)
		}
	}
	return tw.Flush()
}

func listPriors(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("priors:"))
	for _, k := range core.Priors() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Name, i18n.T(k.Description), strings.Join(k.Options, ", "))
	}
	fmt.Fprintln(tw, i18n.T("posterior flows:"))
	for _, k := range core.Flows() {
		fmt.Fprintf(tw, "  %s\t%s\n", k.Name, i18n.T(k.Description))
	}
	return tw.Flush()
}

// splitIsTest says whether the options ask to train on a published test split.
func (d *dataFlags) splitIsTest() bool {
	for _, f := range strings.Split(d.params, ",") {
		k, v, _ := strings.Cut(f, "=")
		if strings.TrimSpace(k) == "split" && (strings.TrimSpace(v) == "test" || strings.TrimSpace(v) == "1") {
			return true
		}
	}
	return false
}
