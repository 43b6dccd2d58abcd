package ui

import (
	"image"
	"time"
)

// Input is the pointer and keyboard state of one frame, in device pixels.
type Input struct {
	X, Y     int
	Down     bool // primary button held
	Pressed  bool // primary button went down this frame
	Released bool // primary button went up this frame
	Wheel    float64
	Now      time.Time

	// Keys are the keys that went down this frame, in order; Shift is
	// whether a Shift key is held (Shift-Tab walks the focus backwards).
	Keys  []Key
	Shift bool
	// Touch says the pointer is a finger: there is no hover, a tap acts on
	// release, and a long press shows the tooltip.
	Touch bool
}

// In reports whether the pointer is inside r.
func (in Input) In(r image.Rectangle) bool { return image.Pt(in.X, in.Y).In(r) }
