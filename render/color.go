package render

import (
	"image"
	"image/color"
	"math"
)

// WithAlpha returns the opaque colour c at opacity a in [0, 1], premultiplied
// as color.RGBA requires.
func WithAlpha(c color.RGBA, a float64) color.RGBA {
	a = clamp01(a)
	// Un-premultiply first so that translucent inputs compose correctly.
	r, g, b := float64(c.R), float64(c.G), float64(c.B)
	if c.A != 0 && c.A != 255 {
		s := 255 / float64(c.A)
		r, g, b = r*s, g*s, b*s
		a *= float64(c.A) / 255
	}
	return color.RGBA{
		R: uint8(math.Round(math.Min(r, 255) * a)),
		G: uint8(math.Round(math.Min(g, 255) * a)),
		B: uint8(math.Round(math.Min(b, 255) * a)),
		A: uint8(math.Round(255 * a)),
	}
}

// blendPixel composites the premultiplied colour c, scaled by coverage cov in
// [0, 1], over the pixel at byte offset i of dst.Pix.
func blendPixel(pix []uint8, i int, c color.RGBA, cov float64) {
	if cov <= 0 {
		return
	}
	if cov >= 1 && c.A == 255 {
		pix[i+0], pix[i+1], pix[i+2], pix[i+3] = c.R, c.G, c.B, 255
		return
	}
	sa := float64(c.A) * cov / 255
	k := 1 - sa
	pix[i+0] = uint8(float64(c.R)*cov + float64(pix[i+0])*k + 0.5)
	pix[i+1] = uint8(float64(c.G)*cov + float64(pix[i+1])*k + 0.5)
	pix[i+2] = uint8(float64(c.B)*cov + float64(pix[i+2])*k + 0.5)
	pix[i+3] = uint8(float64(c.A)*cov + float64(pix[i+3])*k + 0.5)
}

// FillRect fills r (clipped to dst) with the colour c, composited over what is
// there when c is translucent.
func FillRect(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	if c.A == 255 {
		// Opaque: write the first row, then copy it down.
		first := dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y):][:4*r.Dx()]
		for i := 0; i < len(first); i += 4 {
			first[i], first[i+1], first[i+2], first[i+3] = c.R, c.G, c.B, 255
		}
		for y := r.Min.Y + 1; y < r.Max.Y; y++ {
			copy(dst.Pix[dst.PixOffset(r.Min.X, y):][:len(first)], first)
		}
		return
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := dst.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x++ {
			blendPixel(dst.Pix, i, c, 1)
			i += 4
		}
	}
}

// StrokeRect draws a 1-pixel outline just inside r.
func StrokeRect(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	if r.Empty() {
		return
	}
	FillRect(dst, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), c)
	FillRect(dst, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c)
	FillRect(dst, image.Rect(r.Min.X, r.Min.Y+1, r.Min.X+1, r.Max.Y-1), c)
	FillRect(dst, image.Rect(r.Max.X-1, r.Min.Y+1, r.Max.X, r.Max.Y-1), c)
}
