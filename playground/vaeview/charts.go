package vaeview

import (
	"fmt"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
)

// klTitle is the KL panel's title: the active units once training has
// begun (before, an untrained encoder's spread counted every unit active
// beside "train a step to see the KL").
func (vw *View) klTitle() string {
	if vw.s.History.Len() == 0 {
		return "KL per latent dim"
	}
	return fmt.Sprintf("KL per latent dim · active units %d/%d", vw.v.active, len(vw.v.activity))
}

// drawCharts draws the loss and KL charts when changed says they changed
// (or a change waits for them to show on a phone's sheet).
func (vw *View) drawCharts(changed bool) {
	l := vw.f.Layout
	if vw.lossLater.Due(vw.f, l.Loss, changed) && !l.Loss.Empty() { // empty: not shown (views=)
		vw.drawLoss()
	}
	if vw.klLater.Due(vw.f, l.KL, changed) && !l.KL.Empty() {
		vw.drawKL()
	}
}

// drawLoss draws the loss chart.
func (vw *View) drawLoss() {
	s, th := vw.s, vw.f.Theme
	h := &s.History
	dst, _ := vw.panel(vw.f.Layout.Loss, "Loss (nats per point)")
	r := vw.f.Layout.Loss
	plot := vw.f.Inside(r, 26, 6, 4, 4)
	if len(h.Step) > 1 {
		render.LineChart(dst, plot, []render.Series{
			{Name: "−ELBO", X: h.Step, Y: h.Loss, Width: 2 * vw.f.Scale},
			{Name: "reconstruction", X: h.Step, Y: h.Recon, Width: 1.2 * vw.f.Scale},
			{Name: "KL", X: h.Step, Y: h.KL, Width: 1.2 * vw.f.Scale},
		}, render.ChartOptions{XLabel: "step"}, th)
	} else {
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "press Play (space) to train", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
}

// drawKL draws the KL per latent dimension.
func (vw *View) drawKL() {
	s, th := vw.s, vw.f.Theme
	v := &vw.v
	kl := s.History.Last.KLPerDim
	dst, _ := vw.panel(vw.f.Layout.KL, vw.klTitle())
	r := vw.f.Layout.KL
	plot := vw.f.Inside(r, 30, 6, 22, 6)
	switch {
	case len(kl) > 0:
		drawBars(dst, plot, kl, 0.05, th, vw.f.Scale)
		caption := scene.FitText(th.Small, r.Dx()-vw.f.Px(20), "nats per dim on the last batch; dashed: 0.05 (below: collapsed)", "nats, last batch; below the dashed 0.05: collapsed", "below 0.05 nats: collapsed")
		render.DrawText(dst, th.Small, r.Min.X+vw.f.Px(10), r.Max.Y-vw.f.Px(6), caption, th.MutedText, render.AlignLeft, render.AlignBottom)
	case s.Model.KLMode() == core.KLAnalytic:
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "train a step to see the KL per dimension", th.MutedText, render.AlignCenter, render.AlignMiddle)
	case len(v.activity) > 0:
		drawBars(dst, plot, v.activity, core.ActiveUnitThreshold, th, vw.f.Scale)
		caption := scene.FitText(th.Small, r.Dx()-vw.f.Px(20), "Monte Carlo KL has no per-dim split: bars show Var_x E[z_j] (active > 0.01)", "bars: Var_x E[z_j] (Monte Carlo KL; active > 0.01)", "Var_x E[z_j]; active > 0.01")
		render.DrawText(dst, th.Small, r.Min.X+vw.f.Px(10), r.Max.Y-vw.f.Px(6), caption, th.MutedText, render.AlignLeft, render.AlignBottom)
	}
}
