//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"syscall/js"
	"time"

	"github.com/vaeplayground/vae/app"
)

// keepOpenLink lays a real link over an embed's "Open in the playground"
// button: a click on it opens the new tab inside the click's own event,
// where the browser allows a pop-up (the game sees a click only at its
// next frame, which a busy page may run after the click's permission has
// lapsed), and the link also opens with a middle click, the keyboard or
// the link's menu. It follows the button's place and the settings.
func keepOpenLink(g *app.Game, canvas js.Value) {
	doc := js.Global().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("id", "vae-open")
	a.Set("className", "open-link")
	a.Set("target", "_blank")
	a.Set("rel", "noopener")
	a.Set("hidden", true)
	a.Call("setAttribute", "aria-label", "Open in the playground (a new tab)")
	doc.Get("body").Call("appendChild", a)
	a.Call("addEventListener", "click", js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault")
		href := a.Get("href").String()
		w := js.Global().Call("open", href, "_blank")
		msg := "opened the playground in a new tab"
		if w.IsNull() || w.IsUndefined() {
			msg = "the page may not open a tab (a sandboxed frame?): " + href
		} else {
			func() {
				defer func() { _ = recover() }()
				w.Set("opener", js.Null()) // the new tab must not reach back
			}()
		}
		go g.Do(func() { g.S.Message = msg })
		return nil
	}))
	go func() {
		var last string
		for range time.Tick(250 * time.Millisecond) {
			var r image.Rectangle
			var embed bool
			var hash string
			var scale float64
			g.Do(func() {
				if g.Screen == nil {
					return
				}
				embed = g.Screen.Embed()
				r = g.Screen.TopButtons()["open"]
				hash = g.S.PlaygroundHash()
				scale = g.Geometry().DeviceScale
			})
			if scale <= 0 {
				scale = 1
			}
			box := canvas.Call("getBoundingClientRect")
			x := box.Get("left").Float() + float64(r.Min.X)/scale
			y := box.Get("top").Float() + float64(r.Min.Y)/scale
			key := fmt.Sprint(embed, r, hash, x, y)
			if key == last {
				continue
			}
			last = key
			if !embed || r.Empty() {
				a.Set("hidden", true)
				continue
			}
			loc := js.Global().Get("location")
			a.Set("href", loc.Get("origin").String()+loc.Get("pathname").String()+"#"+hash)
			st := a.Get("style")
			st.Set("left", fmt.Sprintf("%.1fpx", x))
			st.Set("top", fmt.Sprintf("%.1fpx", y))
			st.Set("width", fmt.Sprintf("%.1fpx", float64(r.Dx())/scale))
			st.Set("height", fmt.Sprintf("%.1fpx", float64(r.Dy())/scale))
			a.Set("hidden", false)
		}
	}()
}
