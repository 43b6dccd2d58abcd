// Package scenetest runs one scene without the screen around it, for the
// scenes' own tests: a frame of its own, a context that collects the
// scenes' tooltips, the session's tick and the keys, as the screen gives
// them. It draws no top bar, controls or overlay.
package scenetest

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// Host runs Scene for session S in a Frame of w×h device pixels.
type Host struct {
	S     *session.Session
	Scene scene.Scene
	Frame *image.RGBA
	L     scene.Layout
	F     *scene.Frame
	Hints *ui.Context
	Dirty []image.Rectangle
}

// New hosts sc for s at w×h device pixels and the given scale.
func New(s *session.Session, sc scene.Scene, w, h int, scale float64) *Host {
	th := render.DarkTheme()
	th.Small = render.NewFace(11*scale, false)
	th.Label = render.NewFace(13*scale, false)
	th.Title = render.NewFace(14*scale, true)
	l := scene.NewLayout(w, h, scale)
	hst := &Host{S: s, Scene: sc, L: l, Frame: image.NewRGBA(l.Window), Hints: ui.NewContext(th, scale)}
	hst.F = scene.NewFrame(hst.Frame, th, scale, l, hst.Hints, &hst.Dirty)
	hst.F.Full = true
	return hst
}

// Px is v CSS pixels in device pixels.
func (h *Host) Px(v float64) int { return h.F.Px(v) }

// Update runs one frame as the screen does: the keys, the session's tick,
// then the scene.
func (h *Host) Update(in ui.Input, keys []string, now time.Time) {
	in.Now = now
	f := h.F
	if f.Full {
		render.FillRect(h.Frame, h.Frame.Bounds(), f.Theme.Background)
	}
	for _, k := range keys {
		h.Scene.Key(f, k, in)
	}
	h.S.Tick(now)
	h.Hints.Begin(in, nil)
	f.Busy = h.Hints.Busy()
	h.Scene.Update(f, in, now)
	h.Dirty = h.Dirty[:0]
	f.Full = false
}

// RunFrames drives h for n frames of 16 ms with the pointer at in.
func RunFrames(h *Host, n int, in ui.Input, t0 time.Time) time.Time {
	for range n {
		t0 = t0.Add(16 * time.Millisecond)
		h.Update(in, nil, t0)
	}
	return t0
}

// Variance is the variance of img's brightness: near 0 for a blank panel.
func Variance(img *image.RGBA) float64 {
	var s, s2, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			o := img.PixOffset(x, y)
			l := float64(img.Pix[o]) + float64(img.Pix[o+1]) + float64(img.Pix[o+2])
			s += l
			s2 += l * l
			n++
		}
	}
	m := s / n
	return s2/n - m*m
}
