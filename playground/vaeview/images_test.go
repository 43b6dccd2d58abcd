package vaeview

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// The image views draw, and the pad's drawing moves its posterior.
func TestImageScreenAndPad(t *testing.T) {
	for _, hash := range []string{"data=shapes&d.n=400", "data=shapes&d.n=400&latent=4", "data=shapes&d.n=300&bayes=on"} {
		s, err := session.New(hash, session.Inline)
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScreen(s, 1280, 800, 1)
		t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
		s.Play()
		t0 = runFrames(sc, 30, ui.Input{X: 5, Y: 790}, t0)
		s.Pause()
		if s.Steps() == 0 || !s.Hyper().Binarize {
			t.Fatalf("%s: %d steps, binarize %v", hash, s.Steps(), s.Hyper().Binarize)
		}
		l := sc.imageLayout()
		if sc.iv.padActive {
			t.Fatal("empty pad encoded")
		}
		// A stroke across the pad.
		y := (l.pad.Min.Y + l.pad.Max.Y) / 2
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: l.pad.Min.X + 10, Y: y, Pressed: true, Down: true}, nil, t0)
		for x := l.pad.Min.X + 10; x < l.pad.Max.X-10; x += 6 {
			t0 = t0.Add(16 * time.Millisecond)
			sc.Update(ui.Input{X: x, Y: y, Down: true}, nil, t0)
		}
		first := sc.iv.padMu
		if !sc.iv.padActive || len(sc.iv.padRec) != s.Data.D {
			t.Fatalf("%s: the stroke was not encoded", hash)
		}
		for yy := l.pad.Min.Y + 10; yy < l.pad.Max.Y-10; yy += 6 {
			t0 = t0.Add(16 * time.Millisecond)
			sc.Update(ui.Input{X: (l.pad.Min.X + l.pad.Max.X) / 2, Y: yy, Down: true}, nil, t0)
		}
		if sc.iv.padMu == first {
			t.Fatalf("%s: drawing more did not move the posterior", hash)
		}
		t0 = runFrames(sc, 2, ui.Input{X: 5, Y: 790}, t0)
		for name, r := range map[string]image.Rectangle{"latent": sc.L.Latent, "data": sc.L.Data, "bottom": sc.L.Flow} {
			if v := variance(sc.Frame.SubImage(r).(*image.RGBA)); v < 50 {
				t.Errorf("%s: %s view blank (variance %.1f)", hash, name, v)
			}
		}
		if s.Config.Bayes.Decoder && sc.iv.padVar == nil {
			t.Errorf("%s: no decoder spread for the pad", hash)
		}
		// Clear.
		sc.Update(ui.Input{X: l.clear.Min.X + 4, Y: l.clear.Min.Y + 4, Pressed: true, Down: true}, nil, t0.Add(16*time.Millisecond))
		if sc.iv.padActive {
			t.Errorf("%s: the pad did not clear", hash)
		}
		if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
			f, _ := os.Create(filepath.Join(dir, "images-"+hash[5:11]+string(rune('0'+s.Config.LatentDim))+".png"))
			png.Encode(f, sc.Frame)
			f.Close()
		}
		s.Close()
	}
}

// A stroke on the pad that a slow frame took whole follows its path: an
// L drawn within one frame inks its corner (joining the ends alone would
// cut across).
func TestPadStrokeWithinOneFrameFollowsItsPath(t *testing.T) {
	s, err := session.New("data=shapes&d.n=400", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	l := sc.imageLayout()
	in := func(fx, fy float64) image.Point {
		return image.Pt(l.pad.Min.X+int(fx*float64(l.pad.Dx())), l.pad.Min.Y+int(fy*float64(l.pad.Dy())))
	}
	ink := func(fx, fy float64) float64 {
		return sc.iv.pad[int(fy*float64(sc.iv.h))*sc.iv.w+int(fx*float64(sc.iv.w))]
	}
	start, corner, end := in(0.2, 0.2), in(0.8, 0.2), in(0.8, 0.8)
	t0 = t0.Add(500 * time.Millisecond)
	sc.Update(ui.Input{X: start.X, Y: start.Y, Pressed: true, Down: true}, nil, t0)
	t0 = t0.Add(500 * time.Millisecond)
	sc.Update(ui.Input{X: end.X, Y: end.Y, Released: true, Path: []image.Point{in(0.5, 0.2), corner, in(0.8, 0.5)}}, nil, t0)
	if ink(0.8, 0.2) < 0.5 || ink(0.5, 0.2) < 0.5 || ink(0.8, 0.5) < 0.5 || ink(0.8, 0.75) < 0.5 {
		t.Fatalf("the L's ink: top %.2f, corner %.2f, side %.2f, end %.2f", ink(0.5, 0.2), ink(0.8, 0.2), ink(0.8, 0.5), ink(0.8, 0.75))
	}
	if c := ink(0.5, 0.5); c != 0 {
		t.Fatalf("ink %.2f on the diagonal between the ends", c)
	}
	if !sc.iv.padActive {
		t.Fatal("the stroke was not encoded")
	}
}

// On a touch screen the pad's clear button is a finger's height, and a tap
// low on it, where the mouse's button ends, clears the pad.
func TestPadClearTakesAFingerOnTouch(t *testing.T) {
	s, err := session.New("data=shapes&d.n=300", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 2048, 1536, 2)
	t0 := runFrames(sc, 2, ui.Input{X: -1, Y: -1}, time.Unix(0, 0))
	small := sc.imageLayout().clear
	sc.F.Layout.Touch = true
	l := sc.imageLayout()
	if l.clear.Dy() < sc.Px(ui.MinTouchTarget) || l.clear.Min != small.Min || l.strips.Min.Y < l.clear.Max.Y {
		t.Fatalf("clear pad at %v on touch (%v with a mouse), the strips from y %d", l.clear, small, l.strips.Min.Y)
	}
	sc.iv.Paint(10, 10, false)
	p := image.Pt((l.clear.Min.X+l.clear.Max.X)/2, l.clear.Max.Y-sc.Px(4))
	if p.In(small) {
		t.Fatalf("the tap at %v is on the mouse's button %v too", p, small)
	}
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: p.X, Y: p.Y, Touch: true, Pressed: true, Down: true}, nil, t0)
	for _, v := range sc.iv.pad {
		if v != 0 {
			t.Fatal("a tap on clear pad left the ink")
		}
	}
}

func TestChooseInterpolationEnds(t *testing.T) {
	s, err := session.New("data=shapes&d.n=300", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 3, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	before := sc.iv.strips[0][0]
	tiles := sc.iv.inputTiles
	if len(tiles) < 3 {
		t.Fatalf("%d input tiles drawn", len(tiles))
	}
	for _, i := range []int{1, 2} {
		c := tiles[i].Min.Add(image.Pt(2, 2))
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: c.X, Y: c.Y, Pressed: true, Down: true}, nil, t0)
		t0 = runFrames(sc, 2, ui.Input{X: 5, Y: 790}, t0)
	}
	if sc.iv.ends[0] == nil || sc.iv.ends[1] == nil {
		t.Fatal("clicks on two inputs did not set both ends")
	}
	if equalFloats(before, sc.iv.strips[0][0]) {
		t.Fatal("the strip did not change after choosing its ends")
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
