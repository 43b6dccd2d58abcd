package ui

import (
	"image"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Menu draws a button that opens a list of actions, drawn over everything
// by DrawPopup under the button (its right edge on the button's, as a
// toolbar's "more" menu). It returns the index of the item picked this
// frame, or −1. A tap picks an item; with the focus, Enter or Space opens
// the list, the arrows walk it, Enter or Space picks and Escape closes it.
// The list's rows are as high as the button (at least 24 CSS pixels), lower
// only where the window below is too short for them; within is where the
// list must fit (the window).
func (c *Context) Menu(id string, r image.Rectangle, label string, items []string, help string, within image.Rectangle) int {
	label, help = i18n.T(label), i18n.T(help)
	shown := make([]string, len(items))
	for i, it := range items {
		shown[i] = i18n.T(it)
	}
	items = shown
	picked := -1
	// The open list answers first: it lies over other widgets.
	if c.open == id && c.popup != nil && c.in.Pressed && c.in.In(c.popup.r) {
		row := (c.in.Y - c.popup.r.Min.Y) / max(1, c.popup.r.Dy()/max(1, len(items)))
		if row >= 0 && row < len(items) {
			picked = row
			c.Changed = true
		}
		c.open, c.popup = "", nil
	}
	hover, pressed, clicked := c.tap(id, r, help)
	if clicked {
		if c.open == id {
			c.open, c.popup = "", nil
		} else {
			c.open = id
		}
	}
	hot := -1
	if c.popup != nil && c.popup.id == id {
		hot = c.popup.hot
	}
	if c.declare(Widget{ID: id, Role: "button", Rect: r, Label: label, Help: help}, pressed) {
		if c.open == id {
			hot = listStep(hot, c.step(true), len(items))
			if c.activated() {
				if hot >= 0 {
					picked, c.Changed = hot, true
				}
				c.open, c.popup = "", nil
			}
		} else if c.activated() {
			c.open, hot = id, 0
		}
	}
	if c.open == id {
		c.popup = &popup{id: id, r: c.menuRect(r, items, within), choices: items, sel: -1, hot: hot}
	}
	c.box(r, hover || c.open == id)
	c.text((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, label, c.Style.Text, render.AlignCenter)
	c.focusRing(id, r)
	return picked
}

// menuRect places a menu's list under its button r, as wide as its longest
// item, inside within.
func (c *Context) menuRect(r image.Rectangle, items []string, within image.Rectangle) image.Rectangle {
	if within.Empty() {
		within = c.area
	}
	w := r.Dx()
	for _, it := range items {
		w = max(w, render.TextWidth(c.Th.Label, it)+c.Px(28))
	}
	rowH := max(r.Dy(), c.Px(24))
	if below := within.Max.Y - r.Max.Y; rowH*len(items) > below && len(items) > 0 {
		rowH = max(c.Px(20), below/len(items))
	}
	x1 := min(r.Max.X, within.Max.X)
	x0 := max(within.Min.X, x1-w)
	return image.Rect(x0, r.Max.Y, x0+w, r.Max.Y+rowH*len(items))
}
