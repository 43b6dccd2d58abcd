package scene_test

import (
	"fmt"
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

// ScreenLayout chooses by CSS size: phones (upright or on their side) get the
// compact layout at their own scale, with the status in a second row of the
// bar upright; tablets and desktops the wide one, with taller bars for a
// finger. The sheet's panels stack inside it, apart, the views square.
func TestScreenLayoutChoosesByCSSSize(t *testing.T) {
	for _, c := range []struct {
		w, h, scale      float64
		touch, compact   bool
		upright, besides bool
	}{
		{390, 844, 3, true, true, true, false},
		{844, 390, 3, true, true, false, true},
		{360, 640, 2, false, true, true, false},
		{1024, 768, 2, true, false, false, false},
		{768, 1024, 2, true, true, false, true}, // a tablet held upright
		{1280, 800, 1, false, false, false, false},
		{2560, 1600, 2, false, false, false, false},
	} {
		l := scene.ScreenLayout(int(c.w*c.scale), int(c.h*c.scale), c.scale, c.touch)
		name := fmt.Sprintf("%gx%g@%g", c.w, c.h, c.scale)
		if l.Compact != c.compact || l.Window.Dx() != int(c.w*c.scale) || l.Window.Dy() != int(c.h*c.scale) {
			t.Errorf("%s: compact %v, window %v", name, l.Compact, l.Window)
			continue
		}
		bar := 30.0
		if c.touch {
			bar = 44
		}
		if l.BarButton() != bar || l.Top.Dy() < int((bar+16)*c.scale) {
			t.Errorf("%s: bar buttons %v, bar %v", name, l.BarButton(), l.Top)
		}
		if !c.compact {
			continue
		}
		if (!l.StatusRow.Empty()) != c.upright || !l.StatusRow.In(l.Top) && c.upright {
			t.Errorf("%s: status row %v in the bar %v", name, l.StatusRow, l.Top)
		}
		if l.View.Min.Y != l.Top.Max.Y || l.View.Max.Y != l.Status.Min.Y || l.View.Dx() != l.Window.Dx() {
			t.Errorf("%s: view %v between bar %v and status %v", name, l.View, l.Top, l.Status)
		}
		for _, images := range []bool{false, true} {
			s := l.Sheet(images, nil)
			named := map[string]image.Rectangle{"data": s.Data, "latent": s.Latent, "loss": s.Loss, "kl": s.KL, "flow": s.Flow}
			for n, r := range named {
				if r.Empty() || !r.In(s.Window) {
					t.Errorf("%s: sheet %s %v outside %v", name, n, r, s.Window)
				}
				for m, q := range named {
					if n < m && r.Overlaps(q) {
						t.Errorf("%s: sheet %s %v overlaps %s %v", name, n, r, m, q)
					}
				}
			}
			if s.Data.Dx() != s.Data.Dy() || s.Latent.Dx() != s.Latent.Dy() || s.Window.Dx() != l.Window.Dx() {
				t.Errorf("%s: data %v, latent %v not square, sheet %v", name, s.Data, s.Latent, s.Window)
			}
			if c.upright && s.Latent.Dx() < l.Window.Dx()*9/10 {
				t.Errorf("%s: upright latent view %v not at full width", name, s.Latent)
			}
			if c.besides && (s.Data.Max.X > s.Latent.Min.X || s.Data.Dy() > l.View.Dy()) {
				t.Errorf("%s: on its side, data %v and latent %v not side by side within the view %v", name, s.Data, s.Latent, l.View)
			}
		}
	}
}
