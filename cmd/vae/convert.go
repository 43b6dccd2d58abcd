package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vaeplayground/vae/core"
)

// openModel reads a model from a checkpoint (SaveModel, the CLI's model.vae)
// or from a safetensors file (ExportSafetensors, `vae export`, or
// python/vae_playground.py), told apart by their first bytes: a safetensors
// file starts with a small header length and '{'.
func openModel(path string) (*core.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var m *core.Model
	if isSafetensors(r) || strings.EqualFold(filepath.Ext(path), ".safetensors") {
		m, err = core.ImportSafetensors(r)
	} else {
		m, err = core.LoadModel(r)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func isSafetensors(r *bufio.Reader) bool {
	head, err := r.Peek(9)
	return err == nil && binary.LittleEndian.Uint64(head) < 1<<32 && head[8] == '{'
}

// exportCmd writes a model as safetensors for PyTorch.
func exportCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, `usage: vae export -model m.vae -out m.safetensors

Writes the model as a safetensors file for PyTorch: every parameter as a
float64 tensor under the name python/vae_playground.py gives it
(encoder.layers.0.weight, …), the configuration in the metadata. The
optimiser state is not carried (a trainer checkpoint has it); the two-stage
prior is refused.

`)
		fs.PrintDefaults()
	}
	path := fs.String("model", "dist/run/model.vae", "model checkpoint (or a safetensors file)")
	dst := fs.String("out", "", "safetensors file to write (default: the model's path with .safetensors)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (options go before it, as -name value)", fs.Arg(0))
	}
	if *dst == "" {
		*dst = strings.TrimSuffix(*path, filepath.Ext(*path)) + ".safetensors"
	}
	return convert(*path, *dst, out, core.ExportSafetensors)
}

// importCmd writes a safetensors model (from PyTorch) as a checkpoint.
func importCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, `usage: vae import -model m.safetensors -out m.vae

Reads a safetensors model (written by 'vae export' or by
python/vae_playground.py, e.g. after training in PyTorch), checks it like a
checkpoint and writes it as a model checkpoint. 'vae eval -model' also reads
a .safetensors file directly.

`)
		fs.PrintDefaults()
	}
	path := fs.String("model", "", "safetensors file to read")
	dst := fs.String("out", "", "model checkpoint to write (default: the file's path with .vae)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (options go before it, as -name value)", fs.Arg(0))
	}
	if *path == "" {
		return errors.New("-model is needed: the safetensors file to import")
	}
	if *dst == "" {
		*dst = strings.TrimSuffix(*path, filepath.Ext(*path)) + ".vae"
	}
	return convert(*path, *dst, out, core.SaveModel)
}

func convert(src, dst string, out io.Writer, write func(io.Writer, *core.Model) error) error {
	if sameFile(src, dst) {
		return fmt.Errorf("-out %s is the model file itself", dst)
	}
	m, err := openModel(src)
	if err != nil {
		return err
	}
	if err := writeFile(dst, func(w io.Writer) error { return write(w, m) }); err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	fmt.Fprintf(out, "%s\nwrote %s\n", m, dst)
	return nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
