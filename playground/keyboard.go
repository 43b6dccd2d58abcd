package playground

import (
	"slices"

	"github.com/vaeplayground/vae/ui"
)

// keyboard routes the widgets' keys (Tab, Enter, Space, the arrows…)
// between the screen's widget contexts, so that Tab walks one focus order
// through them all (focusOrder), and round again.
type keyboard struct {
	owner *ui.Context // the context that gets this frame's keys
	keys  []ui.Key
	focus string // the column's focused widget last frame (to scroll a new one into view)
}

// keysFor are this frame's keys for the widget context c (none when
// another has the keyboard).
func (kb *keyboard) keysFor(c *ui.Context) []ui.Key {
	if c != kb.owner {
		return nil
	}
	return kb.keys
}

// focusOrder are the screen's widget contexts in Tab's order: the top
// bar, the lesson's column when one is shown (its Next is what a learner
// wants first), the controls column.
func (sc *Screen) focusOrder() []*ui.Context {
	order := []*ui.Context{sc.topCtx}
	if sc.lesson != nil && !sc.L.Lesson.Empty() {
		order = append(order, sc.lesson.ctx)
	}
	return append(order, sc.ctx)
}

// routeKeys hands in.Keys to the context with the focus (the top bar's
// when none has it). Tab past the last widget of one context (Shift-Tab
// before the first) moves the focus to the next one's first (the previous
// one's last) widget.
func (sc *Screen) routeKeys(in ui.Input) {
	kb := &sc.kb
	kb.owner, kb.keys = nil, nil
	if len(in.Keys) == 0 {
		return
	}
	sc.f.ControlsDirty = true // the focus ring or a value may move
	order := sc.focusOrder()
	at := slices.IndexFunc(order, func(c *ui.Context) bool { _, has := c.Focused(); return has })
	has := at >= 0
	at = max(at, 0)
	owner := order[at]
	keys := in.Keys
	if slices.Contains(keys, ui.KeyTab) && !owner.Open() {
		ow := owner.Widgets()
		f, _ := owner.Focused()
		i := -1
		if has {
			i = slices.IndexFunc(ow, func(w ui.Widget) bool { return w.ID == f.ID })
		}
		// From no focus, Tab starts at the top bar's first widget and
		// Shift-Tab at the last context's last.
		leave := in.Shift && (i == 0 || !has) || !in.Shift && i == len(ow)-1
		step := 1
		if in.Shift {
			step = len(order) - 1
		}
		for n := 1; leave && n < len(order); n++ {
			next := order[(at+n*step)%len(order)]
			nw := next.Widgets()
			if len(nw) == 0 {
				continue
			}
			owner.SetFocus("")
			if in.Shift {
				next.SetFocus(nw[len(nw)-1].ID)
			} else {
				next.SetFocus(nw[0].ID)
			}
			owner = next
			keys = slices.DeleteFunc(slices.Clone(keys), func(k ui.Key) bool { return k == ui.KeyTab })
			break
		}
	}
	kb.owner, kb.keys = owner, keys
}

// widgetHasKeys reports whether a widget has a visible focus: Space and
// the arrows are then its keys, not the screen's shortcuts.
func (sc *Screen) widgetHasKeys() bool {
	return slices.ContainsFunc(sc.focusOrder(), (*ui.Context).FocusVisible)
}

// scrollToFocus scrolls the column so that a widget that the keyboard has
// just focused is in view.
func (sc *Screen) scrollToFocus() {
	w, ok := sc.ctx.Focused()
	if !ok || !sc.ctx.FocusVisible() || w.ID == sc.kb.focus {
		sc.kb.focus = w.ID
		return
	}
	sc.kb.focus = w.ID
	r, col := w.Rect, sc.L.Controls
	d := 0
	switch {
	case r.Min.Y < col.Min.Y:
		d = r.Min.Y - col.Min.Y - sc.px(8)
	case r.Max.Y > col.Max.Y:
		d = r.Max.Y - col.Max.Y + sc.px(8)
	}
	if d != 0 {
		sc.scroll = max(0, min(sc.scroll+d, max(0, sc.contentH-col.Dy())))
		sc.f.ControlsDirty = true
	}
}

// Focused is the control that has the keyboard (the top bar's, the
// lesson's or the column's), if any: its role, rectangle, label, value and
// help.
func (sc *Screen) Focused() (ui.Widget, bool) {
	for _, c := range sc.focusOrder() {
		if w, ok := c.Focused(); ok {
			return w, true
		}
	}
	return ui.Widget{}, false
}
