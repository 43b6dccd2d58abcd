package playground

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// drawEmbedTop runs and, when due, draws an embed's top bar: the transport
// (reset, play/pause, step), the scene's status and "Open in the
// playground", which asks the platform to open the full page with the
// same settings (OpenPlayground).
func (sc *Screen) drawEmbedTop(in ui.Input, now time.Time) {
	r := sc.L.Top
	th, c := sc.th, sc.topCtx
	if sc.topRects == nil {
		sc.topRects = map[string]image.Rectangle{}
	}
	clear(sc.topRects)
	dst := sc.beginTop(in, now, false)
	y0, y1 := r.Min.Y+sc.px(8), r.Max.Y-sc.px(8)
	x := r.Min.X + sc.px(8)
	btn := func(id, label, help string, w float64) bool {
		rr := image.Rect(x, y0, x+sc.px(w), y1)
		x += sc.px(w) + sc.px(6)
		sc.topRects[id] = rr
		return c.Button(id, rr, label, help)
	}
	if btn("reset", "Reset", "Start again from a new model with the same seed (key r).", 60) {
		sc.sceneKey(scene.KeyReset, in)
	}
	label := "► Play"
	if sc.current().Playing() {
		label = "Pause"
	}
	if btn("play", label, "Train or pause (space).", 70) {
		sc.sceneKey(scene.KeySpace, in)
	}
	if btn("step", "Step", "One training step on one mini-batch (key .).", 52) {
		sc.sceneKey(scene.KeyStep, in)
	}
	// "Open in the playground" on the right, with an arrow out of the box
	// (the fonts have no ↗); shorter where the bar is narrow.
	openLabel, openW := "Open in the playground", 196.0
	if r.Max.X-x-sc.px(openW+8) < sc.px(90) {
		openLabel, openW = "Open", 72
	}
	status := sc.current().Status(sc.FPS)
	openX := r.Max.X - sc.px(8+openW)
	if dst != nil {
		text := scene.FitText(th.Label, openX-x-sc.px(12), status...)
		sc.topRects["status"] = render.DrawText(dst, th.Label, x+sc.px(4), (y0+y1)/2, text, th.Text, render.AlignLeft, render.AlignMiddle)
	}
	x = openX
	open := btn("open", openLabel+"    ", "Open the full playground with these settings in a new tab.", openW)
	if dst != nil {
		sc.drawOutArrow(dst, sc.topRects["open"])
	}
	if open {
		sc.Requests = append(sc.Requests, OpenPlayground)
	}
}

// drawOutArrow draws ↗ at the right end of button b.
func (sc *Screen) drawOutArrow(dst *image.RGBA, b image.Rectangle) {
	s := float64(sc.px(9))
	x1 := float64(b.Max.X - sc.px(12))
	y0 := float64(b.Min.Y+b.Max.Y)/2 - s/2
	x0, y1 := x1-s, y0+s
	w := 1.5 * sc.Scale
	col := sc.topCtx.Style.Text
	render.StrokePolyline(dst, b, []float64{x0, x1}, []float64{y1, y0}, w, col)
	render.StrokePolyline(dst, b, []float64{x1 - s*0.6, x1, x1}, []float64{y0, y0, y0 + s*0.6}, w, col)
}
