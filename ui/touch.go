package ui

import (
	"image"
	"time"
)

// Density is how large the widgets' hit targets are.
type Density int

const (
	// DensityMouse takes the rectangles the layout gives (a mouse hits a
	// 20-pixel row).
	DensityMouse Density = iota
	// DensityTouch asks for rows at least MinTouchTarget CSS pixels high
	// (Target); Begin switches to it when the first touch arrives.
	DensityTouch
)

// MinTouchTarget is the smallest hit target for a finger, in CSS pixels
// (Apple's and Material's guidelines).
const MinTouchTarget = 44.0

// Target returns the height in CSS pixels to give a row of widgets that
// would be h high under a mouse: h, or at least MinTouchTarget at touch
// density. The stepper's buttons and a dropdown's items are as high as
// their row, so they grow with it.
func (c *Context) Target(h float64) float64 {
	if c.Density == DensityTouch {
		return max(h, MinTouchTarget)
	}
	return h
}

const (
	// longPress is how long a finger rests to show a tooltip.
	longPress = 500 * time.Millisecond
	// touchSlop is how far (CSS pixels) a finger may wander and still tap
	// or long-press.
	touchSlop = 10.0
)

// touchState follows the current press for taps and long presses.
type touchState struct {
	pressID  string // the widget the press began on
	pressAt  time.Time
	pressPos image.Point
	moved    bool // the press wandered beyond touchSlop
}

func (c *Context) beginTouch() {
	in := c.in
	if in.Touch && c.Density == DensityMouse {
		c.Density = DensityTouch
	}
	if in.Pressed {
		c.pressID, c.pressAt, c.pressPos, c.moved = "", in.Now, image.Pt(in.X, in.Y), false
	}
	if (in.Down || in.Released) && !c.moved {
		dx, dy := float64(in.X-c.pressPos.X), float64(in.Y-c.pressPos.Y)
		slop := touchSlop * c.Scale
		c.moved = dx*dx+dy*dy > slop*slop
	}
}

// longPressing reports whether a finger has rested on the same spot for
// longPress since it went down (on the release frame too, so that the
// release after a long press is no tap).
func (c *Context) longPressing() bool {
	in := c.in
	return in.Touch && (in.Down || in.Released) && !c.moved && in.Now.Sub(c.pressAt) >= longPress
}

// tap is hit for widgets that act on a click: with a mouse on the press,
// with a finger on the release of a press that began on the widget, did not
// wander and was not a long press (which shows the tooltip instead).
func (c *Context) tap(id string, r image.Rectangle, help string) (hover, pressed, clicked bool) {
	hover, pressed = c.hit(id, r, help)
	if !c.in.Touch {
		return hover, pressed, pressed
	}
	if pressed {
		c.pressID = id
	}
	return hover, pressed, hover && c.in.Released && c.pressID == id && !c.moved && !c.longPressing()
}
