package ui

import (
	"image"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Button draws a push button; it returns true on the frame it is clicked
// (tapped, or Enter or Space while it has the focus).
func (c *Context) Button(id string, r image.Rectangle, label, help string) bool {
	label, help = i18n.T(label), i18n.T(help)
	hover, pressed, clicked := c.tap(id, r, help)
	if c.declare(Widget{ID: id, Role: "button", Rect: r, Label: label, Help: help}, pressed) && c.activated() {
		clicked = true
	}
	c.box(r, hover)
	c.text((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, label, c.Style.Text, render.AlignCenter)
	c.focusRing(id, r)
	return clicked
}
