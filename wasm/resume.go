//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/vaeplayground/vae/i18n"
)

// askResume shows a choice in the loader's card — resume the saved session
// or not — and waits for it. The question is plain HTML (real buttons: a
// keyboard, a screen reader and a finger all reach them), asked before the
// game starts so that nothing trains meanwhile. It is called on the main
// goroutine, whose wait lets the page's event loop run.
func askResume(question, detail, resumeLabel, freshLabel string) bool {
	doc := js.Global().Get("document")
	card := doc.Call("querySelector", "#loader .card")
	if !card.Truthy() {
		return true // no loader (a page without the shell): keep the user's work
	}
	box := doc.Call("createElement", "div")
	box.Set("id", "resume")
	box.Call("setAttribute", "role", "dialog")
	box.Call("setAttribute", "aria-labelledby", "resume-question")
	text := func(tag, id, s string) js.Value {
		el := doc.Call("createElement", tag)
		if id != "" {
			el.Set("id", id)
		}
		el.Set("textContent", s)
		box.Call("appendChild", el)
		return el
	}
	text("p", "resume-question", question)
	text("p", "resume-detail", detail)
	chosen := make(chan bool, 1)
	button := func(id, label string, resume bool) js.Value {
		b := text("button", id, label)
		b.Set("type", "button")
		f := js.FuncOf(func(js.Value, []js.Value) any {
			select {
			case chosen <- resume:
			default:
			}
			return nil
		})
		b.Call("addEventListener", "click", f)
		return b
	}
	row := doc.Call("createElement", "div")
	row.Set("className", "resume-buttons")
	resumeButton := button("resume-yes", resumeLabel, true)
	freshButton := button("resume-no", freshLabel, false)
	row.Call("appendChild", resumeButton)
	row.Call("appendChild", freshButton)
	box.Call("appendChild", row)
	for _, id := range []string{"loader-progress", "loader-status"} {
		if el := doc.Call("getElementById", id); el.Truthy() {
			el.Set("hidden", true)
		}
	}
	card.Call("appendChild", box)
	resumeButton.Call("focus")
	if hook := js.Global().Get("vaeLoad"); hook.Truthy() {
		hook.Set("phase", "asking")
	}
	resume := <-chosen
	box.Call("remove")
	if el := doc.Call("getElementById", "loader-status"); el.Truthy() {
		el.Set("hidden", false)
		el.Set("textContent", i18n.T("Starting…"))
	}
	if hook := js.Global().Get("vaeLoad"); hook.Truthy() {
		hook.Set("phase", "starting")
	}
	return resume
}
