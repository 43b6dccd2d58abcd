package scene_test

import (
	"image"
	"testing"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

func newFrame(w, h int, scale float64) (*scene.Frame, *[]image.Rectangle) {
	th := render.DarkTheme()
	th.Title = render.NewFace(14*scale, true)
	var dirty []image.Rectangle
	l := scene.NewLayout(w, h, scale)
	return scene.NewFrame(image.NewRGBA(l.Window), th, scale, l, ui.NewContext(th, scale), &dirty), &dirty
}

// A lab panel's title too long for a narrow window takes its short form
// or an ellipsis and leaves the panel's right margin clear (titles ran to
// the edge, cut mid-word, at 700 px).
func TestLabPanelTitlesFitNarrowPanels(t *testing.T) {
	f, dirty := newFrame(700, 450, 1)
	r := image.Rect(200, 100, 330, 200)
	f.Panel(r, "Layer by layer (sampling direction): the density and a grid after each stage", "Layer by layer")
	margin := image.Rect(r.Max.X-f.Px(10), r.Min.Y, r.Max.X, r.Min.Y+f.Px(28))
	for y := margin.Min.Y; y < margin.Max.Y; y++ {
		for x := margin.Min.X; x < margin.Max.X; x++ {
			if c := f.Image.RGBAAt(x, y); c != f.Theme.Panel {
				t.Fatalf("title drawn into the right margin at (%d, %d)", x, y)
			}
		}
	}
	if len(*dirty) != 1 || (*dirty)[0] != r {
		t.Fatalf("dirty %v, want the panel %v", *dirty, r)
	}
}

// Inside keeps the margins, scaled once, and matches the hand-placed sums
// it replaced wherever the scale makes whole pixels.
func TestFrameInside(t *testing.T) {
	for _, scale := range []float64{1, 2} {
		f, _ := newFrame(640, 400, scale)
		r := image.Rect(100, 50, 400, 300)
		px := f.Px
		want := image.Rect(r.Min.X+px(40), r.Min.Y+px(30), r.Max.X-px(10), r.Max.Y-px(40))
		if got := f.Inside(r, 30, 10, 40, 40); got != want {
			t.Errorf("scale %g: %v, want %v", scale, got, want)
		}
	}
	f, _ := newFrame(640, 400, 1)
	if got := f.Inside(image.Rect(0, 0, 20, 20), 15, 15, 15, 15); got.Dx() != 0 || got.Dy() != 0 {
		t.Errorf("margins wider than the panel leave %v", got)
	}
}
