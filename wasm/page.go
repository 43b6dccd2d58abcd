//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/playground"
)

// viewport fits the page to a phone's screen; the canvas takes every
// touch (touch-action: none in style.css), so the page neither scrolls nor
// zooms under it. Ebitengine adds a viewport of its own: both say this.
const viewport = "width=device-width, initial-scale=1, viewport-fit=cover"

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
	canvas.Call("setAttribute", "aria-describedby", "vae-keys")
	canvas.Call("setAttribute", "id", "vae-canvas")
	keys := doc.Call("createElement", "p")
	keys.Set("id", "vae-keys")
	keys.Set("className", "visually-hidden")
	live := doc.Call("createElement", "div")
	live.Set("id", "vae-live")
	live.Set("className", "visually-hidden")
	live.Call("setAttribute", "role", "status")
	live.Call("setAttribute", "aria-live", "polite")
	live.Call("setAttribute", "aria-atomic", "true")
	body := doc.Get("body")
	body.Call("appendChild", keys)
	body.Call("appendChild", live)
	go mirror(g, live, canvas, keys)
}

// mirror keeps the live region's text in step with the game, and the
// canvas's name and key help in its language. It runs on its own goroutine
// (never inside a browser event: g.Do may wait for an Update).
func mirror(g *app.Game, live, canvas, keys js.Value) {
	var lastKey, lastText, lang string
	var at time.Time
	for range time.Tick(250 * time.Millisecond) {
		var key, text, now, name, help string
		g.Do(func() {
			if g.Screen != nil {
				key, text = g.Screen.Describe()
			}
			now, name, help = i18n.Current(), i18n.T(playground.CanvasName), i18n.T(playground.KeysHelp)
		})
		if now != lang {
			canvas.Call("setAttribute", "aria-label", name)
			keys.Set("textContent", help)
			lang = now
		}
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
