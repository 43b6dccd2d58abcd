package ui

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Hint registers help text for a region that is not a widget (a view), so
// hovering it shows a tooltip too.
func (c *Context) Hint(id string, r image.Rectangle, help string) {
	help = i18n.T(help) // every frame: the completeness test sees each hint
	if c.hover == "" && c.in.In(r) && !c.consumed {
		c.hover = id
		c.tip, c.tipAnchor = help, r
	}
}

// tipDelay is how long the pointer rests before a tooltip shows.
const tipDelay = 450 * time.Millisecond

// Tooltip returns the help text to show now (after the pointer rested on a
// widget for tipDelay, or a finger on it for a long press) and where, or "".
func (c *Context) Tooltip() (string, image.Point) {
	if c.hover != c.hoverID {
		c.hoverID, c.hoverSince = c.hover, c.in.Now
	}
	if c.in.Touch {
		// No hover under a finger: a long press shows the help until the
		// finger lifts.
		if c.tip == "" || c.popup != nil || !c.in.Down || !c.longPressing() {
			return "", image.Point{}
		}
		return c.tip, image.Pt(c.in.X, c.in.Y)
	}
	if c.tip == "" || c.active != "" || c.popup != nil || c.in.Now.Sub(c.hoverSince) < tipDelay {
		return "", image.Point{}
	}
	return c.tip, image.Pt(c.in.X, c.in.Y)
}

// DrawTooltip draws text in a box near p, kept inside bounds.
func (c *Context) DrawTooltip(dst *image.RGBA, text string, p image.Point) {
	w := c.Px(280)
	pad := c.Px(8)
	// Measure the wrapped height by drawing into a scratch-free pass.
	lines := render.DrawParagraph(image.NewRGBA(image.Rect(0, 0, 1, 1)), c.Th.Label, image.Rect(0, 0, w-2*pad, 1<<20), text, c.Style.Text)
	h := lines + 2*pad
	r := image.Rect(p.X+c.Px(14), p.Y+c.Px(18), p.X+c.Px(14)+w, p.Y+c.Px(18)+h)
	b := dst.Bounds()
	if r.Max.X > b.Max.X {
		r = r.Add(image.Pt(b.Max.X-r.Max.X-c.Px(4), 0))
	}
	if r.Max.Y > b.Max.Y {
		r = r.Add(image.Pt(0, p.Y-c.Px(8)-r.Max.Y))
	}
	render.FillRect(dst, r, c.Style.TipBG)
	render.StrokeRect(dst, r, c.Style.Border)
	render.DrawParagraph(dst, c.Th.Label, r.Inset(pad), text, c.Style.Text)
}
