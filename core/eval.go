package core

import (
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Encode writes the encoder's mean and/or log-variance of q₀(z|x) for the rows
// of x into mu and logvar (either may be nil; shaped n×d by the caller or
// resized here). These are the codes a latent-space view scatters.
func (m *Model) Encode(mu, logvar, x *mat.Dense) {
	em, elv, _ := m.Enc.Forward(x)
	n, d := em.Dims()
	if mu != nil {
		reshape(mu, n, d)
		mu.Copy(em)
	}
	if logvar != nil {
		reshape(logvar, n, d)
		logvar.Copy(elv)
	}
}

// SamplePosterior writes one draw z_K ~ q(z|x) per row of x into z (through
// the posterior flow when there is one): the aggregate posterior's samples.
func (m *Model) SamplePosterior(z, x *mat.Dense, rng *rand.Rand) {
	// Views call this between training steps, so the step's noise buffers
	// are free to reuse: a frame's posterior cloud allocates nothing.
	b := &m.buf
	mu, lv, extra := m.Enc.Forward(x)
	n, d := mu.Dims()
	reshape(z, n, d)
	reshape(&b.eps, n, d)
	eps := data(&b.eps)
	for i := range eps {
		eps[i] = pmath.NormFloat64(rng)
	}
	if m.Flow == nil {
		reparameterise(z, mu, lv, &b.eps)
		return
	}
	reshape(&b.z0, n, d)
	reparameterise(&b.z0, mu, lv, &b.eps)
	b.logdet = grow(b.logdet, n)
	m.Flow.Forward(z, b.logdet, &b.z0, extra)
}

// Decode writes E[x|z] for the rows of z into dst (resized to n×DataDim): the
// probabilities of a Bernoulli decoder or the means of a Gaussian one.
func (m *Model) Decode(dst, z *mat.Dense) {
	out := m.Dec.Forward(z)
	n, c := out.Dims()
	reshape(dst, n, c)
	m.Lik.Mean(dst, out)
}

// Reconstruct writes the decoded encoder means for the rows of x into dst.
func (m *Model) Reconstruct(dst, x *mat.Dense) {
	var mu mat.Dense
	m.Encode(&mu, nil, x)
	m.Decode(dst, &mu)
}

// SamplePrior writes draws z ~ p(z) into z (its rows say how many).
func (m *Model) SamplePrior(z *mat.Dense, rng *rand.Rand) { m.Prior.Sample(z, rng) }

// Generate writes n decoded prior samples E[x|z], z ~ p(z), into dst.
func (m *Model) Generate(dst *mat.Dense, n int, rng *rand.Rand) {
	z := &m.buf.zK // free between training steps
	reshape(z, n, m.Config.LatentDim)
	m.Prior.Sample(z, rng)
	m.Decode(dst, z)
}

// PriorLogProb writes log p(z) for the rows of z into dst: the prior density
// view evaluates a whole grid in one call. Priors with a faster path that
// keeps nothing for training (a flow prior's LogDensity) take it.
func (m *Model) PriorLogProb(dst []float64, z *mat.Dense) {
	if fast, ok := m.Prior.(interface{ LogDensity([]float64, *mat.Dense) }); ok {
		fast.LogDensity(dst, z)
		return
	}
	m.Prior.LogProb(dst, z)
}

// Evaluation holds per-dataset bounds (nats per example).
type Evaluation struct {
	ELBO float64 // mean over rows and samples of log w = log p(x,z) − log q(z|x)
	IWAE float64 // mean over rows of logmeanexpₖ log w: ≥ ELBO, → log p(x) as k grows
	K    int
	// Per-row values, in row order, for statistics.
	RowELBO, RowIWAE []float64
}

// evalChunk bounds the rows decoded at once during evaluation, and
// evalWeights the log-weights (rows × k) held at once.
const (
	evalChunk   = 1024
	evalWeights = 1 << 20
)

// Evaluate estimates the ELBO and the importance-weighted bound
// log p(x) ≥ E[logmeanexpₖ(log p(x,zₖ) + log p(zₖ) − log q(zₖ|x))] with k
// samples per row. Both use the same samples, so IWAE ≥ ELBO row by row, and
// with k = 1 they are equal.
func (m *Model) Evaluate(x *mat.Dense, k int, rng *rand.Rand) Evaluation {
	if k < 1 {
		k = 1
	}
	n, dim := x.Dims()
	d := m.Config.LatentDim
	ev := Evaluation{K: k, RowELBO: make([]float64, n), RowIWAE: make([]float64, n)}
	// The log-weights of one chunk at a time: memory stays bounded whatever
	// n·k a user asks for.
	chunk := min(evalChunk, max(1, evalWeights/k))
	logw := make([]float64, chunk*k)
	var eps, z0, zK, xc mat.Dense
	rec, logp, logdet := make([]float64, chunk), make([]float64, chunk), make([]float64, chunk)
	for start := 0; start < n; start += chunk {
		rows := min(chunk, n-start)
		xc.SetRawMatrix(x.Slice(start, start+rows, 0, dim).(*mat.Dense).RawMatrix())
		mu, lv, extra := m.Enc.Forward(&xc)
		var muC, lvC, exC mat.Dense
		muC.CloneFrom(mu)
		lvC.CloneFrom(lv)
		if extra != nil {
			exC.CloneFrom(extra)
			extra = &exC
		}
		reshape(&eps, rows, d)
		reshape(&z0, rows, d)
		reshape(&zK, rows, d)
		for s := 0; s < k; s++ {
			e := data(&eps)
			for i := range e {
				e[i] = pmath.NormFloat64(rng)
			}
			reparameterise(&z0, &muC, &lvC, &eps)
			z := &z0
			clear(logdet[:rows])
			if m.Flow != nil {
				m.Flow.Forward(&zK, logdet[:rows], &z0, extra)
				z = &zK
			}
			out := m.Dec.Forward(z)
			m.Lik.LogProb(rec[:rows], &xc, out)
			m.Prior.LogProb(logp[:rows], z)
			l := data(&lvC)
			for i := 0; i < rows; i++ {
				q := 0.0
				for j := 0; j < d; j++ {
					q += log2Pi + l[i*d+j] + float64(e[i*d+j]*e[i*d+j])
				}
				logq := float64(-0.5*q) - logdet[i]
				logw[i*k+s] = rec[i] + logp[i] - logq
			}
		}
		for i := 0; i < rows; i++ {
			w := logw[i*k : (i+1)*k]
			mean := 0.0
			for _, v := range w {
				mean += v
			}
			ev.RowELBO[start+i] = mean / float64(k)
			ev.RowIWAE[start+i] = LogMeanExp(w)
			ev.ELBO += ev.RowELBO[start+i]
			ev.IWAE += ev.RowIWAE[start+i]
		}
	}
	ev.ELBO /= float64(n)
	ev.IWAE /= float64(n)
	return ev
}

// ActiveUnitThreshold is the variance of E_q[z_j] across the data above which
// latent dimension j counts as active (Burda et al. 2016).
const ActiveUnitThreshold = 0.01

// ActiveUnits returns, per latent dimension, Var_x E_q[z_j|x] over the rows
// of x, and how many exceed ActiveUnitThreshold.
func (m *Model) ActiveUnits(x *mat.Dense) (variances []float64, active int) {
	var mu mat.Dense
	m.Encode(&mu, nil, x)
	n, d := mu.Dims()
	variances = make([]float64, d)
	for j := 0; j < d; j++ {
		mean, sq := 0.0, 0.0
		for i := 0; i < n; i++ {
			v := mu.At(i, j)
			mean += v
			sq += float64(v * v)
		}
		mean /= float64(n)
		variances[j] = math.Max(0, sq/float64(n)-float64(mean*mean))
		if variances[j] > ActiveUnitThreshold {
			active++
		}
	}
	return variances, active
}
