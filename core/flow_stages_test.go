package core

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// stagesUnderTest returns flows of every kind in both directions: flow
// priors (sampling by inversion) in 2, 3 and 10 dimensions (10 is past the
// product-of-determinants path) with parameters far from the identity, and
// both fitters' snapshots after some steps.
func stagesUnderTest(t *testing.T) map[string]*FlowStages {
	t.Helper()
	out := map[string]*FlowStages{}
	for _, kind := range flowKindsUnderTest {
		for _, d := range []int{2, 3, 10} {
			fp := perturbedFlowPrior(t, kind, 4, d, rand.New(rand.NewPCG(uint64(d), 31)), 0.6)
			out["prior "+kind+" d="+strconv.Itoa(d)] = FlowPriorStages(fp)
		}
		ef := newTestEnergyFitter(t, "u1", kind, FlowInitRandom, 4)
		df := newTestDataFitter(t, kind, 4)
		for range 30 {
			ef.Step()
			df.Step()
		}
		out["energy "+kind] = ef.Stages()
		out["data "+kind] = df.Stages()
	}
	return out
}

// stagePoints are n points of the flow's dimension spread over [−2, 2]ᵈ.
func stagePoints(s *FlowStages, n int, seed uint64) *mat.Dense {
	return randDense(rand.New(rand.NewPCG(seed, 5)), n, s.Dim(), 1.2)
}

// TestFlowStagesLayerLogDetMatchesJacobian compares each sampling layer's
// log|det J| with the log of gonum's numerical Jacobian of the layer as
// Push runs it, at the point x = h⁻¹(y) behind each output point y.
func TestFlowStagesLayerLogDetMatchesJacobian(t *testing.T) {
	for name, s := range stagesUnderTest(t) {
		d := s.Dim()
		for k := range s.NumLayers() {
			y := stagePoints(s, 5, uint64(k))
			got := make([]float64, 5)
			s.LayerLogDet(got, y, k)
			x := mat.NewDense(5, d, nil)
			s.Push(x, y, k+1, k)
			for i := range 5 {
				jac := mat.NewDense(d, d, nil)
				fd.Jacobian(jac, func(out, in []float64) {
					s.Push(mat.NewDense(1, d, out), mat.NewDense(1, d, in), k, k+1)
				}, x.RawRowView(i), &fd.JacobianSettings{Formula: fd.Central})
				det := mat.Det(jac)
				if !(det > 0) {
					t.Fatalf("%s layer %d point %d: numerical det %g", name, k, i, det)
				}
				if diff := math.Abs(math.Log(det) - got[i]); diff > 1e-5*math.Max(1, math.Abs(got[i])) {
					t.Errorf("%s layer %d point %d: log|det| %.10g, numerical %.10g", name, k, i, got[i], math.Log(det))
				}
			}
		}
	}
}

// TestFlowStagesDensityIsChangeOfVariables checks every stage's density
// against the change of variables through gonum's numerical Jacobian of
// the whole push from the base: log q_k(y) = log N(ε) − log|det ∂y/∂ε|.
func TestFlowStagesDensityIsChangeOfVariables(t *testing.T) {
	for name, s := range stagesUnderTest(t) {
		d := s.Dim()
		eps := stagePoints(s, 4, 77)
		for k := 0; k <= s.NumLayers(); k++ {
			y := mat.NewDense(4, d, nil)
			s.Push(y, eps, 0, k)
			got := make([]float64, 4)
			s.LogDensity(got, y, k)
			for i := range 4 {
				jac := mat.NewDense(d, d, nil)
				fd.Jacobian(jac, func(out, in []float64) {
					s.Push(mat.NewDense(1, d, out), mat.NewDense(1, d, in), 0, k)
				}, eps.RawRowView(i), &fd.JacobianSettings{Formula: fd.Central})
				want := standardNormalLogPDF(eps.RawRowView(i)) - math.Log(mat.Det(jac))
				if diff := math.Abs(got[i] - want); !(diff < 1e-5*math.Max(1, math.Abs(want))) {
					t.Errorf("%s stage %d point %d: log q %.10g, change of variables %.10g", name, k, i, got[i], want)
				}
			}
		}
	}
}

// TestFlowStagesRoundTrip pushes points to the model and back (inverse ∘
// forward is the identity), and checks that pushing in two legs equals
// pushing at once and that pushing in place equals pushing into a copy.
func TestFlowStagesRoundTrip(t *testing.T) {
	for name, s := range stagesUnderTest(t) {
		K, d := s.NumLayers(), s.Dim()
		z := stagePoints(s, 50, 3)
		y := mat.NewDense(50, d, nil)
		s.Push(y, z, 0, K)
		back := mat.NewDense(50, d, nil)
		s.Push(back, y, K, 0)
		if !mat.EqualApprox(back, z, 1e-8) {
			t.Errorf("%s: Push(K→0)∘Push(0→K) is not the identity", name)
		}
		if mat.EqualApprox(y, z, 1e-3) {
			t.Errorf("%s: the flow moves no point", name)
		}
		legs := mat.DenseCopyOf(z)
		s.Push(legs, legs, 0, 1)
		s.Push(legs, legs, 1, K)
		if !mat.EqualApprox(legs, y, 1e-12) {
			t.Errorf("%s: pushing in two legs differs from one push", name)
		}
		same := mat.DenseCopyOf(y)
		s.Push(same, same, K, K)
		if !mat.Equal(same, y) {
			t.Errorf("%s: a push from a stage to itself moved points", name)
		}
	}
}

// TestFlowStagesPushFromBase: carrying base draws gives the points Push
// gives and the density LogDensity gives at them, in both directions.
func TestFlowStagesPushFromBase(t *testing.T) {
	for name, s := range stagesUnderTest(t) {
		d := s.Dim()
		eps := stagePoints(s, 40, 9)
		for k := 0; k <= s.NumLayers(); k++ {
			got, logq := mat.NewDense(40, d, nil), make([]float64, 40)
			s.PushFromBase(got, logq, eps, k)
			want, wantq := mat.NewDense(40, d, nil), make([]float64, 40)
			s.Push(want, eps, 0, k)
			s.LogDensity(wantq, want, k)
			if !mat.EqualApprox(got, want, 1e-12) {
				t.Fatalf("%s stage %d: the carried points differ from Push's", name, k)
			}
			for i := range logq {
				if math.Abs(logq[i]-wantq[i]) > 1e-7*math.Max(1, math.Abs(wantq[i])) {
					t.Fatalf("%s stage %d point %d: log q %v, LogDensity %v", name, k, i, logq[i], wantq[i])
				}
			}
		}
		inPlace := mat.DenseCopyOf(eps)
		logq := make([]float64, 40)
		s.PushFromBase(inPlace, logq, inPlace, s.NumLayers())
		want := mat.NewDense(40, d, nil)
		s.Push(want, eps, 0, s.NumLayers())
		if !mat.EqualApprox(inPlace, want, 1e-12) {
			t.Errorf("%s: carrying in place differs", name)
		}
	}
}

// TestFlowStagesGridMassAndPieces fills each stage's density on a wide grid
// a few uneven row ranges at a time and requires the pieces to equal one
// whole LogDensity call and the density to integrate to 1.
func TestFlowStagesGridMassAndPieces(t *testing.T) {
	g := PlaneGrid{X0: -9, Y0: -9, X1: 9, Y1: 9, NX: 120, NY: 120}
	cell := (g.X1 - g.X0) * (g.Y1 - g.Y0) / float64(g.NX*g.NY)
	whole := make([]float64, g.NX*g.NY)
	pieces := make([]float64, g.NX*g.NY)
	for name, s := range stagesUnderTest(t) {
		if s.Dim() != 2 {
			continue
		}
		for k := 0; k <= s.NumLayers(); k++ {
			s.LogDensity(whole, g.Rows(0, g.NY), k)
			for i := range pieces {
				pieces[i] = math.NaN()
			}
			for j0, step := 0, 1; j0 < g.NY; j0, step = j0+step, step+6 {
				s.GridLogDensity(pieces, g, k, j0, min(g.NY, j0+step))
			}
			mass := 0.0
			for i := range whole {
				if pieces[i] != whole[i] {
					t.Fatalf("%s stage %d cell %d: piecewise %v, whole %v", name, k, i, pieces[i], whole[i])
				}
				mass += math.Exp(whole[i]) * cell
			}
			if math.Abs(mass-1) > 5e-3 {
				t.Errorf("%s stage %d: mass %v", name, k, mass)
			}
		}
		// The log-dets piecewise equal the whole as well.
		for k := range s.NumLayers() {
			s.LayerLogDet(whole, g.Rows(0, g.NY), k)
			for j0 := 0; j0 < g.NY; j0 += 50 {
				s.GridLayerLogDet(pieces, g, k, j0, min(g.NY, j0+50))
			}
			for i := range whole {
				if pieces[i] != whole[i] {
					t.Fatalf("%s layer %d cell %d: piecewise log-det %v, whole %v", name, k, i, pieces[i], whole[i])
				}
			}
		}
	}
}

// TestFlowStagesMatchTheFlows ties the stages to the objects they were
// taken from: a flow prior's last stage is its LogProb and its samples are
// Sample's for the same seed; stage 0 is N(0, I); a fitter's
// StageLogDensity and SampleStages are the stages'.
func TestFlowStagesMatchTheFlows(t *testing.T) {
	for _, kind := range flowKindsUnderTest {
		rng := rand.New(rand.NewPCG(41, 42))
		fp := perturbedFlowPrior(t, kind, 5, 2, rng, 0.5)
		s := FlowPriorStages(fp)
		z := randDense(rng, 300, 2, 2)
		got, want := make([]float64, 300), make([]float64, 300)
		s.LogDensity(got, z, s.NumLayers())
		fp.LogProb(want, z)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("%s: stage K %v, LogProb %v", kind, got[i], want[i])
			}
		}
		s.LogDensity(got, z, 0)
		for i := range got {
			if w := standardNormalLogPDF(z.RawRowView(i)); math.Abs(got[i]-w) > 1e-12 {
				t.Fatalf("%s: stage 0 %v, N(0, I) %v", kind, got[i], w)
			}
		}
		samples := mat.NewDense(200, 2, nil)
		fp.Sample(samples, rand.New(rand.NewPCG(7, 8)))
		stages := s.Sample(200, rand.New(rand.NewPCG(7, 8)))
		if len(stages) != 6 || !mat.EqualApprox(stages[5], samples, 1e-12) {
			t.Errorf("%s: the stages' samples differ from the prior's", kind)
		}
		for k, th := range []float64{s.LayerTheta(0)[0], s.LayerTheta(4)[0]} {
			if want := fp.LayerTheta([]int{4, 0}[k])[0]; th != want {
				t.Errorf("%s: sampling layer θ %v, prior layer θ %v", kind, th, want)
			}
		}

		for _, f := range []FlowFitter{newTestEnergyFitter(t, "u2", kind, FlowInitRandom, 3), newTestDataFitter(t, kind, 3)} {
			for range 20 {
				f.Step()
			}
			st := f.Stages()
			for k := 0; k <= 3; k++ {
				f.StageLogDensity(want, z, k)
				st.LogDensity(got, z, k)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%T %s stage %d: stages %v, fitter %v", f, kind, k, got[i], want[i])
					}
				}
			}
			a := f.SampleStages(50, rand.New(rand.NewPCG(1, 2)))
			b := st.Sample(50, rand.New(rand.NewPCG(1, 2)))
			for k := range a {
				if !mat.Equal(a[k], b[k]) {
					t.Errorf("%T %s stage %d: fitter and stages sample differently", f, kind, k)
				}
			}
			for k := range 3 {
				if !slices.Equal(st.LayerTheta(k), f.LayerTheta(k)) {
					t.Errorf("%T %s layer %d: θ %v, fitter %v", f, kind, k, st.LayerTheta(k), f.LayerTheta(k))
				}
			}
		}
	}
}

// TestFlowStagesSnapshot: a snapshot keeps describing the flow it was taken
// from while the fit steps on.
func TestFlowStagesSnapshot(t *testing.T) {
	for _, f := range []FlowFitter{newTestEnergyFitter(t, "u1", "planar", FlowInitRandom, 3), newTestDataFitter(t, "radial", 3)} {
		st := f.Stages()
		z := randDense(rand.New(rand.NewPCG(3, 3)), 100, 2, 2)
		before, after, live := make([]float64, 100), make([]float64, 100), make([]float64, 100)
		st.LogDensity(before, z, 3)
		for range 50 {
			f.Step()
		}
		st.LogDensity(after, z, 3)
		f.StageLogDensity(live, z, 3)
		moved := false
		for i := range before {
			if before[i] != after[i] {
				t.Fatalf("%T: the snapshot changed with the fit (%v, then %v)", f, before[i], after[i])
			}
			moved = moved || math.Abs(live[i]-before[i]) > 1e-6
		}
		if !moved {
			t.Errorf("%T: 50 steps left the fit's density where it was", f)
		}
	}
}

// TestFlowStagesNonFinite: parameters that make a layer impossible to
// invert give NaN, not a panic or stale numbers.
func TestFlowStagesNonFinite(t *testing.T) {
	f := newTestEnergyFitter(t, "u1", "planar", FlowInitRandom, 2)
	for i := range f.Params.Values() {
		f.Params.Values()[i] = math.NaN()
	}
	s := f.Stages()
	z := mat.NewDense(3, 2, []float64{0, 0, 1, 1, -1, 2})
	for name, run := range map[string]func(dst []float64){
		"density": func(dst []float64) { s.LogDensity(dst, z, 2) },
		"log-det": func(dst []float64) { s.LayerLogDet(dst, z, 1) },
		"push":    func(dst []float64) { y := mat.NewDense(3, 2, nil); s.Push(y, z, 2, 0); copy(dst, data(y)) },
	} {
		dst := make([]float64, 3)
		run(dst)
		for i, v := range dst {
			if !math.IsNaN(v) {
				t.Errorf("%s: value %d is %v, want NaN", name, i, v)
			}
		}
	}
}

// TestFlowStagesEmptyAndIdentity: a flow prior without layers is N(0, I)
// with no layer to push through; empty batches and row ranges write
// nothing.
func TestFlowStagesEmptyAndIdentity(t *testing.T) {
	var ps Params
	fp, err := NewFlowPrior(&ps, "planar", 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	ps.Allocate(rand.New(rand.NewPCG(1, 1)))
	s := FlowPriorStages(fp)
	if s.NumLayers() != 0 || s.Dim() != 2 {
		t.Fatalf("%d layers in %d dimensions", s.NumLayers(), s.Dim())
	}
	g := PlaneGrid{X0: -1, Y0: -2, X1: 3, Y1: 2, NX: 4, NY: 2}
	dst := make([]float64, 8)
	s.GridLogDensity(dst, g, 0, 0, 2)
	s.GridLogDensity(dst, g, 0, 1, 1) // nothing
	for j := range 2 {
		for i := range 4 {
			x, y := g.Point(i, j)
			if want := standardNormalLogPDF([]float64{x, y}); math.Abs(dst[j*4+i]-want) > 1e-12 {
				t.Errorf("cell (%d, %d): %v, want %v", i, j, dst[j*4+i], want)
			}
		}
	}
	if x, y := g.Point(0, 0); x != -0.5 || y != -1 {
		t.Errorf("cell (0, 0) centred at (%v, %v), want (−0.5, −1)", x, y)
	}
	rows := g.Rows(1, 2)
	if r, _ := rows.Dims(); r != 4 || rows.At(3, 0) != 2.5 || rows.At(3, 1) != 1 {
		t.Errorf("row 1's centres: %v", mat.Formatted(rows))
	}
}

// TestFlowStagesPanicsOnMisuse: wrong dimensions and stages outside [0, K]
// are programming errors.
func TestFlowStagesPanicsOnMisuse(t *testing.T) {
	s := newTestDataFitter(t, "planar", 2).Stages()
	z := mat.NewDense(2, 2, nil)
	for name, f := range map[string]func(){
		"stage past K":      func() { s.LogDensity(make([]float64, 2), z, 3) },
		"layer K":           func() { s.LayerLogDet(make([]float64, 2), z, 2) },
		"short destination": func() { s.LogDensity(make([]float64, 1), z, 1) },
		"3-D points":        func() { s.LogDensity(make([]float64, 2), mat.NewDense(2, 3, nil), 1) },
		"push past K":       func() { s.Push(z, z, 0, 3) },
		"push shape":        func() { s.Push(mat.NewDense(3, 2, nil), z, 0, 1) },
		"grid size":         func() { s.GridLogDensity(make([]float64, 5), PlaneGrid{NX: 2, NY: 2}, 0, 0, 1) },
		"grid rows":         func() { PlaneGrid{NX: 2, NY: 2}.Rows(1, 3) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// BenchmarkFlowStagesGrid is the flow view's dearest call: a 32-layer
// flow prior's model density on a 128² grid, a flow fit's stage 16 on the
// same grid (inversions), and one layer's log-det map.
func BenchmarkFlowStagesGrid(b *testing.B) {
	fp := perturbedFlowPrior(b, "planar", 32, 2, rand.New(rand.NewPCG(1, 2)), 0)
	g := PlaneGrid{X0: -4, Y0: -4, X1: 4, Y1: 4, NX: 128, NY: 128}
	dst := make([]float64, g.NX*g.NY)
	fit, err := NewEnergyFitter(Energies()[0].Energy, DefaultEnergyFitConfig("planar", 32), 3)
	if err != nil {
		b.Fatal(err)
	}
	prior, energy := FlowPriorStages(fp), fit.Stages()
	for _, bc := range []struct {
		name string
		run  func()
	}{
		{"prior-density", func() { prior.GridLogDensity(dst, g, 32, 0, g.NY) }},
		{"prior-logdet", func() { prior.GridLayerLogDet(dst, g, 16, 0, g.NY) }},
		{"energy-density-16", func() { energy.GridLogDensity(dst, g, 16, 0, g.NY) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.run()
			}
		})
	}
}
