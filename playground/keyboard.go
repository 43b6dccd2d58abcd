package playground

import (
	"slices"

	"github.com/vaeplayground/vae/ui"
)

// keyboard routes the widgets' keys (Tab, Enter, Space, the arrows…)
// between the screen's two widget contexts, the top bar's and the
// column's, so that Tab walks one focus order in reading order: the top
// bar, then the controls column, and round again.
type keyboard struct {
	top, col []ui.Key // this frame's keys for each context
	focus    string   // the column's focused widget last frame (to scroll a new one into view)
}

// routeKeys splits in.Keys for this frame. Tab past the last widget of one
// context (Shift-Tab before the first) moves the focus to the other's
// first (last) widget.
func (sc *Screen) routeKeys(in ui.Input) {
	kb := &sc.kb
	kb.top, kb.col = nil, nil
	if len(in.Keys) == 0 {
		return
	}
	sc.f.ControlsDirty = true // the focus ring or a value may move
	_, colHas := sc.ctx.Focused()
	owner, other := sc.topCtx, sc.ctx
	if colHas {
		owner, other = sc.ctx, sc.topCtx
	}
	keys := in.Keys
	if slices.Contains(keys, ui.KeyTab) && !sc.ctx.Open() {
		ow, ot := owner.Widgets(), other.Widgets()
		f, has := owner.Focused()
		at := -1
		if has {
			at = slices.IndexFunc(ow, func(w ui.Widget) bool { return w.ID == f.ID })
		}
		// From no focus, Tab starts at the top bar's first widget and
		// Shift-Tab at the column's last.
		leave := len(ot) > 0 && (in.Shift && (at == 0 || !has && owner == sc.topCtx) ||
			!in.Shift && at == len(ow)-1)
		if leave {
			owner.SetFocus("")
			if in.Shift {
				other.SetFocus(ot[len(ot)-1].ID)
			} else {
				other.SetFocus(ot[0].ID)
			}
			owner = other
			keys = slices.DeleteFunc(slices.Clone(keys), func(k ui.Key) bool { return k == ui.KeyTab })
		}
	}
	if owner == sc.ctx {
		kb.col = keys
	} else {
		kb.top = keys
	}
}

// widgetHasKeys reports whether a widget has a visible focus: Space and
// the arrows are then its keys, not the screen's shortcuts.
func (sc *Screen) widgetHasKeys() bool { return sc.ctx.FocusVisible() || sc.topCtx.FocusVisible() }

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

// Focused is the control that has the keyboard (the top bar's or the
// column's), if any: its role, rectangle, label, value and help.
func (sc *Screen) Focused() (ui.Widget, bool) {
	if w, ok := sc.topCtx.Focused(); ok {
		return w, true
	}
	return sc.ctx.Focused()
}
