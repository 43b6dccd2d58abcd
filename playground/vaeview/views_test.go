package vaeview

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

func TestKLTitleCountsActiveUnitsOnceTrained(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	if got := sc.klTitle(); strings.Contains(got, "active") {
		t.Fatalf("before any step: %q", got)
	}
	s.StepN(3)
	runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(10, 0))
	if got := sc.klTitle(); !strings.Contains(got, "active units") {
		t.Fatalf("after steps: %q", got)
	}
}

// Once the second stage is fitted the latent view draws its density: the
// prior density is no longer N(0, I).
func TestLatentViewDrawsTheSecondStage(t *testing.T) {
	s, err := session.New("data=8gaussians&prior=two-stage&lr=0.003", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(300)
	if err := s.FitSecondStage(); err != nil {
		t.Fatal(err)
	}
	// The views run while it fits (Tick fits inside the frame's budget).
	sc := NewScreen(s, 1280, 800, 1)
	idle := ui.Input{X: 5, Y: 790}
	now := runFrames(sc, 1, idle, time.Now())
	for i := 0; i < 5000 && !s.Stage2.Ready(); i++ {
		now = runFrames(sc, 1, idle, now)
	}
	if !s.Stage2.Ready() {
		t.Fatalf("fit: %+v", s.Stage2)
	}
	runFrames(sc, 2, idle, now)
	g := sc.v.prior
	differs := 0.0
	for j := range g.NY {
		for i := range g.NX {
			p := g.Point(i, j)
			std := -0.5*(p.X*p.X+p.Y*p.Y) - math.Log(2*math.Pi)
			differs = math.Max(differs, math.Abs(g.At(i, j)-std))
		}
	}
	if differs < 0.5 {
		t.Fatalf("the latent view's density is N(0, I) within %.3f after the second stage", differs)
	}
}

// The flow view's last stage is the flow prior itself: its density on the
// grid is log p(z) as the model scores it.
func TestPriorFlowStagesEndAtThePrior(t *testing.T) {
	s, err := session.New("prior=flow&pflowK=5", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(50)
	fp := s.Model.Prior.(*core.FlowPrior)
	stages := priorFlowStages(fp, 24)
	if len(stages) != 5 || stages[0].Title != "base N(0, I)" {
		t.Fatalf("%d stages, first %q", len(stages), stages[0].Title)
	}
	last := stages[len(stages)-1].Density
	var z mat.Dense
	planeRows(&z, last.Points(nil), 2, 0, 1)
	want := make([]float64, len(last.Values))
	s.Model.PriorLogProb(want, &z)
	for i := range want {
		if math.Abs(last.Values[i]-want[i]) > 1e-9 {
			t.Fatalf("cell %d: stage K %.12g, the prior %.12g", i, last.Values[i], want[i])
		}
	}
	if len(stages[len(stages)-1].LogDet.Values) == 0 || len(stages[0].LogDet.Values) != 0 {
		t.Fatal("log-det panels: want one for every stage but the base")
	}
}
