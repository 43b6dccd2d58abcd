package playground

import "image"

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
