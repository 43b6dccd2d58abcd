package scene_test

import (
	"image"
	"testing"

	"github.com/vaeplayground/vae/playground/scene"
)

func TestLayoutFitsWithoutOverlap(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		scale float64
	}{{1280, 800, 1}, {2560, 1600, 2}, {1920, 1080, 1}, {900, 600, 1}, {640, 400, 1}, {1500, 1000, 1.5}} {
		l := scene.NewLayout(c.w, c.h, c.scale)
		named := map[string]image.Rectangle{"top": l.Top, "controls": l.Controls, "status": l.Status,
			"data": l.Data, "latent": l.Latent, "loss": l.Loss, "kl": l.KL, "flow": l.Flow}
		for n, r := range named {
			if r.Empty() || !r.In(l.Window) {
				t.Errorf("%dx%d@%g: %s %v empty or outside %v", c.w, c.h, c.scale, n, r, l.Window)
			}
			for m, q := range named {
				if n < m && r.Overlaps(q) {
					t.Errorf("%dx%d@%g: %s %v overlaps %s %v", c.w, c.h, c.scale, n, r, m, q)
				}
			}
		}
		if l.Data.Dx() != l.Data.Dy() || l.Latent.Dx() != l.Latent.Dy() {
			t.Errorf("%dx%d@%g: views not square", c.w, c.h, c.scale)
		}
	}
}
