package lessons

import (
	"math"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// The "priors" lesson follows the argument of the playground's question:
// the standard prior and why it is convenient; the KL term as a regulariser
// and what happens when it loses (holes) or wins (collapse); the remedies
// when p(z) is unknown (a flow prior, a mixture, the VampPrior, Bayesian
// weights, a second stage, soft regularisation); and the priors' numbers
// side by side.

// The 2-D set every step of the lesson trains on: eight clusters whose
// codes cannot all sit where N(0, I) puts its mass.
const priorsData = "data=8gaussians"

// Thresholds of the checks.
const (
	// collapsedKL is the KL (nats) below which a dimension counts as
	// collapsed: it carries next to no information.
	collapsedKL = 0.05
	// holeSteps is the training a hole measure waits for (a young model's
	// samples are all over the place).
	holeSteps = 1000
)

var priors = &Lesson{Name: "priors", Steps: []*Step{
	{ID: "standard", Config: priorsData,
		Formula: "ELBO = E_{q(z|x)}[log p(x|z)] − KL(q(z|x) ‖ p(z))\np(z) = N(0, I):  KL = ½ Σ_j (μ_j^2 + σ_j^2 − log σ_j^2 − 1)",
		Views:   []string{"data", "latent", "loss"}, Controls: []string{"lr", "speed"},
		Checks: []Check{{ID: "trained", Watch: watchTrained}}},
	{ID: "kl", Config: priorsData,
		Formula: "β · KL(q(z|x) ‖ p(z)) = β Σ_j KL_j",
		Views:   []string{"latent", "loss", "kl"}, Controls: []string{"speed"},
		Checks: []Check{{ID: "pull", Watch: watchPull}}},
	{ID: "holes", Config: priorsData,
		Formula: "q(z) = (1/N) Σ_n q(z|x_n)  ≠  p(z)",
		Views:   []string{"latent", "data"}, Controls: []string{"speed"},
		Checks: []Check{{ID: "holes", Watch: watchHoles("standard", 0)}}},
	{ID: "collapse", Config: priorsData, Act: "beta=4",
		Formula: "L_β = E_q[log p(x|z)] − β · KL(q(z|x) ‖ p(z))",
		Views:   []string{"latent", "kl", "data"}, Controls: []string{"beta", "speed"},
		Checks: []Check{{ID: "beta", Watch: watchBeta}, {ID: "collapsed", Watch: watchCollapsed}}},
	{ID: "freebits", Config: priorsData + "&beta=4", Act: "freebits=0.5",
		Formula: "Σ_j max(λ, KL_j)",
		Views:   []string{"latent", "kl", "data"}, Controls: []string{"freebits", "beta", "speed"},
		Checks: []Check{{ID: "open", Watch: watchFreeBits}}},
	{ID: "flow", Config: priorsData + "&prior=flow&pflowK=8",
		Formula: "log p(z) = log N(g(z); 0, I) + log |det ∂g/∂z|",
		Views:   []string{"latent", "flow", "data"}, Controls: []string{"pflow", "pflowK", "speed"},
		Checks: []Check{{ID: "holes", Watch: watchHoles("flow", 0.5)}}},
	{ID: "flowgain", Config: priorsData + "&prior=flow&pflowK=8", Compare: "prior:standard",
		Formula: "ELBO_{flow} − ELBO_{N(0, I)}",
		Checks:  []Check{{ID: "gain", Watch: watchGain}}},
	{ID: "mixture", Config: priorsData + "&prior=mixture&comps=8",
		Formula: "p(z) = Σ_{k=1}^{K} π_k N(z; m_k, diag s_k^2)",
		Views:   []string{"latent", "data"}, Controls: []string{"comps", "speed"},
		Checks: []Check{{ID: "drift", Watch: watchDrift}, {ID: "holes", Watch: watchHoles("mixture", 0.5)}}},
	{ID: "vamp", Config: priorsData + "&prior=vamp&comps=8",
		Formula: "p(z) = (1/K) Σ_{k=1}^{K} q(z|u_k)",
		Views:   []string{"latent", "data"}, Controls: []string{"comps", "speed"},
		Checks: []Check{{ID: "holes", Watch: watchHoles("vamp", 0.5)}}},
	{ID: "bayes", Config: priorsData + "&bayes=1",
		Formula: "p(x|z) = ∫ p(x|z, w) q(w) dw",
		Views:   []string{"data", "latent"}, Controls: []string{"speed"},
		Checks: []Check{{ID: "spread", Watch: watchSpread}}},
	{ID: "twostage", Config: priorsData + "&prior=two-stage", Act: "stage2", ActAfter: 1,
		Formula: "z ~ q(z|x)  →  u ~ q_2(u|z),  p(z) = ∫ p_2(z|u) N(u; 0, I) du",
		Views:   []string{"latent", "data"}, Controls: []string{"speed"},
		Checks: []Check{{ID: "trained", Watch: watchStageOne}, {ID: "fitted", Watch: watchStageTwo}}},
	{ID: "mmd", Config: priorsData + "&beta=0.1", Act: "mmd=50", ActAfter: 1,
		Formula: "L = E_q[log p(x|z)] − β · KL − λ · MMD^2(q(z), p(z))",
		Views:   []string{"latent", "data", "loss"}, Controls: []string{"mmd", "beta", "speed"},
		Checks: []Check{{ID: "spread", Watch: watchMMDSpread}, {ID: "matched", Watch: watchMMDMatched}}},
	{ID: "compare", Config: priorsData, Compare: "prior:mixture",
		Formula: "log p(x) ≥ IWAE_k ≥ ELBO",
		Checks:  []Check{{ID: "table", Watch: watchTable}}},
	{ID: "slow", Config: priorsData, Slow: true,
		Formula: "z = μ + σ · ε,   ε ~ N(0, I)\nELBO(x) ≈ log p(x|z) − (log q(z|x) − log p(z))",
		Views:   []string{"data", "latent"}, Controls: []string{"speed"},
		Checks: []Check{{ID: "seen", Watch: watchSlow}}},
}}

// elboKey is where the memory keeps the ELBO a prior reached.
func elboKey(prior string) string { return "elbo " + prior }

// trainedSteps is the training after which a prior's ELBO is remembered
// for the last step's line-up.
const trainedSteps = 2000

// watchTrained compares the ELBO's moving average with the model's first
// step (the history's first point: training may come in jumps of many
// steps between two looks).
func watchTrained(w *Watch) Result {
	h := &w.S.History
	if h.Len() == 0 || len(h.Loss) == 0 {
		return Result{Msg: msg("priors.standard.trained.wait0")}
	}
	start := -h.Loss[0]
	steps := w.S.Steps() - int(h.Step[0]) + 1
	if steps >= 300 && h.Ema-start >= 0.3 {
		return Result{Done: true, Msg: msg("priors.standard.trained.done", nats(start), nats(h.Ema), steps, nats(h.Last.KL))}
	}
	return Result{Msg: msg("priors.standard.trained.wait", nats(h.Ema), w.S.Steps())}
}

func klSum(kl []float64) float64 {
	s := 0.0
	for _, v := range kl {
		s += v
	}
	return s
}

func watchPull(w *Watch) Result {
	h := &w.S.History
	if len(w.KL) < 2 {
		return Result{Msg: msg("priors.kl.pull.wait0")}
	}
	kl := klSum(w.KL)
	if kl >= 1.5 && w.S.Steps() >= 300 {
		return Result{Done: true, Msg: msg("priors.kl.pull.done", nats(kl), nats(w.KL[0]), nats(w.KL[1]), nats(h.Last.Recon))}
	}
	return Result{Msg: msg("priors.kl.pull.wait", nats(kl), nats(h.Last.Recon))}
}

// watchHoles measures the share of prior samples that decode far from the
// data, remembers it under the prior's name, and fires when the model has
// trained holeSteps and (below > 0) the share is under below times the
// standard prior's share the lesson saw, or 2 % without one. For the
// standard prior (below 0) it fires once there are holes to see.
func watchHoles(prior string, below float64) func(w *Watch) Result {
	return func(w *Watch) Result {
		s := w.S
		if s.Steps() < holeSteps {
			return Result{Msg: msg("priors.holes.wait0", s.Steps(), holeSteps)}
		}
		frac, radius := s.HoleFraction(0)
		w.mem.Put("holes "+prior, frac)
		if below == 0 {
			if frac >= 0.02 {
				return Result{Done: true, Msg: msg("priors.holes.holes.done", pct(frac), 400, nats(radius))}
			}
			return Result{Msg: msg("priors.holes.wait", s.Steps(), pct(frac))}
		}
		std, seen := w.mem.Get("holes standard")
		switch {
		case seen && frac <= below*std:
			return Result{Done: true, Msg: msg("priors.holes.fewer", priorName(prior), pct(frac), pct(std))}
		case !seen && frac <= 0.02:
			return Result{Done: true, Msg: msg("priors.holes.few", priorName(prior), pct(frac))}
		}
		return Result{Msg: msg("priors.holes.wait", s.Steps(), pct(frac))}
	}
}

// priorName is a prior's name in the messages (a word of no language).
func priorName(kind string) string {
	if kind == "standard" {
		return "N(0, I)"
	}
	return kind
}

func watchBeta(w *Watch) Result {
	b := w.S.Values.Get("beta")
	if b >= 3 {
		w.Memo["betaAt"] = float64(w.S.Steps())
		return Result{Done: true, Msg: msg("priors.collapse.beta.done", Num{b, 1})}
	}
	return Result{Msg: msg("priors.collapse.beta.wait", Num{b, 1})}
}

func watchCollapsed(w *Watch) Result {
	s := w.S
	if len(w.KL) == 0 {
		return Result{Msg: msg("priors.kl.pull.wait0")}
	}
	if s.Values.Get("beta") < 3 {
		return Result{Msg: msg("priors.collapse.beta.wait", Num{s.Values.Get("beta"), 1})}
	}
	j := argmin(w.KL)
	if w.KL[j] < collapsedKL && float64(s.Steps())-w.Memo["betaAt"] >= 100 {
		_, active := s.ActiveUnits()
		return Result{Done: true, Msg: msg("priors.collapse.collapsed.done", j+1, Num{w.KL[j], 3}, active, len(w.KL))}
	}
	return Result{Msg: msg("priors.collapse.collapsed.wait", klList(w.KL))}
}

func argmin(xs []float64) int {
	j := 0
	for i, v := range xs {
		if v < xs[j] {
			j = i
		}
	}
	return j
}

// klList writes the KL per dimension ("z1 0.84 · z2 0.85"), numbers as
// in English (subscripts and digits read the same in every language).
type klList []float64

func (k klList) String() string {
	out := ""
	for j, v := range k {
		if j > 0 {
			out += " · "
		}
		out += "z" + string(rune('₁'+j)) + " " + Num{v, 2}.String()
	}
	return out
}

func watchFreeBits(w *Watch) Result {
	s := w.S
	fb := s.Values.Get("freebits")
	if len(w.KL) == 0 {
		return Result{Msg: msg("priors.kl.pull.wait0")}
	}
	if fb < 0.25 {
		delete(w.Memo, "fbAt")
		return Result{Msg: msg("priors.freebits.open.wait0", Num{fb, 2}, klList(w.KL))}
	}
	at, ok := w.Memo["fbAt"]
	if !ok {
		at = float64(s.Steps())
		w.Memo["fbAt"] = at
	}
	j := argmin(w.KL)
	if float64(s.Steps())-at >= 200 && w.KL[j] >= 0.7*fb {
		return Result{Done: true, Msg: msg("priors.freebits.open.done", Num{fb, 2}, klList(w.KL), Num{s.Values.Get("beta"), 1})}
	}
	return Result{Msg: msg("priors.freebits.open.wait", Num{fb, 2}, klList(w.KL))}
}

func watchGain(w *Watch) Result {
	c := w.Cmp
	if c == nil {
		return Result{Msg: msg("priors.compare.off")}
	}
	res := c.Results()
	steps := min(c.A.Steps(), c.B.Steps())
	if len(res.Rows) == 0 || steps < 1500 {
		return Result{Msg: msg("priors.compare.wait", steps, 1500)}
	}
	e := res.Rows[0] // ELBO: A is the flow prior, B the standard one
	gain := e.A - e.B
	if gain > 0 && e.Exceeds && res.Steps[0] >= 1500 {
		return Result{Done: true, Msg: msg("priors.flowgain.gain.done", nats(gain), nats(e.A), nats(e.B), nats(e.Spread), res.Steps[0])}
	}
	return Result{Msg: msg("priors.flowgain.gain.wait", nats(gain), nats(e.Spread), res.Steps[0])}
}

// watchDrift: every class's codes (the encoder means of its points) have
// a mixture component within one component standard deviation of their
// centre.
func watchDrift(w *Watch) Result {
	s := w.S
	mix, ok := s.Model.Prior.(*core.Mixture)
	if !ok || s.Data.Labels == nil {
		return Result{Msg: msg("priors.mixture.drift.none")}
	}
	if s.Steps() < 300 {
		return Result{Msg: msg("priors.holes.wait0", s.Steps(), 300)}
	}
	var mu mat.Dense
	s.Model.Encode(&mu, nil, s.X)
	n, d := mu.Dims()
	classes := len(s.Data.LabelNames)
	centres := make([][]float64, classes)
	counts := make([]int, classes)
	for i := range n {
		k := s.Data.Labels[i]
		if centres[k] == nil {
			centres[k] = make([]float64, d)
		}
		for j := range d {
			centres[k][j] += mu.At(i, j)
		}
		counts[k]++
	}
	comps := mix.Components()
	// A component counts as on a cluster within half the gap between the
	// two nearest cluster centres.
	for k := range classes {
		if counts[k] > 0 {
			for j := range d {
				centres[k][j] /= float64(counts[k])
			}
		}
	}
	gap := math.Inf(1)
	for a := range classes {
		for b := range a {
			if counts[a] > 0 && counts[b] > 0 {
				gap = math.Min(gap, dist(centres[a], centres[b]))
			}
		}
	}
	within := gap / 2
	near, farthest, used := 0, 0.0, 0
	for k := range classes {
		if counts[k] == 0 {
			continue
		}
		used++
		best := math.Inf(1)
		for _, c := range comps {
			best = math.Min(best, dist(centres[k], c.Mean))
		}
		farthest = math.Max(farthest, best)
		if best <= within {
			near++
		}
	}
	if near == used {
		return Result{Done: true, Msg: msg("priors.mixture.drift.done", used, nats(farthest), nats(within))}
	}
	return Result{Msg: msg("priors.mixture.drift.wait", near, used, nats(farthest), nats(within))}
}

func dist(a, b []float64) float64 {
	s := 0.0
	for j := range a {
		s += (a[j] - b[j]) * (a[j] - b[j])
	}
	return math.Sqrt(s)
}

// spreadRadius is how far from the origin the Bayesian decoder is asked
// about (the codes of the 2-D sets lie within about 2).
const spreadRadius = 4

func watchSpread(w *Watch) Result {
	s := w.S
	if s.Steps() < holeSteps {
		return Result{Msg: msg("priors.holes.wait0", s.Steps(), holeSteps)}
	}
	at, away, ok := s.DecoderSpread(spreadRadius)
	if !ok {
		return Result{Msg: msg("priors.bayes.spread.none")}
	}
	ratio := away / at
	if ratio >= 1.2 {
		return Result{Done: true, Msg: msg("priors.bayes.spread.done", nats(away), spreadRadius, Num{ratio, 1}, nats(at))}
	}
	return Result{Msg: msg("priors.bayes.spread.wait", nats(away), nats(at))}
}

func watchStageOne(w *Watch) Result {
	s := w.S
	if s.Stage2 != nil || s.Steps() >= 1500 {
		return Result{Done: true, Msg: msg("priors.twostage.trained.done", s.Steps())}
	}
	return Result{Msg: msg("priors.holes.wait0", s.Steps(), 1500)}
}

func watchStageTwo(w *Watch) Result {
	s := w.S
	st := s.Stage2
	switch {
	case st == nil:
		return Result{Msg: msg("priors.twostage.fitted.wait0")}
	case !st.Ready():
		return Result{Msg: msg("priors.twostage.fitted.wait", st.Steps, st.Target)}
	}
	with, _ := s.HoleFraction(0)
	s.Stage2 = nil // the same decoder under N(0, I)
	without, _ := s.HoleFraction(0)
	s.Stage2 = st
	return Result{Done: true, Msg: msg("priors.twostage.fitted.done", pct(with), pct(without), st.AtStep)}
}

// mmdSpread is the MMD² between codes and prior that counts as spread out.
const mmdSpread = 0.008

func watchMMDSpread(w *Watch) Result {
	s := w.S
	if s.Steps() < holeSteps {
		return Result{Msg: msg("priors.holes.wait0", s.Steps(), holeSteps)}
	}
	m := s.CodeMMD()
	if m >= mmdSpread {
		w.Memo["mmd0"] = m
		frac, _ := s.HoleFraction(0)
		return Result{Done: true, Msg: msg("priors.mmd.spread.done", Num{s.Values.Get("beta"), 1}, Num{m, 4}, pct(frac))}
	}
	return Result{Msg: msg("priors.mmd.spread.wait", Num{m, 4})}
}

func watchMMDMatched(w *Watch) Result {
	s := w.S
	lambda := s.Values.Get("mmd")
	if lambda < 10 {
		delete(w.Memo, "mmdAt")
		return Result{Msg: msg("priors.mmd.matched.wait0", Num{lambda, 0})}
	}
	at, ok := w.Memo["mmdAt"]
	if !ok {
		at = float64(s.Steps())
		w.Memo["mmdAt"] = at
	}
	m, m0 := s.CodeMMD(), w.Memo["mmd0"]
	if float64(s.Steps())-at >= 300 && m <= m0/3 {
		return Result{Done: true, Msg: msg("priors.mmd.matched.done", Num{lambda, 0}, Num{m0, 4}, Num{m, 4})}
	}
	return Result{Msg: msg("priors.mmd.matched.wait", Num{lambda, 0}, Num{m, 4})}
}

func watchTable(w *Watch) Result {
	c := w.Cmp
	if c == nil {
		return Result{Msg: msg("priors.compare.off")}
	}
	res := c.Results()
	steps := min(c.A.Steps(), c.B.Steps())
	if len(res.Rows) < 2 || res.Steps[0] < trainedSteps {
		return Result{Msg: msg("priors.compare.wait", steps, trainedSteps)}
	}
	e, iw := res.Rows[0], res.Rows[1]
	return Result{Done: true, Msg: msg("priors.compare.table.done", res.Steps[0],
		c.B.Values.Choice("prior"), c.A.Values.Choice("prior"), nats(e.Diff()), nats(e.Spread), nats(iw.Diff()), nats(e.A), nats(e.B))}
}
