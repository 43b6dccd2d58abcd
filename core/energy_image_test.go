package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDensityImageEnergy checks a painted target's gradient against finite
// differences (away from the cell lines, where the bilinear surface kinks),
// that it reproduces the painted values at the cell centres, and that bad
// images are refused.
func TestDensityImageEnergy(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	const nx, ny = 7, 5
	vals := make([]float64, nx*ny)
	for i := range vals {
		vals[i] = rng.Float64() * rng.Float64()
	}
	vals[3] = 0 // an unpainted cell
	e, err := NewDensityImage("painted", vals, nx, ny)
	if err != nil {
		t.Fatal(err)
	}
	hx, hy := 8.0/nx, 8.0/ny
	for range 40 {
		z := []float64{5 * (2*rng.Float64() - 1), 5 * (2*rng.Float64() - 1)}
		// keep a margin from the lines through the cell centres
		ux, uy := (z[0]+4)/hx-0.5, (z[1]+4)/hy-0.5
		if math.Abs(ux-math.Round(ux)) < 0.01 || math.Abs(uy-math.Round(uy)) < 0.01 {
			continue
		}
		g := make([]float64, 2)
		e.Energy(z, g)
		checkGradient(t, "painted", func() float64 { return e.Energy(z, nil) }, z, g, 1e-6)
	}
	peak := 0.0
	for _, v := range vals {
		peak = max(peak, v)
	}
	for j := range ny {
		for i := range nx {
			z := []float64{-4 + (float64(i)+0.5)*hx, -4 + (float64(j)+0.5)*hy}
			if got, want := e.Energy(z, nil), -math.Log(vals[j*nx+i]+1e-3*peak); math.Abs(got-want) > 1e-12 {
				t.Fatalf("cell (%d, %d): U %v, want %v", i, j, got, want)
			}
		}
	}
	if z := LogNormalizer(e, 200); math.IsNaN(z) || math.IsInf(z, 0) {
		t.Errorf("log Z of a painted target: %v", z)
	}
	cfg := DefaultEnergyFitConfig("planar", 4)
	cfg.Steps, cfg.Batch = 50, 32
	f, err := NewEnergyFitter(e, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	for range cfg.Steps {
		if l := f.Step(); math.IsNaN(l) || math.IsInf(l, 0) {
			t.Fatalf("fitting a painted target: loss %v", l)
		}
	}
	for _, bad := range []struct {
		vals   []float64
		nx, ny int
	}{
		{make([]float64, 4), 2, 2},                       // nothing painted
		{[]float64{1, 2, 3}, 2, 2},                       // wrong length
		{[]float64{1, -1, 1, 1}, 2, 2},                   // negative
		{[]float64{1, math.NaN(), 1, 1}, 2, 2},           // NaN
		{[]float64{1, math.Inf(1), 1, 1}, 2, 2},          // Inf
		{[]float64{1, 1}, 1, 2},                          // too small
		{make([]float64, 2), MaxDensityImageSide + 1, 0}, // too large
	} {
		if _, err := NewDensityImage("bad", bad.vals, bad.nx, bad.ny); err == nil {
			t.Errorf("bad image %v (%d×%d) accepted", bad.vals, bad.nx, bad.ny)
		}
	}
}
