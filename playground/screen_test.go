package playground

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vaeplayground/vae/ui"
)

// runFrames drives a screen for n frames of 16 ms with the pointer at in.
func runFrames(sc *Screen, n int, in ui.Input, t0 time.Time) time.Time {
	for range n {
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(in, nil, t0)
	}
	return t0
}

func TestScreenDrawsAndTrains(t *testing.T) {
	s, err := New("", Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := time.Unix(0, 0)
	t0 = runFrames(sc, 2, ui.Input{X: 600, Y: 300}, t0)
	s.Play()
	t0 = runFrames(sc, 60, ui.Input{X: 600, Y: 300}, t0)
	if s.Steps() == 0 {
		t.Fatal("no training steps after 60 playing frames")
	}
	if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "screen.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, sc.Frame); err != nil {
			t.Fatal(err)
		}
	}
}
