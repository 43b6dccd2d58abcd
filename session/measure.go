package session

import (
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// Measurements of the running model that the lessons watch. Each one is
// computed on the drawing model (the game's goroutine), from a fixed random
// stream, on at most a few hundred rows: cheap enough to run a few times a
// second.

// measureRows bounds the rows a measurement encodes or decodes.
const measureRows = 400

// measureRNG is the measurements' random stream (the same every call, so a
// number moves only when the model does).
func (s *Session) measureRNG(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(s.Values.Int("seed")), stream))
}

// sampleRows is up to n rows of the training data, evenly spread.
func (s *Session) sampleRows(n int) *mat.Dense {
	rows, d := s.X.Dims()
	if rows <= n {
		return s.X
	}
	out := mat.NewDense(n, d, nil)
	for i := range n {
		out.SetRow(i, s.X.RawRowView(i*rows/n))
	}
	return out
}

// PriorFit compares how well the prior and N(0, I) explain the codes: the
// mean of log p(z) and of log N(z; 0, I) over draws z ~ q(z|x) of the
// training data (the aggregate posterior), in nats. With the two-stage
// prior's second stage fitted, p is the second stage. The standard prior
// gives equal numbers; a learnt prior that fits the codes a larger first.
func (s *Session) PriorFit() (prior, standard float64) {
	x := s.sampleRows(measureRows)
	var z mat.Dense
	s.Model.SamplePosterior(&z, x, s.measureRNG(0x1e55))
	n, d := z.Dims()
	lp := make([]float64, n)
	if st := s.Stage2; st.Ready() {
		st.Prior.ScoreCodes(lp, &z, 8, s.measureRNG(0x1e56))
	} else {
		s.Model.PriorLogProb(lp, &z)
	}
	std := &core.StandardNormal{D: d}
	ls := make([]float64, n)
	std.LogProb(ls, &z)
	return mean(lp), mean(ls)
}

// HoleFraction draws n codes from the prior (the second stage once fitted),
// decodes them (the decoder's mean) and returns the fraction that land
// farther than radius from every training point, and radius: a tenth of
// the data's RMS distance from their mean. Those samples come from places
// of the prior that no data point's code occupies: the holes.
func (s *Session) HoleFraction(n int) (frac, radius float64) {
	if n <= 0 {
		n = measureRows
	}
	z := mat.NewDense(n, s.Config.LatentDim, nil)
	rng := s.measureRNG(0x401e)
	if st := s.Stage2; st.Ready() {
		st.Prior.SampleCodes(z, rng)
	} else {
		s.Model.SamplePrior(z, rng)
	}
	var dec mat.Dense
	s.Model.Decode(&dec, z)
	data := s.sampleRows(4 * measureRows)
	radius = 0.1 * rmsRadius(data)
	far := 0
	rows, _ := dec.Dims()
	for i := range rows {
		if nearest(data, dec.RawRowView(i)) > radius {
			far++
		}
	}
	return float64(far) / float64(rows), radius
}

// rmsRadius is the root mean square distance of the rows from their mean.
func rmsRadius(x *mat.Dense) float64 {
	n, d := x.Dims()
	c := make([]float64, d)
	for i := range n {
		for j, v := range x.RawRowView(i) {
			c[j] += v / float64(n)
		}
	}
	ss := 0.0
	for i := range n {
		for j, v := range x.RawRowView(i) {
			ss += (v - c[j]) * (v - c[j])
		}
	}
	return math.Sqrt(ss / float64(n))
}

// nearest is the distance from p to the closest row of x.
func nearest(x *mat.Dense, p []float64) float64 {
	n, _ := x.Dims()
	best := math.Inf(1)
	for i := range n {
		ss := 0.0
		for j, v := range x.RawRowView(i) {
			ss += (v - p[j]) * (v - p[j])
		}
		best = math.Min(best, ss)
	}
	return math.Sqrt(best)
}

// DecoderSpread is the Bayesian decoder's spread at the codes of the data
// and far from them: the RMS distance of its decodes under sampled weights
// from their mean, averaged over up to 50 codes of the training data, and
// over as many codes drawn at radius far (in the latent view's units) in
// evenly spread directions of the first two dimensions. ok is false without
// a Bayesian decoder.
func (s *Session) DecoderSpread(far float64) (atData, away float64, ok bool) {
	m := s.Model
	if !m.Config.Bayes.Decoder {
		return 0, 0, false
	}
	const codes, samples = 50, 32
	var mu mat.Dense
	m.Encode(&mu, nil, s.sampleRows(codes))
	n, d := mu.Dims()
	farZ := mat.NewDense(n, d, nil)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		farZ.Set(i, 0, far*math.Cos(a))
		if d > 1 {
			farZ.Set(i, 1, far*math.Sin(a))
		}
	}
	rng := s.measureRNG(0xba7e)
	return cloudSpread(m, &mu, samples, rng), cloudSpread(m, farZ, samples, rng), true
}

// cloudSpread is the mean over the rows of z of the RMS spread of the
// decoder's predictive cloud (samples decodes under sampled weights).
func cloudSpread(m *core.Model, z *mat.Dense, samples int, rng *rand.Rand) float64 {
	var c mat.Dense
	m.PredictiveCloud(&c, z, samples, rng)
	n, _ := z.Dims()
	_, dim := c.Dims()
	total := 0.0
	for i := range n {
		mean := make([]float64, dim)
		for k := range samples {
			for j, v := range c.RawRowView(k*n + i) {
				mean[j] += v / float64(samples)
			}
		}
		ss := 0.0
		for k := range samples {
			for j, v := range c.RawRowView(k*n + i) {
				ss += (v - mean[j]) * (v - mean[j])
			}
		}
		total += math.Sqrt(ss / float64(samples))
	}
	return total / float64(n)
}

// CodeMMD is the MMD² between codes of the training data (draws of the
// aggregate posterior) and as many prior samples, with the kernel the
// settings name (inverse multiquadric by default).
func (s *Session) CodeMMD() float64 {
	x := s.sampleRows(measureRows / 2)
	var z mat.Dense
	rng := s.measureRNG(0x33d)
	s.Model.SamplePosterior(&z, x, rng)
	n, d := z.Dims()
	p := mat.NewDense(n, d, nil)
	s.Model.SamplePrior(p, rng)
	return core.MMD2(nil, 0, &z, p, s.Values.Choice("mmdk"), core.MMDBandwidth(p))
}

// ActiveUnits counts the latent dimensions in use (Burda et al.'s
// variance of the encoder mean across the data, above
// core.ActiveUnitThreshold), with each dimension's variance.
func (s *Session) ActiveUnits() (variances []float64, active int) {
	return s.Model.ActiveUnits(s.sampleRows(measureRows))
}
