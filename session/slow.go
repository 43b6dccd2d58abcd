package session

import (
	"errors"
	"math"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// SlowStep is one training step taken apart for one data point, as the
// lessons' slow motion shows it: the encoder's μ and σ for x, a draw ε and
// z = μ + σ·ε, the decode of z, the reconstruction term log p(x|z), the
// KL term's single-sample estimate log q(z|x) − log p(z) (with the prior's
// log-density at z), and then the update: one real training step, after
// which x's code is μ′. Every number is the running model's.
type SlowStep struct {
	Row               int
	X                 []float64
	Mu, Sigma, Eps, Z []float64
	Decoded           []float64 // E[x|z]
	Recon             float64   // log p(x|z)
	LogQ, LogP        float64   // log q(z|x), log p(z)
	KL                float64   // log q(z|x) − log p(z): the KL term's estimate at this z
	// Analytic is KL(q(z|x) ‖ p(z)) in closed form where the prior has
	// one (NaN otherwise).
	Analytic float64
	// After the update (Updated): the step taken, x's code and decode.
	Updated    bool
	StepTaken  int
	MuAfter    []float64
	ReconAfter float64
	// awaited is the step count the update waits for and version the
	// session's Version when it was taken: a worker's step and its
	// parameters come back a frame or two after they were asked for.
	awaited, version int
}

// Slow takes the parts of a training step for row (of the training data)
// on the model as it is now, with ε from the seeded stream of draw (a
// posterior flow is not shown: its z is the flow's input z₀).
func (s *Session) Slow(row, draw int) (*SlowStep, error) {
	n, d := s.X.Dims()
	if row < 0 || row >= n {
		return nil, errors.New("no such point")
	}
	m := s.Model
	x := mat.NewDense(1, d, append([]float64(nil), s.X.RawRowView(row)...))
	var mu, lv mat.Dense
	m.Encode(&mu, &lv, x)
	k := s.Config.LatentDim
	st := &SlowStep{Row: row, X: x.RawRowView(0), Mu: append([]float64(nil), mu.RawRowView(0)...),
		Sigma: make([]float64, k), Eps: make([]float64, k), Z: make([]float64, k)}
	rng := s.measureRNG(0x5104 + uint64(draw))
	logq := 0.0
	for j := range k {
		st.Sigma[j] = math.Exp(0.5 * lv.At(0, j))
		st.Eps[j] = pmath.NormFloat64(rng)
		st.Z[j] = st.Mu[j] + st.Sigma[j]*st.Eps[j]
		logq += -0.5 * (math.Log(2*math.Pi) + lv.At(0, j) + st.Eps[j]*st.Eps[j])
	}
	z := mat.NewDense(1, k, append([]float64(nil), st.Z...))
	var dec mat.Dense
	m.Decode(&dec, z)
	st.Decoded = append([]float64(nil), dec.RawRowView(0)...)
	st.Recon = s.reconAt(x, z)
	lp := make([]float64, 1)
	m.PriorLogProb(lp, z)
	st.LogQ, st.LogP = logq, lp[0]
	st.KL = logq - lp[0]
	st.Analytic = math.NaN()
	if a, ok := m.Prior.(core.AnalyticKL); ok {
		kl := mat.NewDense(1, k, nil)
		a.KL(kl, &mu, &lv)
		st.Analytic = 0
		for _, v := range kl.RawRowView(0) {
			st.Analytic += v
		}
	}
	return st, nil
}

// reconAt is log p(x|z) for one row.
func (s *Session) reconAt(x, z *mat.Dense) float64 {
	out := s.Model.Dec.Forward(z)
	lp := make([]float64, 1)
	s.Model.Lik.LogProb(lp, x, out)
	return lp[0]
}

// SlowUpdate takes the update of a slow step: one training step (paused),
// then x's code and the reconstruction of the same z again. On the page
// they are read at once; a worker's step arrives later, and until
// SlowSettle sees it (Updated false) they are the model's as it was.
func (s *Session) SlowUpdate(st *SlowStep) {
	st.Updated, st.awaited, st.version = false, s.Steps()+1, s.Version
	s.Step()
	s.readAfter(st)
	s.SlowSettle(st)
}

// SlowSettle reads x's code and reconstruction after the update once the
// model has its step (call it each frame, or when checking), and reports
// whether the update is done.
func (s *Session) SlowSettle(st *SlowStep) bool {
	if st.Updated || st.awaited == 0 {
		return st.Updated
	}
	if s.Steps() < st.awaited || s.Version == st.version {
		return false // the step, or the parameters after it, still on the way
	}
	s.readAfter(st)
	st.Updated, st.StepTaken = true, s.Steps()
	return true
}

// readAfter reads x's code and the reconstruction of the same z on the
// model as it is.
func (s *Session) readAfter(st *SlowStep) {
	x := mat.NewDense(1, len(st.X), append([]float64(nil), st.X...))
	var mu mat.Dense
	s.Model.Encode(&mu, nil, x)
	st.MuAfter = append([]float64(nil), mu.RawRowView(0)...)
	st.ReconAfter = s.reconAt(x, mat.NewDense(1, len(st.Z), append([]float64(nil), st.Z...)))
	st.StepTaken = s.Steps()
}
