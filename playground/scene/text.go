package scene

import (
	"image"
	"strings"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
	"golang.org/x/image/font"
)

// FitText returns the first of the texts that fits in w pixels of face, or
// the last cut with an ellipsis: a caption clipped at a panel's edge loses
// its start or end without a sign, and a narrow window clipped most of them.
func FitText(face font.Face, w int, texts ...string) string {
	// In the interface's language: a translation is measured, and one cut
	// to fit is shown as it is.
	shown := make([]string, len(texts))
	for i, t := range texts {
		shown[i] = i18n.T(t)
	}
	texts = shown
	for _, t := range texts {
		if render.TextWidth(face, t) <= w {
			return t
		}
	}
	r := []rune(texts[len(texts)-1])
	for n := len(r) - 1; n > 0; n-- {
		if t := strings.TrimRight(string(r[:n]), " ·,;:") + "…"; render.TextWidth(face, t) <= w {
			return i18n.Shown(t)
		}
	}
	return ""
}

// SquareIn is the largest square centred in r.
func SquareIn(r image.Rectangle) image.Rectangle {
	side := min(r.Dx(), r.Dy())
	x := r.Min.X + (r.Dx()-side)/2
	y := r.Min.Y + (r.Dy()-side)/2
	return image.Rect(x, y, x+side, y+side)
}
