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
