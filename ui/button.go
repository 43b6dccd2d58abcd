package ui

import (
	"image"

	"github.com/vaeplayground/vae/render"
)

// Button draws a push button; it returns true on the frame it is clicked.
func (c *Context) Button(id string, r image.Rectangle, label, help string) bool {
	hover, pressed := c.hit(id, r, help)
	c.box(r, hover)
	c.text((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, label, c.Style.Text, render.AlignCenter)
	return pressed
}
