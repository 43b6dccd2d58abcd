package render

import (
	"image"
	"image/color"
	"image/draw"
	"strings"

	"github.com/vaeplayground/vae/i18n"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Align says where a text's anchor point sits horizontally.
type Align int

// Horizontal alignments of a text relative to its anchor.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// VAlign says where a text's anchor point sits vertically.
type VAlign int

// Vertical alignments of a text relative to its anchor.
const (
	AlignBaseline VAlign = iota
	AlignTop
	AlignMiddle
	AlignBottom
)

// TextWidth returns the advance width of s in pixels.
func TextWidth(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// LineHeight returns the face's line height in pixels.
func LineHeight(face font.Face) int {
	return face.Metrics().Height.Ceil()
}

// DrawText draws s in the interface's language (i18n.T: every word the
// playground draws passes here) with its anchor at pixel (x, y) and returns
// the bounding rectangle of the text line (advance width × ascent+descent).
func DrawText(dst *image.RGBA, face font.Face, x, y int, s string, c color.RGBA, h Align, v VAlign) image.Rectangle {
	return drawText(dst, face, x, y, i18n.T(s), c, h, v)
}

func drawText(dst *image.RGBA, face font.Face, x, y int, s string, c color.RGBA, h Align, v VAlign) image.Rectangle {
	m := face.Metrics()
	w := font.MeasureString(face, s)
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	switch h {
	case AlignCenter:
		x -= w.Ceil() / 2
	case AlignRight:
		x -= w.Ceil()
	}
	switch v {
	case AlignTop:
		y += asc
	case AlignMiddle:
		y += (asc - desc) / 2
	case AlignBottom:
		y -= desc
	}
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return image.Rect(x, y-asc, x+w.Ceil(), y+desc)
}

// DrawTextVertical draws s rotated a quarter turn anticlockwise (reading
// bottom to top), centred on pixel (x, y): for a y-axis label.
func DrawTextVertical(dst *image.RGBA, face font.Face, x, y int, s string, c color.RGBA) {
	s = i18n.T(s)
	m := face.Metrics()
	w := TextWidth(face, s)
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	h := asc + desc
	if w == 0 || h == 0 {
		return
	}
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, asc)}
	d.DrawString(s)
	// Text pixel (u, v) goes to (x0+v, y0+w-1-u): rotated anticlockwise.
	x0, y0 := x-h/2, y-w/2
	b := dst.Bounds()
	for v := range h {
		for u := range w {
			a := mask.Pix[v*mask.Stride+u]
			if a == 0 {
				continue
			}
			px, py := x0+v, y0+w-1-u
			if !image.Pt(px, py).In(b) {
				continue
			}
			blendPixel(dst.Pix, dst.PixOffset(px, py), c, float64(a)/255)
		}
	}
}

// DrawLabel draws s left-aligned with its bottom-left corner at pixel (x, y)
// on a padded box of colour bg, so that it stays legible over a busy picture
// (a heatmap, a scatter), and returns the box.
func DrawLabel(dst *image.RGBA, face font.Face, x, y int, s string, c, bg color.RGBA) image.Rectangle {
	s = i18n.T(s)
	m := face.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	box := image.Rect(x, y-asc-desc-4, x+TextWidth(face, s)+6, y)
	FillRect(dst, box, bg)
	drawText(dst, face, x+3, y-2-desc, s, c, AlignLeft, AlignBaseline)
	return box
}

// DrawParagraph draws text word-wrapped to the width of r, starting at its
// top-left corner, and returns the y just below the last line drawn. Lines
// that would fall below r are not drawn. Newlines in text start new lines.
// The text is translated whole (i18n.T), before it is wrapped.
func DrawParagraph(dst *image.RGBA, face font.Face, r image.Rectangle, text string, c color.RGBA) int {
	text = i18n.T(text)
	lh := LineHeight(face)
	y := r.Min.Y
	sub := dst.SubImage(r).(*image.RGBA)
	for _, para := range strings.Split(text, "\n") {
		for _, line := range wrapWords(face, para, r.Dx()) {
			if y+lh > r.Max.Y {
				return y
			}
			drawText(sub, face, r.Min.X, y, line, c, AlignLeft, AlignTop)
			y += lh
		}
	}
	return y
}

// wrapWords breaks s into lines no wider than width (a single over-long word
// gets a line of its own).
func wrapWords(face font.Face, s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur := words[0]
	for _, w := range words[1:] {
		if TextWidth(face, cur+" "+w) <= width {
			cur += " " + w
			continue
		}
		lines = append(lines, cur)
		cur = w
	}
	return append(lines, cur)
}

// drawOver is draw.Draw with the Over operator, for compositing sub-views.
func drawOver(dst *image.RGBA, r image.Rectangle, src image.Image, sp image.Point) {
	draw.Draw(dst, r, src, sp, draw.Over)
}
