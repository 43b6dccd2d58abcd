package playground

import "image"

// Controls are the rectangles (device pixels) of the controls as last laid
// out, by name: the top bar's buttons (TopButtons), each visible setting's
// key and the scene's own controls in the column ("tool", "class", "clear",
// "stage2"…). A control scrolled out of the panel has an empty rectangle.
// Tests and the page's hooks read it, so that they need not guess pixels.
func (sc *Screen) Controls() map[string]image.Rectangle {
	out := sc.TopButtons()
	for k, r := range sc.controlRect {
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
// deciding: an open dropdown list, the top bar, the controls column (which
// scrolls). A touch there is a tap, not a press in a view.
func (sc *Screen) WidgetAreas() []WidgetArea {
	var out []WidgetArea
	if p := sc.PopupRect(); !p.Empty() {
		out = append(out, WidgetArea{Rect: p})
	}
	return append(out, WidgetArea{Rect: sc.L.Top}, WidgetArea{Rect: sc.L.Controls, Scrolls: true})
}

// Scroll is how far the controls column is scrolled and how far it can
// be (0 when everything fits), in device pixels.
func (sc *Screen) Scroll() (offset, limit int) {
	return sc.scroll, max(0, sc.contentH-sc.L.Controls.Dy())
}
