package playground

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// compareW is the width of the Compare button (CSS pixels).
const compareW = 96

// drawTop runs and, when due, draws the top bar: the title, the transport,
// the status line of the scene and the buttons.
func (sc *Screen) drawTop(in ui.Input, now time.Time) {
	r := sc.L.Top
	th, c := sc.th, sc.topCtx
	if sc.topRects == nil {
		sc.topRects = map[string]image.Rectangle{}
	}
	// The status text changes every step: 10 redraws a second are plenty,
	// unless the pointer acts on the bar.
	active := in.In(r) && (in.Pressed || in.X != sc.prevIn.X || in.Y != sc.prevIn.Y) || prevInside(sc.prevIn, r) && !in.In(r) || len(sc.kb.top) > 0
	var dst *image.RGBA
	if active || sc.f.Full || sc.topT.Due(now) {
		dst = sc.Frame.SubImage(r).(*image.RGBA)
		render.FillRect(dst, r, th.Background)
		sc.topT.Done(now)
		sc.Dirty = append(sc.Dirty, r)
	}
	tin := in
	tin.Keys = sc.kb.top
	if sc.help || sc.ctx.Open() {
		tin.Pressed = false
	}
	c.Begin(tin, dst)
	y0, y1 := r.Min.Y+sc.px(8), r.Max.Y-sc.px(8)
	x := r.Min.X + sc.px(12)
	// The buttons on the right start at rightX, with short labels where the
	// window is too narrow for the long ones beside the left group and some
	// status. A narrow window (700 px wide) has no room for the title too:
	// the two groups overlapped.
	saving := sc.current().SaveButtons()
	right := []struct {
		id, label, short, help string
		w, shortW              float64
	}{
		{"help", "? Help", "?", "Shortcuts and what the views show (key ?).", 96, 36},
		{"link", "Copy link", "Link", "Copy a link that reopens these settings (and seed): the same run.", 96, 56},
		{"png", "Save PNG", "PNG", "Save a picture of the current views.", 96, 52},
		{"save", "Save model", "Save", "Save the model checkpoint (drop a checkpoint or a .safetensors file on the window to load one).", 96, 56},
		{"torch", "Save for PyTorch", "PyTorch", "Save the model as a .safetensors file for PyTorch (python/vae_playground.py loads it; drop one trained on there back on the window to load it).", 132, 72},
	}
	if saving.Label != "" {
		right[3].label = saving.Label
	}
	if saving.Hint != "" {
		right[3].help = saving.Hint
	}
	if saving.TorchHint != "" {
		right[4].help = saving.TorchHint
	}
	rightW := func(short bool) int {
		w := float64(6 * (len(right) - 1))
		for _, b := range right {
			w += map[bool]float64{false: b.w, true: b.shortW}[short]
		}
		return sc.px(w)
	}
	leftEnd := x + sc.px(64+76+56+compareW+4*6)
	short := r.Max.X-sc.px(12)-rightW(false)-leftEnd < sc.px(160)
	rightX := r.Max.X - sc.px(12) - rightW(short)
	if x+sc.px(140+64+76+56+compareW+4*6+100) <= rightX { // the title, and still some status
		if dst != nil {
			render.DrawText(dst, th.Title, x, (y0+y1)/2, "VAE playground", th.Text, render.AlignLeft, render.AlignMiddle)
		}
		x += sc.px(140)
	}
	btn := func(id, label, help string, w float64) bool {
		rr := image.Rect(x, y0, x+sc.px(w), y1)
		x += sc.px(w) + sc.px(6)
		sc.topRects[id] = rr
		return c.Button(id, rr, label, help)
	}
	// The transport is the scene's (the VAE's training, the lab's fit).
	if btn("reset", "Reset", "Start again from a new model with the same seed (key r).", 64) {
		sc.sceneKey(scene.KeyReset, in)
	}
	label := "► Play"
	if sc.current().Playing() {
		label = "Pause"
	}
	if btn("play", label, "Train or pause (space).", 76) {
		sc.sceneKey(scene.KeySpace, in)
	}
	if btn("step", "Step", "One training step on one mini-batch (key .).", 56) {
		sc.sceneKey(scene.KeyStep, in)
	}
	// Compare: a second model beside the first (the VAE's mode only).
	if sc.S.Values.Choice("mode") == "vae" {
		label := "Compare"
		if sc.cmp != nil {
			label = "● Compare"
		}
		if btn("compare", label, "Compare: a second model B beside A, on the same data and seed; the controls edit A or B, both train step for step, a table compares them (link: compare=). Press again for A alone.", compareW) {
			if err := sc.SetCompare(sc.cmp == nil); err != nil {
				sc.S.Message = err.Error()
			}
			sc.f.ControlsDirty = true
		}
	} else {
		x += sc.px(compareW + 6)
	}
	status := sc.current().Status(sc.FPS)
	if dst != nil {
		// Only what fits before the right-hand buttons (it ran under them).
		text := scene.FitText(th.Label, rightX-x-sc.px(20), status...)
		sc.topRects["status"] = render.DrawText(dst, th.Label, x+sc.px(10), (y0+y1)/2, text, th.Text, render.AlignLeft, render.AlignMiddle)
	}
	x = rightX
	for _, b := range right {
		label, w := b.label, b.w
		if short {
			label, w = b.short, b.shortW
		}
		if !btn(b.id, label, b.help, w) {
			continue
		}
		switch b.id {
		case "help":
			sc.help = !sc.help
			sc.OverlayDirty = true
		case "link":
			sc.Requests = append(sc.Requests, CopyLink)
		case "png":
			sc.Requests = append(sc.Requests, SavePNG)
		case "save":
			sc.Requests = append(sc.Requests, SaveCheckpoint)
		case "torch":
			sc.Requests = append(sc.Requests, SaveSafetensors)
		}
	}
}
