package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExportImportAndEvalOfSafetensors(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if out, err := train(t, ctx, append(small, "-steps", "20", "-prior", "mixture", "-components", "3", "-out", dir)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	model := filepath.Join(dir, "model.vae")
	st := filepath.Join(dir, "model.safetensors")
	var out bytes.Buffer
	if err := run(ctx, []string{"export", "-model", model, "-out", st}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "wrote "+st) {
		t.Errorf("export said:\n%s", out.String())
	}
	// eval reads either form and scores the same.
	evals := map[string]string{}
	for _, p := range []string{model, st} {
		out.Reset()
		if err := run(ctx, []string{"eval", "-model", p, "-k", "3"}, &out); err != nil {
			t.Fatalf("eval %s: %v", p, err)
		}
		evals[p] = out.String()
	}
	if evals[model] != evals[st] || !strings.Contains(evals[st], "held-out moons (n=200)") {
		t.Errorf("eval of the checkpoint:\n%s\nof the safetensors file:\n%s", evals[model], evals[st])
	}
	// import gives the checkpoint back, parameter for parameter.
	back := filepath.Join(dir, "back.vae")
	out.Reset()
	if err := run(ctx, []string{"import", "-model", st, "-out", back}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	a, b := loadModel(t, model), loadModel(t, back)
	if !slices.Equal(a.Params.Values(), b.Params.Values()) || a.TrainedOn != b.TrainedOn {
		t.Error("import changed the model")
	}
	// Defaults: -out next to the model.
	if err := run(ctx, []string{"export", "-model", back}, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "back.safetensors")); err != nil {
		t.Errorf("export without -out: %v", err)
	}
	for _, cmd := range []string{"export", "import"} {
		out.Reset()
		if err := run(ctx, []string{cmd, "-h"}, &out); err != nil || !strings.Contains(out.String(), "usage: vae "+cmd) {
			t.Errorf("%s -h: %v\n%s", cmd, err, out.String())
		}
	}
}

func TestSafetensorsErrorsAreClear(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if out, err := train(t, ctx, append(small, "-steps", "2", "-prior", "two-stage", "-stage-steps", "2", "-out", dir)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var out bytes.Buffer
	err := run(ctx, []string{"export", "-model", filepath.Join(dir, "model.vae"), "-out", filepath.Join(dir, "m.safetensors")}, &out)
	if err == nil || !strings.Contains(err.Error(), "two-stage") {
		t.Errorf("two-stage exported: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.safetensors")); err == nil {
		t.Error("a refused export left a file")
	}
	junk := filepath.Join(dir, "junk.safetensors")
	os.WriteFile(junk, []byte("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}        "), 0o644)
	for _, args := range [][]string{
		{"import", "-model", junk},
		{"eval", "-model", junk},
	} {
		err := run(ctx, args, &out)
		if err == nil || !strings.Contains(err.Error(), "junk.safetensors: core: bad safetensors model") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if err := run(ctx, []string{"import"}, &out); err == nil || !strings.Contains(err.Error(), "-model") {
		t.Errorf("import without -model: %v", err)
	}
	m := filepath.Join(dir, "model.vae")
	if err := run(ctx, []string{"export", "-model", m, "-out", m}, &out); err == nil || !strings.Contains(err.Error(), "itself") {
		t.Errorf("export onto the model itself: %v", err)
	}
}
