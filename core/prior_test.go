package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// checkPriorGradients checks ∂(Σᵢ gᵢ·log p(zᵢ)) with respect to z and to
// every parameter in ps (which holds the prior's parameters, and for a
// VampPrior the encoder's too).
func checkPriorGradients(t *testing.T, name string, p Prior, ps *Params, rng *rand.Rand, zScale float64) {
	t.Helper()
	n, d := 6, p.Dim()
	z := randDense(rng, n, d, zScale)
	g := make([]float64, n)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	lp := make([]float64, n)
	f := func() float64 {
		p.LogProb(lp, z)
		s := 0.0
		for i, v := range lp {
			s += g[i] * v
		}
		return s
	}
	f()
	ps.ZeroGrads()
	dz := mat.NewDense(n, d, nil)
	p.LogProbBackward(dz, g)
	checkGradient(t, name+" ∂/∂z", f, data(z), data(dz), 1e-6)
	if ps.Len() > 0 {
		checkGradient(t, name+" ∂/∂θ", f, ps.Values(), ps.Grads(), 1e-6)
	}
	// dz == nil must still give the parameter gradients.
	f()
	want := append([]float64(nil), ps.Grads()...)
	ps.ZeroGrads()
	p.LogProbBackward(nil, g)
	for i, v := range ps.Grads() {
		if math.Abs(v-want[i]) > 1e-12*(1+math.Abs(v)) {
			t.Fatalf("%s: parameter gradient %d is %v with dz = nil, %v with dz", name, i, v, want[i])
		}
	}
}

// logDensityFunc writes log p(zᵢ) for the rows of z into dst.
type logDensityFunc func(dst []float64, z *mat.Dense)

// integrate2D is the midpoint rule for ∫ exp(logp) over [−half, half]² on an
// n×n grid, evaluated one grid row at a time as a batch.
func integrate2D(logp logDensityFunc, half float64, n int) float64 {
	h := 2 * half / float64(n)
	z := mat.NewDense(n, 2, nil)
	lp := make([]float64, n)
	sum := 0.0
	for a := range n {
		for b := range n {
			z.Set(b, 0, -half+(float64(a)+0.5)*h)
			z.Set(b, 1, -half+(float64(b)+0.5)*h)
		}
		logp(lp, z)
		for _, v := range lp {
			sum += math.Exp(v)
		}
	}
	return sum * h * h
}

// checkSamplesMatchDensity draws samples and compares their histogram on a
// cells×cells grid over [−half, half]² (plus one bin for everything outside)
// with the cell probabilities integrated from the density, by Pearson's χ²
// test. With a fixed seed the test is deterministic; the threshold is the
// 1 − 1e-6 quantile, so a correct sampler fails with probability ~1e-6 for a
// fresh seed, while a wrong one (a swapped axis, a wrong variance, a wrong
// inverse) gives a χ² in the thousands.
func checkSamplesMatchDensity(t *testing.T, name string, logp logDensityFunc, sample func(dst *mat.Dense), half float64) {
	t.Helper()
	checkSamplesMatchDensityN(t, name, logp, sample, half, 20000)
}

// checkSamplesMatchDensityN is checkSamplesMatchDensity with nSamples draws:
// fewer when the density itself is only estimated, so that the test's
// resolution stays coarser than the estimate's noise.
func checkSamplesMatchDensityN(t *testing.T, name string, logp logDensityFunc, sample func(dst *mat.Dense), half float64, nSamples int) {
	t.Helper()
	const cells, sub = 8, 24
	prob := make([]float64, cells*cells+1)
	h := 2 * half / float64(cells*sub)
	z := mat.NewDense(cells*sub, 2, nil)
	lp := make([]float64, cells*sub)
	inside := 0.0
	for a := range cells * sub {
		for b := range cells * sub {
			z.Set(b, 0, -half+(float64(a)+0.5)*h)
			z.Set(b, 1, -half+(float64(b)+0.5)*h)
		}
		logp(lp, z)
		for b, v := range lp {
			c := (a/sub)*cells + b/sub
			pr := math.Exp(v) * h * h
			prob[c] += pr
			inside += pr
		}
	}
	prob[cells*cells] = max(0, 1-inside)
	samples := mat.NewDense(nSamples, 2, nil)
	sample(samples)
	count := make([]float64, len(prob))
	for i := range nSamples {
		x, y := samples.At(i, 0), samples.At(i, 1)
		a := int(math.Floor((x + half) / (2 * half) * cells))
		b := int(math.Floor((y + half) / (2 * half) * cells))
		if a < 0 || a >= cells || b < 0 || b >= cells || math.IsNaN(x) || math.IsNaN(y) {
			count[cells*cells]++
			continue
		}
		count[a*cells+b]++
	}
	// Pool cells expected to hold fewer than 5 samples (χ²'s rule of thumb).
	var chi2, pooledE, pooledO float64
	df := -1
	for c, pr := range prob {
		e := pr * float64(nSamples)
		if e < 5 {
			pooledE += e
			pooledO += count[c]
			continue
		}
		chi2 += (count[c] - e) * (count[c] - e) / e
		df++
	}
	if pooledE > 0 {
		chi2 += (pooledO - pooledE) * (pooledO - pooledE) / max(pooledE, 1)
		df++
	}
	limit := distuv.ChiSquared{K: float64(df)}.Quantile(1 - 1e-6)
	if chi2 > limit {
		t.Errorf("%s: samples disagree with the density: χ² = %.1f on %d degrees of freedom (limit %.1f)", name, chi2, df, limit)
	}
}

// priorDensity adapts a Prior to logDensityFunc.
func priorDensity(p Prior) logDensityFunc { return p.LogProb }

func TestLearnableGaussianPrior(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	var ps Params
	p := NewLearnableGaussian(&ps, 2)
	ps.Allocate(rng)
	copy(data(p.Mean.Value), []float64{0.7, -0.4})
	copy(data(p.LogVar.Value), []float64{-0.5, 0.8})
	checkPriorGradients(t, "gaussian", p, &ps, rng, 1.5)

	// Analytic KL and its gradients (μ, logvar and the prior's parameters).
	mu, lv := randDense(rng, 4, 2, 1), randDense(rng, 4, 2, 1)
	g := randDense(rng, 4, 2, 1)
	kl := mat.NewDense(4, 2, nil)
	f := func() float64 { p.KL(kl, mu, lv); return dotDense(kl, g) }
	f()
	ps.ZeroGrads()
	dmu, dlv := mat.NewDense(4, 2, nil), mat.NewDense(4, 2, nil)
	p.KLBackward(dmu, dlv, g)
	checkGradient(t, "gaussian KL μ", f, data(mu), data(dmu), 1e-6)
	checkGradient(t, "gaussian KL logvar", f, data(lv), data(dlv), 1e-6)
	checkGradient(t, "gaussian KL θ", f, ps.Values(), ps.Grads(), 1e-6)

	// The closed form agrees with a Monte Carlo estimate of E_q[log q − log p].
	q := mat.NewDense(1, 2, []float64{0.3, -1.1})
	qlv := mat.NewDense(1, 2, []float64{-0.7, 0.2})
	one := mat.NewDense(1, 2, nil)
	p.KL(one, q, qlv)
	want := one.At(0, 0) + one.At(0, 1)
	const n = 200000
	zs := mat.NewDense(n, 2, nil)
	for i := range n {
		for j := range 2 {
			zs.Set(i, j, q.At(0, j)+math.Exp(0.5*qlv.At(0, j))*rng.NormFloat64())
		}
	}
	lp := make([]float64, n)
	p.LogProb(lp, zs)
	est := 0.0
	for i := range n {
		est += gaussianLogDensity(zs.RawRowView(i), q.RawRowView(0), qlv.RawRowView(0)) - lp[i]
	}
	est /= n
	if math.Abs(est-want) > 0.02 {
		t.Errorf("analytic KL %v, Monte Carlo %v", want, est)
	}

	if got := integrate2D(priorDensity(p), 10, 300); math.Abs(got-1) > 1e-4 {
		t.Errorf("gaussian prior integrates to %v", got)
	}
	checkSamplesMatchDensity(t, "gaussian", priorDensity(p), func(dst *mat.Dense) { p.Sample(dst, rng) }, 4)
}

func newTestMixture(rng *rand.Rand, k int) (*Mixture, *Params) {
	var ps Params
	p := NewMixture(&ps, k, 2)
	ps.Allocate(rng)
	for i := range data(p.Logits.Value) {
		data(p.Logits.Value)[i] = rng.NormFloat64()
	}
	for i := range data(p.Means.Value) {
		data(p.Means.Value)[i] = 2 * (2*rng.Float64() - 1)
	}
	for i := range data(p.LogVars.Value) {
		data(p.LogVars.Value)[i] = -2 + 2*rng.Float64() // σ ∈ [0.37, 1]
	}
	return p, &ps
}

func TestMixturePrior(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, k := range []int{1, 3, 8} {
		p, ps := newTestMixture(rng, k)
		name := fmt.Sprintf("mixture K=%d", k)
		checkPriorGradients(t, name, p, ps, rng, 1.5)
		// Means within ±2 and σ ≤ 1 leave < 1e-6 of the mass outside ±8.
		if got := integrate2D(priorDensity(p), 8, 400); math.Abs(got-1) > 1e-4 {
			t.Errorf("%s integrates to %v", name, got)
		}
		checkSamplesMatchDensity(t, name, priorDensity(p), func(dst *mat.Dense) { p.Sample(dst, rng) }, 4)
	}
}

func TestMixtureComponentsAndSetMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	p, _ := newTestMixture(rng, 3)
	cs := p.Components()
	sum := 0.0
	for _, c := range cs {
		sum += c.Weight
	}
	if len(cs) != 3 || math.Abs(sum-1) > 1e-12 {
		t.Fatalf("components %v: weights sum to %v", cs, sum)
	}
	if err := p.SetMean(1, []float64{3, -2}); err != nil {
		t.Fatal(err)
	}
	if got := p.Components()[1].Mean; got[0] != 3 || got[1] != -2 {
		t.Fatalf("mean after SetMean: %v", got)
	}
	// Moving a component moves the density's mode there.
	lp := make([]float64, 2)
	p.LogProb(lp, mat.NewDense(2, 2, []float64{3, -2, 3.5, -2.5}))
	if !(lp[0] > lp[1]) {
		t.Errorf("density at the dragged mean %v not above a nearby point %v", lp[0], lp[1])
	}
	for _, bad := range []struct {
		k    int
		mean []float64
	}{{-1, []float64{0, 0}}, {3, []float64{0, 0}}, {0, []float64{0}}, {0, []float64{math.NaN(), 0}}} {
		if err := p.SetMean(bad.k, bad.mean); err == nil {
			t.Errorf("SetMean(%d, %v) accepted", bad.k, bad.mean)
		}
	}
}

func TestMixtureSetVariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(47, 48))
	p, _ := newTestMixture(rng, 3)
	if err := p.SetVariance(2, []float64{0.25, 4}); err != nil {
		t.Fatal(err)
	}
	if got := p.Components()[2].Var; math.Abs(got[0]-0.25) > 1e-12 || math.Abs(got[1]-4) > 1e-12 {
		t.Fatalf("variance after SetVariance: %v", got)
	}
	for _, bad := range []struct {
		k int
		v []float64
	}{{3, []float64{1, 1}}, {0, []float64{1}}, {0, []float64{0, 1}}, {0, []float64{-1, 1}},
		{0, []float64{math.Inf(1), 1}}, {0, []float64{math.NaN(), 1}}} {
		before := p.Components()[0].Var
		if err := p.SetVariance(bad.k, bad.v); err == nil {
			t.Errorf("SetVariance(%d, %v) accepted", bad.k, bad.v)
		}
		if after := p.Components()[0].Var; after[0] != before[0] || after[1] != before[1] {
			t.Errorf("a refused SetVariance changed component 0: %v → %v", before, after)
		}
	}
}
