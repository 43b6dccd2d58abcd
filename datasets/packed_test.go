package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"slices"
	"strings"
	"testing"
)

func smallImages(n, w, h int, seed uint64) *Dataset {
	rng := newRand(seed)
	d := &Dataset{Name: "t", Kind: Image, N: n, D: w * h, Width: w, Height: h,
		Pix: make([]uint8, n*w*h), Labels: make([]int, n), LabelNames: []string{"a", "b", "c"}}
	for i := range d.Pix {
		d.Pix[i] = uint8(rng.IntN(256))
	}
	d.Pix[0], d.Pix[1] = 0, 255
	for i := range d.Labels {
		d.Labels[i] = rng.IntN(3)
	}
	return d
}

func gunzip(t testing.TB, b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestPackedRoundTrip(t *testing.T) {
	train, test := smallImages(7, 5, 3, 1), smallImages(4, 5, 3, 2)
	for _, bits := range []int{1, 2, 4, 8} {
		var buf bytes.Buffer
		if err := WritePacked(&buf, "toy", bits, train, test); err != nil {
			t.Fatal(err)
		}
		for _, in := range [][]byte{buf.Bytes(), gunzip(t, buf.Bytes())} {
			p, err := ReadPacked(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("bits %d: %v", bits, err)
			}
			if p.Name != "toy" || p.Bits != bits {
				t.Errorf("name %q bits %d", p.Name, p.Bits)
			}
			levels := 1<<bits - 1
			maxErr := (255/levels + 1) / 2
			for s, want := range []*Dataset{train, test} {
				got := p.Split(Split(s))
				if got.N != want.N || got.Width != 5 || got.Height != 3 || !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.LabelNames, want.LabelNames) {
					t.Fatalf("bits %d split %d: N=%d %d×%d labels %v", bits, s, got.N, got.Width, got.Height, got.Labels)
				}
				for i, v := range want.Pix {
					g := got.Pix[i]
					if d := int(g) - int(v); d > maxErr || d < -maxErr {
						t.Fatalf("bits %d: pixel %d %d → %d (max error %d)", bits, i, v, g, maxErr)
					}
					// Decoded values are the evenly spaced levels.
					if (int(g)*levels)%255 != 0 && bits != 8 {
						t.Fatalf("bits %d: decoded %d is not a level", bits, g)
					}
				}
				if got.Pix[0] != 0 && s == 0 || got.Pix[1] != 255 && s == 0 {
					t.Errorf("bits %d: black/white not kept: %d %d", bits, got.Pix[0], got.Pix[1])
				}
			}
		}
	}
	// No test split.
	var buf bytes.Buffer
	if err := WritePacked(&buf, "toy", 4, train, nil); err != nil {
		t.Fatal(err)
	}
	if p, err := ReadPacked(&buf); err != nil || p.Test != nil || p.Train.N != 7 {
		t.Errorf("train only: %v", err)
	}
}

func TestPackedCorrupt(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePacked(&buf, "toy", 4, smallImages(6, 4, 4, 3), smallImages(2, 4, 4, 4)); err != nil {
		t.Fatal(err)
	}
	raw := gunzip(t, buf.Bytes())
	// Every single-byte change, every truncation and any trailing byte is
	// caught (by the structure checks or the CRC).
	for i := range raw {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			c := slices.Clone(raw)
			c[i] ^= x
			if p, err := ReadPacked(bytes.NewReader(c)); err == nil || p != nil {
				t.Fatalf("byte %d ^ %#x accepted", i, x)
			}
		}
	}
	for n := 0; n < len(raw); n++ {
		if _, err := ReadPacked(bytes.NewReader(raw[:n])); err == nil {
			t.Fatalf("truncation to %d of %d bytes accepted", n, len(raw))
		}
	}
	if _, err := ReadPacked(bytes.NewReader(append(slices.Clone(raw), 0))); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("trailing byte: %v", err)
	}
	z := buf.Bytes()
	for _, n := range []int{1, 10, len(z) / 2, len(z) - 1} {
		if _, err := ReadPacked(bytes.NewReader(z[:n])); err == nil {
			t.Errorf("gzip truncated to %d accepted", n)
		}
	}
	// Headers claiming too much are rejected before reading.
	huge := slices.Clone(raw)
	copy(huge[len(packedMagic)+4+len("toy")+1+6:], []byte{0xff, 0xff, 0xff, 0x7f})
	if _, err := ReadPacked(bytes.NewReader(huge)); err == nil || !strings.Contains(err.Error(), "limits") {
		t.Errorf("huge count: %v", err)
	}
}

func TestWritePackedRejects(t *testing.T) {
	a := smallImages(3, 4, 4, 1)
	if err := WritePacked(io.Discard, "x", 3, a, nil); err == nil {
		t.Error("bits 3 accepted")
	}
	if err := WritePacked(io.Discard, "x", 4, a, smallImages(3, 4, 5, 1)); err == nil {
		t.Error("mismatched sizes accepted")
	}
	pts := gen(t, "moons", Params{"n": 10}, 1)
	if err := WritePacked(io.Discard, "x", 4, pts, nil); err == nil {
		t.Error("point set accepted")
	}
}

func FuzzPacked(f *testing.F) {
	var buf bytes.Buffer
	if err := WritePacked(&buf, "toy", 4, smallImages(3, 3, 2, 1), smallImages(1, 3, 2, 2)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(gunzip(f, buf.Bytes()))
	buf.Reset()
	WritePacked(&buf, "", 1, smallImages(2, 1, 1, 3), nil)
	f.Add(gunzip(f, buf.Bytes()))
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := ReadPacked(bytes.NewReader(in))
		if err != nil {
			if p != nil {
				t.Fatal("result with an error")
			}
			return
		}
		for _, d := range []*Dataset{p.Train, p.Test} {
			if d == nil {
				continue
			}
			if err := d.Validate(); err != nil {
				t.Fatalf("decoded invalid dataset: %v", err)
			}
		}
	})
}

func TestLoadChecksSetName(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePacked(&buf, "fashion", 4, smallImages(3, 28, 28, 1), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("mnist", bytes.NewReader(buf.Bytes()), nil); err == nil || !strings.Contains(err.Error(), `holds "fashion"`) {
		t.Errorf("mnist loaded a fashion file: %v", err)
	}
	if d, err := Load("fashion", bytes.NewReader(buf.Bytes()), nil); err != nil || d.N != 3 {
		t.Errorf("fashion: %v", err)
	}
	if _, err := Load("fashion", bytes.NewReader(buf.Bytes()), Params{"split": 1}); err == nil || !strings.Contains(err.Error(), "no test images") {
		t.Errorf("missing test split: %v", err)
	}
	if _, err := Load("fashion", bytes.NewReader(buf.Bytes()), Params{"split": 2}); err == nil {
		t.Error("split index 2 accepted")
	}
	if _, err := Load("moons", bytes.NewReader(buf.Bytes()), nil); err == nil {
		t.Error("Load of a generated set accepted")
	}
}

// TestPackedBoundsDecodedSize: at 1 bit a pixel the decoded images are 8×
// the packed bytes; a header asking for more than MaxPackedBytes decoded is
// refused before anything is read or allocated.
func TestPackedBoundsDecodedSize(t *testing.T) {
	d := smallImages(2, 255, 255, 1)
	var buf bytes.Buffer
	if err := WritePacked(&buf, "x", 1, d, nil); err != nil {
		t.Fatal(err)
	}
	raw := gunzip(t, buf.Bytes())
	counts := []byte{2, 0, 0, 0, 0, 0, 0, 0}
	at := bytes.Index(raw, counts)
	if at < 0 {
		t.Fatal("image counts not found")
	}
	// 1100 images: 8.9 MB packed, 71.5 MB decoded.
	binary.LittleEndian.PutUint32(raw[at:], 1100)
	_, err := ReadPacked(bytes.NewReader(raw))
	if err == nil || !strings.Contains(err.Error(), "beyond the limits") {
		t.Fatalf("got %v, want the size limit refused first", err)
	}
}

func TestWritePackedNeedsLabelsWithNames(t *testing.T) {
	d := smallImages(3, 4, 4, 1)
	d.LabelNames = []string{"a", "b"}
	d.Labels = nil
	if err := WritePacked(io.Discard, "x", 8, d, nil); err == nil {
		t.Fatal("label names without labels were packed")
	}
}
