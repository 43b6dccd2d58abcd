//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"strings"
	"syscall/js"
	"time"

	"github.com/vaeplayground/vae/app"
)

// viewport fits the page to a phone's screen; the canvas takes every
// touch (touch-action: none in style.css), so the page neither scrolls nor
// zooms under it. Ebitengine adds a viewport of its own: both say this.
const viewport = "width=device-width, initial-scale=1, viewport-fit=cover"

// keysHelp describes the canvas to assistive technology.
const keysHelp = "Keys: Tab and Shift-Tab move through the controls, Enter or Space activates one, the arrows change a value, escape closes a list. " +
	"Space plays or pauses training when no control has the focus, period takes one training step, r resets the model, question mark opens the help. " +
	"The status below the canvas follows the training and the messages."

// preparePage names the canvas for assistive technology and adds a
// visually hidden mirror beside it: a live region with the status line,
// updated when the state or a message changes (and the step and ELBO now
// and then while training, not every frame: a screen reader reads each
// change aloud).
func preparePage(g *app.Game, canvas js.Value) {
	doc := js.Global().Get("document")
	metas := doc.Call("querySelectorAll", `meta[name="viewport"]`)
	for i := range metas.Length() {
		metas.Index(i).Set("content", viewport)
	}
	canvas.Call("setAttribute", "role", "application")
	canvas.Call("setAttribute", "aria-label", "VAE playground: a variational autoencoder training in the page")
	canvas.Call("setAttribute", "aria-describedby", "vae-keys")
	canvas.Call("setAttribute", "id", "vae-canvas")
	keys := doc.Call("createElement", "p")
	keys.Set("id", "vae-keys")
	keys.Set("className", "visually-hidden")
	keys.Set("textContent", keysHelp)
	live := doc.Call("createElement", "div")
	live.Set("id", "vae-live")
	live.Set("className", "visually-hidden")
	live.Call("setAttribute", "role", "status")
	live.Call("setAttribute", "aria-live", "polite")
	live.Call("setAttribute", "aria-atomic", "true")
	body := doc.Get("body")
	body.Call("appendChild", keys)
	body.Call("appendChild", live)
	go mirror(g, live)
}

// mirror keeps the live region's text in step with the game. It runs on
// its own goroutine (never inside a browser event: g.Do may wait for an
// Update).
func mirror(g *app.Game, live js.Value) {
	var lastKey, lastText string
	var at time.Time
	for range time.Tick(250 * time.Millisecond) {
		var key, text string
		g.Do(func() { key, text = describe(g) })
		if text == lastText {
			continue
		}
		// The step and ELBO alone change every step: say them again only
		// every 15 s. Anything else is said at once.
		if key == lastKey && time.Since(at) < 15*time.Second {
			continue
		}
		live.Set("textContent", text)
		lastKey, lastText, at = key, text, time.Now()
	}
}

// describe is the mirror's text, and the part of it that is not the step
// and ELBO.
func describe(g *app.Game) (key, text string) {
	s := g.S
	var parts []string
	if s.Playing {
		parts = append(parts, "Training")
	} else {
		parts = append(parts, "Paused")
	}
	parts = append(parts, "data "+s.Values.Choice("data"), "prior "+s.Values.Choice("prior"))
	if m := strings.TrimSpace(s.Message); m != "" {
		parts = append(parts, m)
	}
	if s.Diverged != "" {
		parts = append(parts, s.Diverged)
	}
	if g.Screen != nil && g.Screen.Help() {
		parts = append(parts, "help open (escape closes it)")
	}
	if g.Screen != nil {
		if w, ok := g.Screen.Focused(); ok && w.Label != "" {
			f := w.Label
			if w.Role != "" {
				f += ", " + w.Role
			}
			if w.Value != "" {
				f += ", " + w.Value
			}
			if w.Help != "" {
				f += ". " + w.Help
			}
			parts = append(parts, "Focus: "+f)
		}
	}
	key = strings.Join(parts, ". ")
	elbo := "not yet measured"
	if s.History.Len() > 0 && !math.IsNaN(s.History.Ema) {
		elbo = fmt.Sprintf("%.3f", s.History.Ema)
	}
	return key, fmt.Sprintf("%s. Step %d, ELBO %s.", key, s.Steps(), elbo)
}

// followColorScheme tells the game whether the browser prefers light
// colours, now and whenever that changes (the system switching to its
// night mode): the theme setting's auto follows it.
func followColorScheme(g *app.Game) {
	if js.Global().Get("matchMedia").Type() != js.TypeFunction {
		return
	}
	mq := js.Global().Call("matchMedia", "(prefers-color-scheme: light)")
	g.SetPrefersLight(mq.Get("matches").Bool())
	mq.Call("addEventListener", "change", js.FuncOf(func(_ js.Value, args []js.Value) any {
		g.SetPrefersLight(args[0].Get("matches").Bool())
		return nil
	}))
}
