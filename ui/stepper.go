package ui

import (
	"image"
	"math"
	"strconv"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Stepper draws "label  [−] value [+]" for an integer in [lo, hi]. With
// the focus, the arrows step it and Home and End go to lo and hi.
func (c *Context) Stepper(id string, r image.Rectangle, label string, v *int, lo, hi int, help string) bool {
	label, help = i18n.T(label), i18n.T(help)
	hover, pressed, clicked := c.tap(id, r, help)
	bw := r.Dy()
	minus := image.Rect(r.Max.X-3*bw, r.Min.Y, r.Max.X-2*bw, r.Max.Y)
	plus := image.Rect(r.Max.X-bw, r.Min.Y, r.Max.X, r.Max.Y)
	old := *v
	if c.declare(Widget{ID: id, Role: "spinbutton", Rect: r, Label: label, Help: help}, pressed) {
		switch c.step(false) {
		case -2:
			*v = lo
		case -1:
			*v = max(lo, *v-1)
		case 1:
			*v = min(hi, *v+1)
		case 2:
			*v = hi
		}
	}
	if clicked {
		switch {
		case c.in.In(minus):
			*v = max(lo, *v-1)
		case c.in.In(plus):
			*v = min(hi, *v+1)
		}
	}
	if hover && c.in.Wheel != 0 {
		*v = max(lo, min(hi, *v+int(math.Copysign(1, c.in.Wheel))))
	}
	c.box(minus, hover && c.in.In(minus))
	c.box(plus, hover && c.in.In(plus))
	cy := (r.Min.Y + r.Max.Y) / 2
	c.text((minus.Min.X+minus.Max.X)/2, cy, "−", c.Style.Text, render.AlignCenter)
	c.text((plus.Min.X+plus.Max.X)/2, cy, "+", c.Style.Text, render.AlignCenter)
	c.text(r.Max.X-3*bw/2, cy, strconv.Itoa(*v), c.Style.Text, render.AlignCenter)
	c.label(r.Min.X, cy, minus.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	c.order[len(c.order)-1].Value = strconv.Itoa(*v)
	c.focusRing(id, r)
	if *v != old {
		c.Changed = true
		return true
	}
	return false
}
