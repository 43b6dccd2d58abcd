package ui

import (
	"image"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Section draws a section header.
func (c *Context) Section(r image.Rectangle, title string) {
	if c.dst == nil {
		return
	}
	render.DrawText(c.dst, c.Th.Title, r.Min.X, (r.Min.Y+r.Max.Y)/2, i18n.T(title), c.Style.Text, render.AlignLeft, render.AlignMiddle)
	render.FillRect(c.dst, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c.Style.Border)
}
