package scene_test

import (
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
)

// A cached panel paints once per key and rectangle, copies its pixels into
// the frame every time and reports the rectangle it redrew.
func TestPanelRepaintsWhenTheKeyChanges(t *testing.T) {
	frame := image.NewRGBA(image.Rect(0, 0, 40, 30))
	r := image.Rect(5, 5, 25, 20)
	paints := 0
	paint := func(c color.RGBA) func(*image.RGBA) {
		return func(dst *image.RGBA) {
			paints++
			for y := dst.Rect.Min.Y; y < dst.Rect.Max.Y; y++ {
				for x := dst.Rect.Min.X; x < dst.Rect.Max.X; x++ {
					dst.SetRGBA(x, y, c)
				}
			}
		}
	}
	red, blue := color.RGBA{0xff, 0, 0, 0xff}, color.RGBA{0, 0, 0xff, 0xff}
	var p scene.Panel
	dst, dirty := p.Draw(frame, r, "a", paint(red))
	if dirty != r || dst.Bounds() != r || paints != 1 || frame.RGBAAt(10, 10) != red {
		t.Fatalf("first draw: dirty %v, sub-image %v, %d paints, pixel %v", dirty, dst.Bounds(), paints, frame.RGBAAt(10, 10))
	}
	frame.SetRGBA(10, 10, color.RGBA{}) // a moving part drawn over it
	p.Draw(frame, r, "a", paint(blue))
	if paints != 1 || frame.RGBAAt(10, 10) != red {
		t.Fatalf("same key: %d paints, pixel %v (the cache was not copied back)", paints, frame.RGBAAt(10, 10))
	}
	p.Draw(frame, r, "b", paint(blue))
	if paints != 2 || frame.RGBAAt(10, 10) != blue {
		t.Fatalf("new key: %d paints, pixel %v", paints, frame.RGBAAt(10, 10))
	}
	if _, d := p.Draw(frame, r.Add(image.Pt(2, 2)), "b", paint(red)); paints != 3 || d != r.Add(image.Pt(2, 2)) {
		t.Fatalf("new rectangle: %d paints, dirty %v", paints, d)
	}
	p.Reset()
	p.Draw(frame, r.Add(image.Pt(2, 2)), "b", paint(red))
	if paints != 4 {
		t.Fatalf("after Reset: %d paints", paints)
	}
	if frame.RGBAAt(0, 0) != (color.RGBA{}) {
		t.Fatal("drawn outside the panel")
	}
}

func TestKeyChanged(t *testing.T) {
	var k scene.Key
	if !k.Changed("") {
		t.Fatal("the first key (even empty) is a change")
	}
	if k.Changed("") || !k.Changed("x") || k.Changed("x") {
		t.Fatal("a key seen again counts as a change, or a new one does not")
	}
	k.Reset()
	if !k.Changed("x") {
		t.Fatal("after Reset the same key is a change")
	}
}

func TestThrottle(t *testing.T) {
	t0 := time.Unix(0, 0)
	th := scene.Throttle{Every: 100 * time.Millisecond}
	if !th.Due(t0) {
		t.Fatal("work that never ran is not due")
	}
	th.Done(t0)
	if th.Due(t0.Add(99 * time.Millisecond)) {
		t.Fatal("due before Every passed")
	}
	if !th.Due(t0.Add(100 * time.Millisecond)) {
		t.Fatal("not due once Every passed")
	}
	th.Every = 0
	if !th.Due(t0) {
		t.Fatal("Every 0 is not always due")
	}
}

func TestRate(t *testing.T) {
	t0 := time.Unix(0, 0)
	var r scene.Rate
	r.Observe(t0, 10)
	r.Observe(t0.Add(200*time.Millisecond), 30) // within the window: no rate yet
	if r.PerSec != 0 {
		t.Fatalf("rate %v before a window ended", r.PerSec)
	}
	r.Observe(t0.Add(500*time.Millisecond), 60)
	if r.PerSec != 100 {
		t.Fatalf("50 steps in 0.5 s: %v per second", r.PerSec)
	}
	r.Observe(t0.Add(1500*time.Millisecond), 60)
	if r.PerSec != 0 {
		t.Fatalf("no steps for a second: %v per second", r.PerSec)
	}
}
