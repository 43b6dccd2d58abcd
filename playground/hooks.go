package playground

import (
	"image"

	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/playground/vaeview"
)

// Controls are the rectangles (device pixels) of the controls as last laid
// out, by name: the top bar's buttons (TopButtons), each visible setting's
// key and the scene's own controls in the column ("tool", "class", "clear",
// "stage2"…) and in its views (scene.Frame.Control: "clearPad", "labClear",
// "labFace"). A control scrolled out of the panel has an empty rectangle.
// Tests and the page's hooks read it, so that they need not guess pixels.
func (sc *Screen) Controls() map[string]image.Rectangle {
	out := sc.TopButtons()
	for k, r := range sc.controlRect {
		out[k] = r
	}
	for k, r := range sc.f.Controls() {
		out[k] = r
	}
	return out
}

// WidgetArea is a part of the screen where widgets lie.
type WidgetArea struct {
	Rect    image.Rectangle
	Scrolls bool // a vertical swipe scrolls it
}

// WidgetAreas are where the widgets lie, the first that holds a point
// deciding: an open dropdown list or menu, the top bar, the controls column
// (which scrolls). A touch there is a tap, not a press in a view. On a
// phone the sheet of views scrolls too, where it is taller than the
// screen: a swipe up or down scrolls it, and a finger that rests a moment
// (or moves sideways) draws or drags in the view under it.
func (sc *Screen) WidgetAreas() []WidgetArea {
	var out []WidgetArea
	for _, p := range []image.Rectangle{sc.PopupRect(), sc.topCtx.PopupRect()} {
		if !p.Empty() {
			out = append(out, WidgetArea{Rect: p})
		}
	}
	out = append(out, WidgetArea{Rect: sc.L.Top})
	if sc.ControlsShown() {
		out = append(out, WidgetArea{Rect: sc.L.Controls, Scrolls: true})
	}
	if _, limit := sc.SheetScroll(); limit > 0 {
		out = append(out, WidgetArea{Rect: sc.visibleView(), Scrolls: true})
	}
	return out
}

// Scroll is how far the controls column is scrolled and how far it can
// be (0 when everything fits), in device pixels.
func (sc *Screen) Scroll() (offset, limit int) {
	return sc.scroll, max(0, sc.contentH-sc.L.Controls.Dy())
}

// StepLab takes n steps of the flow lab's fit, paused, when the lab is
// the mode shown (the page's "steps N" hook: a lesson's test fits to the
// point where a check fires without waiting for slow frames). It reports
// whether the lab took them.
func (sc *Screen) StepLab(n int) bool {
	lab, ok := sc.scenes["flowlab"].(*flowlab.Lab)
	if !ok || sc.S.Values.Choice("mode") != "flowlab" {
		return false
	}
	return lab.StepN(n)
}

// LabSteps is the flow lab's fit's step count and its last score's step
// (-1 without a score), or ok false when the lab is not shown.
func (sc *Screen) LabSteps() (steps, scored int, ok bool) {
	lab, shown := sc.scenes["flowlab"].(*flowlab.Lab)
	if !shown || sc.S.Values.Choice("mode") != "flowlab" {
		return 0, 0, false
	}
	scored = -1
	if _, at, _, has := lab.Score(); has {
		scored = at
	}
	return lab.Steps(), scored, true
}

// SlowMarks counts the marks the slow-motion step draws over the views.
func (sc *Screen) SlowMarks() int {
	if vw, ok := sc.scenes["vae"].(*vaeview.View); ok {
		return len(vw.Marks())
	}
	return 0
}
