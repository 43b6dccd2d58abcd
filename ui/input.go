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
	// Path is where a held pointer passed on its way to (X, Y) since the
	// last frame, oldest first, (X, Y) not included: the moves that a slow
	// frame took together (a finger drawing faster than the frames, whose
	// browser coalesces its moves). Empty when nothing was held or it only
	// jumped. See Drag.
	Path []image.Point
}

// In reports whether the pointer is inside r.
func (in Input) In(r image.Rectangle) bool { return image.Pt(in.X, in.Y).In(r) }

// Drag is the stroke of a held pointer in this frame: Path and then
// (X, Y), including the frame of the release (the moves merged with it
// were still held). Nil when the button is up and was not released. A
// tool that draws along a stroke reads every point, not only (X, Y), so
// that a stroke keeps its shape however slow the frames.
func (in Input) Drag() []image.Point {
	if !in.Down && !in.Released {
		return nil
	}
	return append(in.Path[:len(in.Path):len(in.Path)], image.Pt(in.X, in.Y))
}

// Moved is in with its point and its path moved by d (into another
// image's pixels, such as a scrolled sheet's).
func (in Input) Moved(d image.Point) Input {
	in.X, in.Y = in.X+d.X, in.Y+d.Y
	if len(in.Path) > 0 {
		path := make([]image.Point, len(in.Path))
		for i, p := range in.Path {
			path[i] = p.Add(d)
		}
		in.Path = path
	}
	return in
}
