package ui

import (
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Context carries the widgets' state from frame to frame: which widget the
// pointer is over, which one is being dragged, which dropdown is open.
type Context struct {
	Th    *render.Theme
	Style Style
	Scale float64 // device pixels per CSS pixel

	in  Input
	dst *image.RGBA // nil: logic only, nothing drawn
	// area is the last drawing's bounds: where an open list must fit. The
	// frames that draw nothing keep it, or a list opened upwards near the
	// bottom would drop below the window as soon as the pointer rested.
	area   image.Rectangle
	active string // widget holding the pointer (a slider being dragged)
	open   string // open dropdown
	popup  *popup
	// hover and tip: the widget under the pointer and its help text.
	hover, tip string
	tipAnchor  image.Rectangle
	hoverID    string
	hoverSince time.Time
	consumed   bool // a popup took this frame's press
	Changed    bool // some value changed this frame

	// Density is how large the widgets' hit targets are; the first touch
	// switches it to DensityTouch (see Target).
	Density Density

	focusState
	touchState
}

type popup struct {
	id      string
	r       image.Rectangle
	choices []string
	sel     int
	hot     int // the item the arrow keys are on (−1: none)
}

// NewContext returns a context drawing with th at the given device scale.
func NewContext(th *render.Theme, scale float64) *Context {
	return &Context{Th: th, Style: DefaultStyle(th), Scale: scale}
}

// Px converts CSS pixels to device pixels.
func (c *Context) Px(v float64) int { return int(math.Round(v * c.Scale)) }

// Begin starts a frame. dst may be nil when nothing needs drawing (the
// logic runs the same).
func (c *Context) Begin(in Input, dst *image.RGBA) {
	c.in, c.dst = in, dst
	if dst != nil {
		c.area = dst.Bounds()
	}
	c.hover, c.tip, c.Changed, c.consumed = "", "", false, false
	// An open dropdown's list sits over other widgets: it takes the press.
	if c.popup != nil && in.Pressed {
		if in.In(c.popup.r) {
			c.consumed = true
		} else { // a press elsewhere closes the list and does nothing else
			c.open, c.popup = "", nil
			c.consumed = true
		}
	}
	// A new press starts afresh; the release frame still belongs to the
	// widget that held the pointer.
	if in.Pressed || !in.Down && !in.Released {
		c.active = ""
	}
	c.beginTouch()
	c.beginFocus()
}

// Clip draws the widgets declared from now on clipped to r (a scrolled
// part of a panel, below a fixed header) until end is called. Their hit
// areas stay whole: widgets declared before them take a press first.
func (c *Context) Clip(r image.Rectangle) (end func()) {
	old := c.dst
	if old != nil {
		c.dst = old.SubImage(r).(*image.RGBA)
	}
	return func() { c.dst = old }
}

// Busy reports whether a widget holds the pointer or a dropdown is open
// (the views should then ignore it).
func (c *Context) Busy() bool { return c.active != "" || c.popup != nil || c.consumed }

// Open reports whether a dropdown list is open.
func (c *Context) Open() bool { return c.popup != nil }

// Close closes an open dropdown list without choosing (the escape key).
func (c *Context) Close() { c.open, c.popup = "", nil }

// hit registers the widget under the pointer and returns whether it was
// pressed this frame.
func (c *Context) hit(id string, r image.Rectangle, help string) (hover, pressed bool) {
	if c.consumed || (c.active != "" && c.active != id) {
		return false, false
	}
	if c.in.Touch && !c.in.Down && !c.in.Released {
		return false, false // a finger that has lifted hovers nothing
	}
	if !c.in.In(r) {
		return false, false
	}
	c.hover = id
	if help != "" {
		c.tip, c.tipAnchor = help, r
	}
	return true, c.in.Pressed
}

func (c *Context) fill(r image.Rectangle, col color.RGBA) {
	if c.dst != nil {
		render.FillRect(c.dst, r, col)
	}
}

// label draws a widget's label from x, cut with an ellipsis to w pixels:
// in a narrow column the long ones ran under the widget's box.
func (c *Context) label(x, y, w int, s string, col color.RGBA) {
	if c.dst == nil {
		return
	}
	if render.TextWidth(c.Th.Label, s) > w {
		r := []rune(s)
		for len(r) > 0 && render.TextWidth(c.Th.Label, string(r)+"…") > w {
			r = r[:len(r)-1]
		}
		s = i18n.Shown(strings.TrimRight(string(r), " ") + "…")
		if len(r) == 0 {
			return
		}
	}
	c.text(x, y, s, col, render.AlignLeft)
}

func (c *Context) text(x, y int, s string, col color.RGBA, h render.Align) {
	if c.dst != nil {
		render.DrawText(c.dst, c.Th.Label, x, y, s, col, h, render.AlignMiddle)
	}
}

func (c *Context) box(r image.Rectangle, hover bool) {
	col := c.Style.Control
	if hover {
		col = c.Style.ControlHover
	}
	c.fill(r, col)
	if c.dst != nil {
		render.StrokeRect(c.dst, r, c.Style.Border)
	}
}

func (c *Context) labelColor(hover bool) color.RGBA {
	if hover {
		return c.Style.Text
	}
	return c.Style.Muted
}
