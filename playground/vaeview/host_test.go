package vaeview

import (
	"time"

	"github.com/vaeplayground/vae/playground/scene/scenetest"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// host runs the VAE's views alone, as the screen would (see scenetest).
type host struct {
	*View
	*scenetest.Host
}

// NewScreen hosts the views of s at w×h device pixels.
func NewScreen(s *session.Session, w, h int, scale float64) *host {
	vw := New(s)
	return &host{View: vw, Host: scenetest.New(s, vw, w, h, scale)}
}

func (h *host) Update(in ui.Input, keys []string, now time.Time) { h.Host.Update(in, keys, now) }

func runFrames(h *host, n int, in ui.Input, t0 time.Time) time.Time {
	return scenetest.RunFrames(h.Host, n, in, t0)
}

var variance = scenetest.Variance
