package playground

import (
	"image"
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// The buttons the scenes draw in their views — the drawing pad's clear,
// the flow lab's clear and face — are in Controls and, on a touch screen
// (a tablet: the wide layout at scale 2), a finger's height like every
// row; with a mouse they keep their small size. (The scenes' tests tap
// them: TestPadClearTakesAFingerOnTouch, TestLabButtonsTakeAFingerOnTouch.)
func TestViewButtonsAreAFingersHeightOnTouch(t *testing.T) {
	for _, c := range []struct {
		hash string
		keys []string
	}{
		{"data=shapes&d.n=300", []string{"clearPad"}},
		{"mode=flowlab&target=painted&lK=2", []string{"labClear", "labFace"}},
	} {
		s, err := session.New(c.hash, session.Inline)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		sc := NewScreen(s, 1024*2, 768*2, 2)
		away := ui.Input{X: -1, Y: -1}
		t0 := runFrames(sc, 2, away, time.Unix(0, 0))
		mouse := map[string]image.Rectangle{}
		for _, k := range c.keys {
			mouse[k] = sc.Controls()[k]
			if mouse[k].Empty() {
				t.Fatalf("%s: no %s in Controls: %v", c.hash, k, sc.Controls())
			}
		}
		sc.SetTouch(true)
		runFrames(sc, 2, away, t0)
		layoutShot(t, sc, "touch-targets-"+c.keys[0])
		for _, k := range c.keys {
			r := sc.Controls()[k]
			if r.Dy() < sc.px(ui.MinTouchTarget) {
				t.Errorf("%s: %s is %d px high at scale 2 on a touch screen, under %d (with a mouse %d)", c.hash, k, r.Dy(), sc.px(ui.MinTouchTarget), mouse[k].Dy())
			}
			if mouse[k].Dy() >= r.Dy() {
				t.Errorf("%s: %s as high with a mouse (%d px) as for a finger (%d)", c.hash, k, mouse[k].Dy(), r.Dy())
			}
		}
	}
}
