package app

import (
	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/playground"
	"github.com/vaeplayground/vae/ui"
)

// UseKeyEvents tells the game that the widgets' keys (Tab, Enter, Space,
// Escape, the arrows, Home, End) come through PushKey (the page's key
// events), not from Ebitengine's state, which loses a key pressed and
// released between two frames. Call it before RunGame.
func (g *Game) UseKeyEvents() { g.keyEvents = true }

// PushKey queues a press of one of the widgets' keys. Safe from any
// goroutine; it never waits for the game.
func (g *Game) PushKey(k ui.Key, shift bool) {
	g.keys.Push(input.KeyEvent{Key: k, Shift: shift})
}

// frameKeys adds this Update's widget keys to in and returns the screen's
// key names that go with them (Escape is both).
func (g *Game) frameKeys(in *ui.Input) []string {
	if !g.keyEvents {
		widgetKeys(in)
		return keys(true)
	}
	g.keys.Next(in)
	out := keys(false)
	for _, k := range in.Keys {
		if k == ui.KeyEscape {
			out = append(out, playground.KeyEscape)
		}
	}
	return out
}

// SetPrefersLight says whether the system asks for light colours (the
// browser's prefers-color-scheme): the theme setting's auto follows it from
// the next frame. Safe from any goroutine; the desktop never calls it
// (dark).
func (g *Game) SetPrefersLight(light bool) { g.prefersLight.Store(light) }

// InputPending reports whether pointer events or keys wait for a later
// Update (tests wait until the game has taken what they sent).
func (g *Game) InputPending() bool { return g.pointer.Pending() || g.keys.Pending() }
