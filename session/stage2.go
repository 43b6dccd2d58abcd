package session

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// SecondStage is the two-stage prior's second VAE, fitted in the session
// to the codes of the model as it is now (Dai & Wipf's stage two, run once
// stage one has trained): it then scores and generates the codes in the
// views. It lives beside the model — the trainer's two-stage prior is
// N(0, I) while stage one trains — so a run that goes on leaves it
// describing the codes of the step it was fitted at.
type SecondStage struct {
	Prior  *core.TwoStagePrior
	Steps  int // fitting steps taken
	Target int // fitting steps asked for
	AtStep int // the stage-one step whose codes it fits
}

// Ready reports whether the fit has finished.
func (st *SecondStage) Ready() bool { return st != nil && st.Steps >= st.Target }

// secondStageSteps is one fit's length: enough for the 2-D sets'
// aggregate posteriors (the CLI's default).
const secondStageSteps = 3000

// FitSecondStage pauses training and starts fitting a second VAE to the
// codes of the training data; Tick runs the fit within the frame budget.
func (s *Session) FitSecondStage() error {
	if s.Config.Prior.Kind != "two-stage" {
		return fmt.Errorf("the prior is %s, not two-stage", s.Config.Prior.Kind)
	}
	s.Playing = false
	seed := uint64(s.Values.Int("seed"))
	ts, err := core.NewTwoStagePrior(s.Config.LatentDim, s.Config.Prior.StageHidden, s.Config.Prior.StageLatent, seed)
	if err != nil {
		return err
	}
	var codes mat.Dense
	core.EncodeCodes(&codes, s.Model, s.X, rand.New(rand.NewPCG(seed, 0x25a6e)))
	if err := ts.SetCodes(&codes, core.DefaultStageBatch, seed); err != nil {
		return err
	}
	s.Stage2 = &SecondStage{Prior: ts, Target: secondStageSteps, AtStep: s.steps}
	s.Message = "fitting the second stage to the codes…"
	return nil
}

// fitSecondStage advances a fit in progress for up to budget.
func (s *Session) fitSecondStage(budget time.Duration) {
	st := s.Stage2
	if st == nil || st.Ready() {
		return
	}
	start := time.Now()
	for st.Steps < st.Target {
		if _, err := st.Prior.FitStep(); err != nil {
			s.Message = "second stage: " + err.Error()
			s.Stage2 = nil
			return
		}
		st.Steps++
		if time.Since(start) >= budget {
			break
		}
	}
	if st.Ready() {
		s.Message = fmt.Sprintf("second stage fitted to the codes of step %d: the latent view shows its density, the samples come from it", st.AtStep)
		s.Version++
	}
}
