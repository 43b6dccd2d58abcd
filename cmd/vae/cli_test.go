package main

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/render"
)

// small are options that make a training run take a moment.
var small = []string{"-data", "moons", "-data-params", "n=200", "-batch", "64", "-hidden", "8", "-k", "2", "-log-every", "0"}

func train(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(ctx, append([]string{"train"}, args...), &out)
	return out.String(), err
}

func loadModel(t *testing.T, path string) *core.Model {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := core.LoadModel(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHelpIsNotAFailure(t *testing.T) {
	for _, cmd := range []string{"train", "eval"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{cmd, "-h"}, &out); err != nil {
			t.Errorf("%s -h: %v", cmd, err)
		}
		if !strings.Contains(out.String(), "-data") {
			t.Errorf("%s -h listed no options:\n%s", cmd, out.String())
		}
	}
}

func TestUnwritableOutIsRefusedBeforeTraining(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	out, err := train(t, context.Background(), append(small, "-steps", "5", "-out", filepath.Join(file, "sub"))...)
	if err == nil || !strings.Contains(err.Error(), "-out") {
		t.Fatalf("an -out under a file: %v", err)
	}
	if strings.Contains(out, "on moons") {
		t.Fatal("training started before -out was checked")
	}
}

// TestCtrlCSavesAndResumeContinuesIdentically: a run interrupted at step 12
// saves its model and trainer; resumed for the 18 steps left (its data taken
// from the checkpoint), it ends with the bits of an uninterrupted 30-step run.
func TestCtrlCSavesAndResumeContinuesIdentically(t *testing.T) {
	straight, stopped := t.TempDir(), t.TempDir()
	if out, err := train(t, context.Background(), append(small, "-steps", "30", "-out", straight)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := train(t, context.Background(), append(small, "-steps", "2", "-out", stopped)...); err != nil {
		t.Fatalf("%v\n%s", err, out) // views of an earlier model in the folder
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	testHookStep = func(step int) {
		if step == 12 {
			cancel() // what Ctrl-C does through signal.NotifyContext
		}
	}
	out, err := train(t, ctx, append(small, "-steps", "30", "-out", stopped)...)
	testHookStep = nil
	if !errors.Is(err, errInterrupted) || !strings.Contains(out, "interrupted at step 12") || !strings.Contains(out, "-steps 18") {
		t.Fatalf("interrupt: %v\n%s", err, out)
	}
	trainer := filepath.Join(stopped, "trainer.vae")
	if _, err := os.Stat(trainer); err != nil {
		t.Fatalf("no trainer saved on interrupt: %v", err)
	}
	if _, err := os.Stat(filepath.Join(stopped, "latent.png")); err == nil {
		t.Fatal("an interrupted run left views of another model")
	}
	if out, err := train(t, context.Background(), "-resume", trainer, "-steps", "18", "-k", "2", "-out", stopped); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	} else if !strings.Contains(out, "resumed at step 12") || !strings.Contains(out, "on moons (200 rows)") {
		t.Fatalf("resume did not take the recorded data or position:\n%s", out)
	}
	a, b := loadModel(t, filepath.Join(straight, "model.vae")), loadModel(t, filepath.Join(stopped, "model.vae"))
	if !slices.Equal(a.Params.Values(), b.Params.Values()) {
		t.Fatal("interrupted and resumed run differs from the uninterrupted one")
	}
}

func TestResumeRefusesModelOptionsAndModelFiles(t *testing.T) {
	dir := t.TempDir()
	if out, err := train(t, context.Background(), append(small, "-steps", "2", "-save-trainer", "-out", dir)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := train(t, context.Background(), "-resume", filepath.Join(dir, "trainer.vae"), "-latent", "3"); err == nil || !strings.Contains(err.Error(), "-latent") {
		t.Errorf("-latent with -resume: %v", err)
	}
	if _, err := train(t, context.Background(), "-resume", filepath.Join(dir, "model.vae"), "-out", dir); err == nil || !strings.Contains(err.Error(), "model checkpoint") {
		t.Errorf("a model file resumed: %v", err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"eval", "-model", filepath.Join(dir, "trainer.vae")}, &out); err == nil || !strings.Contains(err.Error(), "trainer checkpoint") {
		t.Errorf("a trainer file evaluated as a model: %v", err)
	}
}

func TestEvalUsesTheRecordedData(t *testing.T) {
	dir := t.TempDir()
	if out, err := train(t, context.Background(), "-data", "circles", "-data-params", "n=300", "-steps", "2", "-hidden", "4", "-k", "2", "-out", dir); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	model := filepath.Join(dir, "model.vae")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"eval", "-model", model, "-k", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "held-out circles (n=300)") {
		t.Fatalf("eval did not use the recorded data:\n%s", out.String())
	}
	out.Reset()
	// The same dataset named: its recorded parameters still apply.
	if err := run(context.Background(), []string{"eval", "-model", model, "-data", "circles", "-k", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "held-out circles (n=300)") || strings.Contains(out.String(), "note:") {
		t.Fatalf("-data naming the recorded set dropped its parameters:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", "-model", model, "-data", "moons", "-k", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "was trained on circles") {
		t.Fatalf("another dataset used without a note:\n%s", out.String())
	}
	// A version 1 checkpoint records no data: -data is required.
	err := run(context.Background(), []string{"eval", "-model", "../../core/testdata/v1-model.vae"}, &out)
	if err == nil || !strings.Contains(err.Error(), "give -data") {
		t.Fatalf("a checkpoint without a data record: %v", err)
	}
}

func TestARunRemovesViewsItNoLongerDraws(t *testing.T) {
	dir := t.TempDir()
	if out, err := train(t, context.Background(), append(small, "-steps", "2", "-bayes", "decoder", "-out", dir)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "uncertainty.png")); err != nil {
		t.Fatal(err)
	}
	if out, err := train(t, context.Background(), "-data", "shapes", "-data-params", "n=20,size=12", "-steps", "2", "-hidden", "4", "-k", "2", "-out", dir); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for name, want := range map[string]bool{"uncertainty.png": false, "samples.png": false, "images.png": true, "latent.png": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s present: %v, want %v", name, err == nil, want)
		}
	}
}

func TestImageSetsTrainBinarisedAndScoreABinarisedTestSplit(t *testing.T) {
	dir := t.TempDir()
	out, err := train(t, context.Background(), "-data", "shapes", "-data-params", "n=40,size=12", "-steps", "3", "-batch", "16", "-hidden", "8", "-k", "2", "-out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "binarised afresh") || !strings.Contains(out, "test split binarised once") {
		t.Fatalf("image training not binarised:\n%s", out)
	}
	if m := loadModel(t, filepath.Join(dir, "model.vae")); !m.TrainedOn.Binarized || m.TrainedOn.Name != "shapes" {
		t.Fatalf("checkpoint records %+v", m.TrainedOn)
	}
	var ev bytes.Buffer
	if err := run(context.Background(), []string{"eval", "-model", filepath.Join(dir, "model.vae"), "-k", "2"}, &ev); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ev.String(), "test split binarised once") {
		t.Fatalf("eval scored grey images:\n%s", ev.String())
	}
	out, err = train(t, context.Background(), "-data", "shapes", "-data-params", "n=40,size=12", "-steps", "3", "-hidden", "8", "-k", "2", "-binarize=false", "-out", dir)
	if err != nil || strings.Contains(out, "binarised") {
		t.Fatalf("-binarize=false: %v\n%s", err, out)
	}
	if _, err := train(t, context.Background(), append(small, "-binarize", "-steps", "1", "-out", dir)...); err == nil || !strings.Contains(err.Error(), "-binarize") {
		t.Fatalf("-binarize on points: %v", err)
	}
}

// TestMessagesReadRight covers the messages users tripped on.
func TestMessagesReadRight(t *testing.T) {
	var out bytes.Buffer
	if err := listDatasets(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "split=0") || !strings.Contains(out.String(), "split=train") {
		t.Errorf("datasets list shows the split as a number:\n%s", out.String())
	}
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"-data", "fashion", "-data-dir", t.TempDir()}, "make fashion-pack", "mnist-pack"},
		{[]string{"-hidden", "0"}, "encoder hidden width 0", "\nhidden width"},
		{[]string{"-bayes", "both", "-bayes-prior-scale", "1000"}, "1e-06, 100]", "%!"},
		{[]string{"-components", "0"}, "-components 0", ""},
		{[]string{"-log-every", "-1"}, "-log-every", ""},
	} {
		_, err := train(t, context.Background(), append(tc.args, "-steps", "1", "-out", filepath.Join(t.TempDir(), "o"))...)
		if err == nil {
			t.Errorf("%v accepted", tc.args)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tc.want) || (tc.not != "" && strings.Contains(msg, tc.not)) || strings.Contains(msg, "core: core:") {
			t.Errorf("%v: %q (want %q, not %q)", tc.args, msg, tc.want, tc.not)
		}
	}
}

func TestProgressOnATerminalAndElsewhere(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var buf bytes.Buffer
	p := &progress{w: &buf, tty: true, label: "training", unit: "steps", total: 100, now: clock, start: now, last: now}
	now = now.Add(10 * time.Second)
	p.update(50, "loss 3")
	if s := buf.String(); !strings.HasPrefix(s, "\r") || !strings.Contains(s, "50%") || !strings.Contains(s, "ETA 10s") || !strings.Contains(s, "[##########..........]") {
		t.Fatalf("terminal bar %q", s)
	}
	p.finish()
	buf.Reset()
	p = &progress{w: &buf, label: "evaluating", unit: "rows", total: 100, now: clock, start: now, last: now}
	now = now.Add(time.Second)
	p.update(10, "")
	if buf.Len() != 0 {
		t.Fatalf("plain progress after 1 s: %q", buf.String())
	}
	now = now.Add(20 * time.Second)
	p.update(30, "")
	if s := buf.String(); strings.Contains(s, "\r") || !strings.Contains(s, "30%") || !strings.Contains(s, "ETA 49s") || !strings.HasSuffix(s, "\n") {
		t.Fatalf("plain progress %q", s)
	}
	out, err := train(t, context.Background(), "-data", "moons", "-data-params", "n=100", "-steps", "4", "-hidden", "4", "-k", "2", "-log-every", "2", "-out", t.TempDir())
	if err != nil || !strings.Contains(out, "ETA") || strings.Contains(out, "\r") {
		t.Fatalf("training lines without an ETA, or a bar into a non-terminal: %v\n%s", err, out)
	}
}

// TestLatentViewHasAxesAndAColourBar looks at the pixels of latent.png: the
// plot is framed (render.DrawAxes) and a viridis bar runs from yellow at the
// top to purple at the bottom right of it; samples.png is framed too.
func TestLatentViewHasAxesAndAColourBar(t *testing.T) {
	dir := t.TempDir()
	if out, err := train(t, context.Background(), append(small, "-steps", "2", "-out", dir)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	th := render.DarkTheme()
	near := func(a color.Color, b color.RGBA) bool {
		r, g, bl, _ := a.RGBA()
		d := func(x uint32, y uint8) int { return max(int(x>>8)-int(y), int(y)-int(x>>8)) }
		return d(r, b.R) <= 24 && d(g, b.G) <= 24 && d(bl, b.B) <= 24
	}
	for _, name := range []string{"latent.png", "samples.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		_, panels := newPanels(2, th, "", "")
		p := plotArea(panels[0], name == "latent.png")
		if c := img.At(p.Min.X-1, (p.Min.Y+p.Max.Y)/2); !near(c, th.Frame) {
			t.Errorf("%s: no axis frame left of the plot (%v)", name, c)
		}
		if name != "latent.png" {
			continue
		}
		x := p.Max.X + 14 + 6 // the middle of the 12-pixel bar
		top, bottom := img.At(x, p.Min.Y+30), img.At(x, p.Max.Y-12)
		if !near(top, render.Viridis.At(1)) || !near(bottom, render.Viridis.At(0)) {
			t.Errorf("latent.png: no colour bar (top %v, bottom %v)", top, bottom)
		}
	}
}
