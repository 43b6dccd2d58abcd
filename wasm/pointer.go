//go:build js && wasm

package main

import (
	"image"
	"syscall/js"
	"time"

	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/ui"
)

// listenPointer queues the page's pointer events on the canvas for the
// game. Ebitengine reads the mouse as a state once a frame, so a click
// whose press and release fell between two frames was lost, and it keeps
// touches apart from the mouse; pointer events carry mouse, pen and touch
// alike, each in order. The handlers only queue (they never wait for the
// game, which may be waiting for the browser).
func listenPointer(g *app.Game, canvas js.Value) {
	g.UsePointerEvents()
	on := func(name string, f func(e js.Value)) {
		canvas.Call("addEventListener", name, js.FuncOf(func(_ js.Value, args []js.Value) any {
			f(args[0])
			return nil
		}), map[string]any{"passive": false})
	}
	// where maps the event's CSS pixels to the frame's pixels; r is the
	// canvas's getBoundingClientRect.
	where := func(e, r js.Value) (int, int) {
		geo := g.Geometry()
		return input.FromCSS(
			e.Get("clientX").Float()-r.Get("left").Float(), e.Get("clientY").Float()-r.Get("top").Float(),
			r.Get("width").Float(), r.Get("height").Float(), geo.DeviceScale, geo.FrameW, geo.FrameH)
	}
	perf := js.Global().Get("performance")
	// at is when the input happened, not when its handler runs: a frame
	// of seconds (a phone training) between a finger's touch and its lift
	// delayed the lift's handler by all of it, and a quick tap became a
	// long press. The event's age on the page's clock is taken from now.
	at := func(e js.Value) time.Time {
		now := time.Now()
		if ts := e.Get("timeStamp"); ts.Type() == js.TypeNumber && perf.Type() == js.TypeObject {
			if age := perf.Call("now").Float() - ts.Float(); age > 0 && age < 60_000 {
				return now.Add(-time.Duration(age * float64(time.Millisecond)))
			}
		}
		return now
	}
	event := func(k input.Kind, e js.Value) input.Event {
		x, y := where(e, canvas.Call("getBoundingClientRect"))
		ev := input.Event{Kind: k, ID: e.Get("pointerId").Int(), X: x, Y: y, At: at(e)}
		switch e.Get("pointerType").String() {
		case "touch":
			ev.Device = input.Touch
		case "pen":
			ev.Device = input.Pen
		}
		return ev
	}
	primary := func(e js.Value) bool {
		// The mouse's other buttons are not the pointer (a right click
		// opens nothing here; Ebitengine stops the context menu).
		return e.Get("pointerType").String() != "mouse" || e.Get("button").Int() == 0
	}
	on("pointerdown", func(e js.Value) {
		if !primary(e) {
			return
		}
		// Keep the pointer's moves and its release even when it leaves the
		// canvas mid-drag.
		canvas.Call("setPointerCapture", e.Get("pointerId"))
		canvas.Call("focus", map[string]any{"preventScroll": true}) // keys go to the game
		g.PushPointer(event(input.Down, e))
	})
	on("pointerup", func(e js.Value) {
		if primary(e) {
			g.PushPointer(event(input.Up, e))
		}
	})
	on("pointercancel", func(e js.Value) { g.PushPointer(event(input.Cancel, e)) })
	on("pointermove", func(e js.Value) {
		ev := event(input.Move, e)
		// The browser sends at most one pointermove a frame, the moves since
		// the last folded into it: a finger's stroke through a slow frame
		// arrived as its two ends. Its coalesced events are the whole path
		// (where the browser offers them: secure contexts).
		if e.Get("getCoalescedEvents").Type() == js.TypeFunction {
			list := e.Call("getCoalescedEvents")
			r := canvas.Call("getBoundingClientRect")
			for i := range list.Length() - 1 { // the last is the event itself
				x, y := where(list.Index(i), r)
				ev.Trail = append(ev.Trail, image.Pt(x, y))
			}
		}
		g.PushPointer(ev)
	})
	on("wheel", func(e js.Value) {
		ev := event(input.Wheel, e)
		ev.Device, ev.ID = input.Mouse, 0
		// One wheel step is 40 CSS pixels of scrolling (the controls
		// column's step); a line is about 16 pixels, a page the canvas.
		dy := e.Get("deltaY").Float()
		switch e.Get("deltaMode").Int() {
		case 1:
			dy *= 16
		case 2:
			dy *= canvas.Call("getBoundingClientRect").Get("height").Float()
		}
		ev.Wheel = -dy / 40
		if ev.Wheel != 0 {
			g.PushPointer(ev)
		}
	})
}

// widgetKeys are the widgets' keys by the key event's code.
var widgetKeys = map[string]ui.Key{
	"Tab": ui.KeyTab, "Enter": ui.KeyEnter, "NumpadEnter": ui.KeyEnter, "Space": ui.KeySpace,
	"Escape": ui.KeyEscape, "ArrowLeft": ui.KeyLeft, "ArrowRight": ui.KeyRight,
	"ArrowUp": ui.KeyUp, "ArrowDown": ui.KeyDown, "Home": ui.KeyHome, "End": ui.KeyEnd,
}

// listenKeys queues the widgets' keys from the canvas's key events: as
// with the pointer, Ebitengine's per-frame state lost a key pressed and
// released between two frames (the Tab of a quick typist or a test).
// Typed characters (the shortcuts) are queued by Ebitengine already.
func listenKeys(g *app.Game, canvas js.Value) {
	g.UseKeyEvents()
	canvas.Call("addEventListener", "keydown", js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
			return nil // the browser's shortcuts
		}
		if k, ok := widgetKeys[e.Get("code").String()]; ok {
			g.PushKey(k, e.Get("shiftKey").Bool())
		}
		return nil
	}))
}
