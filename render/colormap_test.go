package render

import (
	"math"
	"testing"
)

func TestSequentialColormapsAreMonotoneInLuminance(t *testing.T) {
	for _, c := range []*Colormap{Viridis, Magma, Grays} {
		prev := -1.0
		for i := range 256 {
			l := Luminance(c.At(float64(i) / 255))
			if l < prev-1e-3 {
				t.Fatalf("%s: luminance falls at %d: %.4f after %.4f", c.Name(), i, l, prev)
			}
			prev = l
		}
		if lo, hi := Luminance(c.At(0)), Luminance(c.At(1)); hi-lo < 0.5 {
			t.Errorf("%s: luminance spans only %.2f", c.Name(), hi-lo)
		}
	}
}

func TestDivergingGrowsFromTheCentre(t *testing.T) {
	prevL, prevR := -1.0, -1.0
	for k := 0; k <= 127; k++ {
		d := float64(k) / 127 * 0.5
		l, r := Luminance(Diverging.At(0.5-d)), Luminance(Diverging.At(0.5+d))
		if l < prevL-1e-3 || r < prevR-1e-3 {
			t.Fatalf("diverging luminance not growing from the centre at offset %.3f", d)
		}
		prevL, prevR = l, r
	}
	lo, hi := Diverging.At(0), Diverging.At(1)
	if !(lo.B > lo.R && hi.R > hi.B) {
		t.Errorf("diverging ends should be blue then orange, got %v and %v", lo, hi)
	}
}

func TestColormapClampsAndNaN(t *testing.T) {
	if Viridis.At(-3) != Viridis.At(0) || Viridis.At(7) != Viridis.At(1) || Viridis.At(math.NaN()) != Viridis.At(0) {
		t.Error("At does not clamp")
	}
	if c := Viridis.At(0); c != hex(0x440154) {
		t.Errorf("viridis bottom %v", c)
	}
	if c := Viridis.At(1); c != hex(0xfde725) {
		t.Errorf("viridis top %v", c)
	}
}
