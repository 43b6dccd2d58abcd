package input

import "math"

// FromCSS maps a point in CSS pixels from the canvas's top-left to the
// frame's device pixels, as Ebitengine maps its cursor: the frame of
// frameW×frameH is scaled to fit the canvas (cssW×cssH at dpr device pixels
// per CSS pixel) and centred.
func FromCSS(x, y, cssW, cssH, dpr float64, frameW, frameH int) (int, int) {
	if dpr <= 0 {
		dpr = 1
	}
	sw, sh := cssW*dpr, cssH*dpr
	if frameW <= 0 || frameH <= 0 || sw <= 0 || sh <= 0 {
		return int(math.Floor(x * dpr)), int(math.Floor(y * dpr))
	}
	s := math.Min(sw/float64(frameW), sh/float64(frameH))
	ox := (sw - float64(frameW)*s) / 2
	oy := (sh - float64(frameH)*s) / 2
	return int(math.Floor((x*dpr - ox) / s)), int(math.Floor((y*dpr - oy) / s))
}
