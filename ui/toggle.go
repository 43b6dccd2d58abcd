package ui

import (
	"image"

	"github.com/vaeplayground/vae/i18n"
)

// Toggle draws a switch with a label; a click (or Enter or Space while it
// has the focus) flips *on.
func (c *Context) Toggle(id string, r image.Rectangle, label string, on *bool, help string) bool {
	label, help = i18n.T(label), i18n.T(help)
	hover, pressed, clicked := c.tap(id, r, help)
	if c.declare(Widget{ID: id, Role: "switch", Rect: r, Label: label, Value: onOff(*on), Help: help}, pressed) && c.activated() {
		clicked = true
	}
	if clicked {
		*on = !*on
		c.Changed = true
		c.order[len(c.order)-1].Value = onOff(*on)
	}
	h := r.Dy() * 3 / 5
	sw := image.Rect(r.Max.X-2*h, r.Min.Y+(r.Dy()-h)/2, r.Max.X, r.Min.Y+(r.Dy()+h)/2)
	track := c.Style.Control
	if *on {
		track = c.Style.Accent
	} else if hover {
		track = c.Style.ControlHover
	}
	c.fill(sw, track)
	knob := image.Rect(sw.Min.X+2, sw.Min.Y+2, sw.Min.X+h-2, sw.Max.Y-2)
	if *on {
		knob = knob.Add(image.Pt(h, 0))
	}
	c.fill(knob, c.Style.Text)
	c.label(r.Min.X, (r.Min.Y+r.Max.Y)/2, sw.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	c.focusRing(id, r)
	return clicked
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
