package playground

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// TestDocsScreenshots writes the README's pictures of the layouts to
// $DOCS_SHOTS (DOCS_SHOTS=$PWD/docs go test -run DocsScreenshots
// ./playground/): a phone upright and on its side and a tablet, each with a
// finger's rows, and the keyboard's focus ring on the dataset control of a
// desktop, all on a mixture prior trained on 8 Gaussians.
func TestDocsScreenshots(t *testing.T) {
	dir := os.Getenv("DOCS_SHOTS")
	if dir == "" {
		t.Skip("DOCS_SHOTS not set")
	}
	s, err := session.New("data=8gaussians&prior=mixture", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(1500)
	for _, c := range []struct {
		name        string
		w, h, scale float64
		touch       bool
		focus       string
	}{
		{"phone-portrait", 390, 844, 3, true, ""},
		{"phone-landscape", 844, 390, 3, true, ""},
		{"tablet", 1024, 768, 2, true, ""},
		{"keyboard-focus", 1280, 800, 1, false, "data"},
	} {
		sc := NewScreen(s, int(c.w*c.scale), int(c.h*c.scale), c.scale)
		sc.SetTouch(c.touch)
		away := ui.Input{X: -1, Y: -1}
		t0 := runFrames(sc, 5, away, time.Unix(0, 0))
		for range 60 { // Tab, as a keyboard user does, to the control
			if w, ok := sc.Focused(); c.focus == "" || ok && w.ID == c.focus {
				break
			}
			t0 = runFrames(sc, 1, ui.Input{X: -1, Y: -1, Keys: []ui.Key{ui.KeyTab}}, t0)
		}
		t0 = runFrames(sc, 40, away, t0.Add(time.Second)) // the slow views' refresh
		runFrames(sc, 2, away, t0.Add(time.Second))
		if c.focus != "" {
			if w, ok := sc.Focused(); !ok || w.ID != c.focus || !sc.ctx.FocusVisible() {
				t.Fatalf("%s: focus on %q (%v), want a visible ring on %q", c.name, w.ID, ok, c.focus)
			}
		}
		writePNG(t, filepath.Join(dir, c.name+".png"), composite(sc))
	}
}
