package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrainWritesViewsAndEvalReadsTheModel(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"train", "-data", "moons", "-data-params", "n=400", "-steps", "60", "-batch", "64",
		"-hidden", "16", "-k", "5", "-log-every", "30", "-out", dir}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "held-out: ELBO") {
		t.Fatalf("no evaluation printed:\n%s", out.String())
	}
	for _, name := range []string{"loss.png", "latent.png", "samples.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 400 {
			t.Fatalf("%s is %v", name, b)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", "-model", filepath.Join(dir, "model.vae"), "-data", "moons", "-data-params", "n=300", "-k", "3"}, &out); err != nil {
		t.Fatalf("eval: %v", err)
	}
	if !strings.Contains(out.String(), "IWAE(k=3)") {
		t.Fatalf("eval printed:\n%s", out.String())
	}
}

func TestTrainImagesWritesManifold(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"train", "-data", "shapes", "-data-params", "n=200,size=12", "-steps", "5", "-batch", "32",
		"-hidden", "32", "-k", "2", "-out", dir}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, name := range []string{"images.png", "manifold.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTrainTwoStageFitsTheSecondStage(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"train", "-data", "8gaussians", "-data-params", "n=300", "-steps", "20", "-hidden", "8",
		"-k", "2", "-prior", "two-stage", "-stage-steps", "10", "-out", dir}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "second stage (10 steps)") {
		t.Fatalf("second stage not fitted:\n%s", out.String())
	}
}

func TestTrainBayesianReportsTheWeightBound(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"train", "-data", "moons", "-data-params", "n=300", "-steps", "20", "-hidden", "8",
		"-k", "10", "-bayes", "both", "-out", dir}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "bound (ELBO − KL/N)") {
		t.Fatalf("no weight-sampled evaluation:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "uncertainty.png")); err != nil {
		t.Fatal(err)
	}
}

func TestTinyDataSetsTrainAndDraw(t *testing.T) {
	for _, args := range [][]string{
		{"-data", "shapes", "-data-params", "n=10,size=12", "-batch", "4"},
		{"-data", "moons", "-data-params", "n=1"},
	} {
		dir := t.TempDir()
		var out bytes.Buffer
		full := append([]string{"train", "-steps", "2", "-hidden", "4", "-k", "2", "-out", dir}, args...)
		if err := run(context.Background(), full, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
	}
}

// TestLateOptionsAreCheckedBeforeTraining: an option only a late stage uses
// fails at once, before any training or output.
func TestLateOptionsAreCheckedBeforeTraining(t *testing.T) {
	for _, args := range [][]string{
		{"-k", "0"}, {"-k", "1000000000000"}, {"-stage-steps", "-1"}, {"8gaussians", "-steps", "1"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		var out bytes.Buffer
		full := append([]string{"train", "-steps", "5", "-hidden", "4", "-out", dir}, args...)
		if err := run(context.Background(), full, &out); err == nil {
			t.Errorf("%v: accepted", args)
		}
		if strings.Contains(out.String(), "on moons") {
			t.Errorf("%v: training started before the option was refused", args)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%v: wrote %s", args, dir)
		}
	}
}

func TestBadOptionsAreClearErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // a part of the error that names the fault
	}{
		{[]string{"train", "-data", "nope"}, `unknown dataset "nope"`},
		{[]string{"train", "-data", "moons", "-data-params", "n=-5"}, "n"},
		{[]string{"train", "-data", "moons", "-data-params", "noise"}, "not name=value"},
		{[]string{"train", "-prior", "nope", "-steps", "1"}, `unknown prior "nope"`},
		{[]string{"train", "-hidden", "10,x"}, "not a whole number"},
		{[]string{"train", "-latent", "0"}, "latent dimension 0"},
		{[]string{"train", "-bayes", "weights"}, "-bayes"},
		{[]string{"eval", "-model", "/nonexistent/model.vae"}, "no such file"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		var out bytes.Buffer
		err := run(context.Background(), tc.args, &out)
		if err == nil {
			t.Errorf("%v: no error", tc.args)
		} else if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %q does not say %q", tc.args, err, tc.want)
		}
	}
}
