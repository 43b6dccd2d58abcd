package ui

import (
	"image"
	"slices"

	"github.com/vaeplayground/vae/render"
)

// Key is a key that went down, as the widgets understand it.
type Key int

// The keys the widgets answer to.
const (
	KeyTab    Key = iota + 1 // next widget (with Input.Shift: the previous one)
	KeyEnter                 // activate: click a button, flip a toggle, open or pick in a dropdown
	KeySpace                 // as Enter
	KeyEscape                // close an open dropdown list
	KeyLeft                  // a smaller value (slider, stepper, dropdown)
	KeyRight                 // a larger value
	KeyUp                    // as Right; in an open list, the item above
	KeyDown                  // as Left; in an open list, the item below
	KeyHome                  // the smallest value, the first item
	KeyEnd                   // the largest value, the last item
)

// Widget describes a focusable widget as it was declared this frame: what
// the app needs to scroll it into view, to report it to tests, and to
// mirror it to a screen reader.
type Widget struct {
	ID string
	// Role is the widget's ARIA role: "button", "switch" (a toggle),
	// "slider", "spinbutton" (a stepper) or "combobox" (a dropdown).
	Role  string
	Rect  image.Rectangle // device pixels
	Label string
	Value string // the value as shown: "on"/"off", the slider's text, the choice
	Help  string
}

// focusState is the keyboard side of a Context.
type focusState struct {
	focus   string // the widget with the keyboard ("" none)
	visible bool   // the focus came from the keyboard: draw the ring
	order   []Widget
	prev    []Widget // last frame's order: where Tab moves
	taken   []Key    // keys some widget used this frame
}

// beginFocus runs at Begin: a press on no widget drops the focus (the
// pressed widget takes it back when it is declared), Tab and Shift-Tab
// walk last frame's order, and Escape closes an open list.
func (c *Context) beginFocus() {
	f := &c.focusState
	f.prev, f.order = f.order, f.prev[:0]
	f.taken = f.taken[:0]
	if f.focus != "" && !slices.ContainsFunc(f.prev, func(w Widget) bool { return w.ID == f.focus }) {
		f.focus = "" // the widget is gone
	}
	if c.in.Pressed && !c.consumed {
		f.focus, f.visible = "", false
	}
	if c.popup != nil && c.key(KeyEscape) {
		c.Close()
	}
	if len(f.prev) > 0 && c.key(KeyTab) {
		i := slices.IndexFunc(f.prev, func(w Widget) bool { return w.ID == f.focus })
		switch {
		case c.in.Shift && i <= 0:
			i = len(f.prev) - 1
		case c.in.Shift:
			i--
		case i < 0 || i == len(f.prev)-1:
			i = 0
		default:
			i++
		}
		f.focus, f.visible = f.prev[i].ID, true
		c.Close()
	}
}

// key reports whether k went down this frame and no widget has used it
// yet, and marks it used.
func (c *Context) key(k Key) bool {
	if !slices.Contains(c.in.Keys, k) || slices.Contains(c.taken, k) {
		return false
	}
	c.taken = append(c.taken, k)
	return true
}

// KeyTaken reports whether a widget (or the focus order) used k this
// frame: the app should then not act on it too.
func (c *Context) KeyTaken(k Key) bool { return slices.Contains(c.taken, k) }

// declare adds w to this frame's focus order and reports whether it takes
// keys: it has the focus and the focus came from the keyboard. A press on
// it gives it the focus without a ring: Tab goes on from there, but Space
// and the arrows stay the app's shortcuts until the keyboard moves the
// focus.
func (c *Context) declare(w Widget, pressed bool) (keys bool) {
	if pressed {
		c.focus, c.visible = w.ID, false
	}
	c.order = append(c.order, w)
	return c.focus == w.ID && c.visible
}

// ring draws the focus ring around r when the focus came from the
// keyboard (a click focuses without a ring, as browsers do).
func (c *Context) ring(r image.Rectangle) {
	if c.dst == nil || !c.visible {
		return
	}
	// Two CSS pixels wide, two clear of the widget: it reads apart from
	// the widget's own border and text.
	w := max(1, c.Px(2))
	o := r.Inset(-w - c.Px(2))
	for i := range w {
		render.StrokeRect(c.dst, o.Inset(i), c.Style.Focus)
	}
}

// Widgets returns the focusable widgets declared so far this frame, in
// declaration order (the focus order: declare them in reading order).
// After the frame's widgets it is every control's rectangle, for tests and
// an accessibility mirror.
func (c *Context) Widgets() []Widget { return slices.Clone(c.order) }

// Focused returns the widget that has the keyboard, as declared this
// frame (or last frame, before it is declared again).
func (c *Context) Focused() (Widget, bool) {
	if c.focus == "" {
		return Widget{}, false
	}
	for _, list := range [][]Widget{c.order, c.prev} {
		if i := slices.IndexFunc(list, func(w Widget) bool { return w.ID == c.focus }); i >= 0 {
			return list[i], true
		}
	}
	return Widget{ID: c.focus}, true
}

// FocusVisible reports whether the focus ring shows (the focus came from
// the keyboard or SetFocus, not from a click).
func (c *Context) FocusVisible() bool { return c.focus != "" && c.visible }

// SetFocus gives the keyboard to the widget id, with a visible ring (a
// skip link, or a test); "" removes the focus.
func (c *Context) SetFocus(id string) { c.focus, c.visible = id, id != "" }

// activated reports whether the focused widget was activated by Enter or
// Space this frame.
func (c *Context) activated() bool {
	e := c.key(KeyEnter)
	s := c.key(KeySpace)
	return e || s
}

// step reports the arrow keys as −1, +1 or 0, and Home/End as −2/+2. Up
// means more on a scale; in a list (down true) Down is the next item.
func (c *Context) step(down bool) int {
	less, more := KeyDown, KeyUp
	if down {
		less, more = KeyUp, KeyDown
	}
	switch {
	case c.key(KeyHome):
		return -2
	case c.key(KeyEnd):
		return 2
	case c.key(KeyLeft) || c.key(less):
		return -1
	case c.key(KeyRight) || c.key(more):
		return 1
	}
	return 0
}

// focusRing draws the ring when widget id has the keyboard.
func (c *Context) focusRing(id string, r image.Rectangle) {
	if c.focus == id {
		c.ring(r)
	}
}
