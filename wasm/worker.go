//go:build js && wasm

package main

import (
	"errors"
	"strings"
	"sync"
	"syscall/js"

	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/trainworker"
)

// maxWorkerMessage bounds a reply before it is copied in: above the largest
// snapshot the protocol allows.
const maxWorkerMessage = 8*trainworker.MaxParams + 1<<16

// maxPending bounds the replies waiting for a frame (none come while the
// tab is hidden); the oldest go first, and only the newest snapshot is kept.
const maxPending = 4096

// workerLink is the page's end of the training worker (session.WorkerLink).
// The worker's events only queue what arrives: the game takes it at its next
// frame, so nothing here ever waits.
type workerLink struct {
	worker     js.Value
	uint8Array js.Value

	mu      sync.Mutex
	pending [][]byte
	err     error
}

func (l *workerLink) Send(b []byte) {
	arr := l.uint8Array.New(len(b))
	js.CopyBytesToJS(arr, b)
	buf := arr.Get("buffer")
	l.worker.Call("postMessage", buf, []any{buf}) // transferred, not copied
}

func (l *workerLink) Receive() ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.pending
	l.pending = nil
	return out, l.err
}

func (l *workerLink) put(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if trainworker.KindOf(b) == trainworker.KindSnapshot {
		// A newer snapshot supersedes a sound older one; a corrupt one stays,
		// so that the session sees it and gives the worker up.
		for i, p := range l.pending {
			if trainworker.KindOf(p) == trainworker.KindSnapshot {
				if _, err := trainworker.Decode(p); err == nil {
					l.pending = append(l.pending[:i], l.pending[i+1:]...)
				}
				break
			}
		}
	}
	if len(l.pending) >= maxPending {
		l.pending = l.pending[1:]
	}
	l.pending = append(l.pending, b)
}

func (l *workerLink) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// workerStatus is what the hooks say about the worker before the session
// has it: "none" (not started or unavailable), "starting", or why it never
// became ready.
var workerStatus = "none"

// startWorker starts the training worker (after the first frame: it is not
// part of the first load). The loader makes the Worker, since it knows the
// files' versioned names; where workers are missing it answers null and
// training stays in the frame. Once the worker says it is ready, the
// session hands its trainer over.
func startWorker(g *app.Game) {
	startWorkerFor(g, func() *session.Session { return g.S }, &workerStatus, true)
}

// startWorkerFor starts a training worker for the session target returns
// once the worker is ready (the game's, or a comparison's B), with its
// status in *status; expose puts it in vae.worker. It returns the Worker
// (undefined where there is none).
func startWorkerFor(g *app.Game, target func() *session.Session, status *string, expose bool) js.Value {
	start := js.Global().Get("vaeStartWorker")
	if start.Type() != js.TypeFunction {
		return js.Undefined()
	}
	w := start.Invoke()
	if !w.Truthy() {
		return js.Undefined()
	}
	*status = "starting"
	if hooks := js.Global().Get("vae"); expose && hooks.Truthy() {
		hooks.Set("worker", w) // end-to-end tests break it on purpose
	}
	link := &workerLink{worker: w, uint8Array: js.Global().Get("Uint8Array")}
	arrayBuffer := js.Global().Get("ArrayBuffer")
	ready := false
	becomeReady := func() {
		ready = true
		// Not in the event handler: the game's lock is taken between frames.
		go g.Do(func() {
			if err := target().AttachWorker(link); err != nil {
				*status = "not used: " + err.Error()
				return
			}
			*status = "attached"
		})
	}
	w.Call("addEventListener", "message", js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		switch {
		case data.InstanceOf(arrayBuffer) && data.Get("byteLength").Int() <= maxWorkerMessage:
			b := make([]byte, data.Get("byteLength").Int())
			js.CopyBytesToGo(b, link.uint8Array.New(data))
			link.put(b)
			if !ready && trainworker.KindOf(b) == trainworker.KindReady {
				becomeReady()
			}
		case data.Type() == js.TypeObject && data.Get("exit").Type() == js.TypeString:
			link.fail(errors.New(clip(data.Get("exit").String(), 200)))
		default:
			link.put([]byte{}) // refused by the decoder: the session falls back
		}
		if !ready && link.err != nil {
			*status = "failed: " + link.err.Error()
		}
		return nil
	}))
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		ev.Call("preventDefault") // reported by the session, not as an uncaught error
		text := "the worker crashed"
		if m := ev.Get("message"); m.Type() == js.TypeString && m.String() != "" {
			text += ": " + clip(m.String(), 200)
		}
		link.fail(errors.New(text))
		if !ready {
			*status = "failed: " + text
		}
		return nil
	})
	w.Call("addEventListener", "error", onError)
	w.Call("addEventListener", "messageerror", onError)
	return w
}

// compareWorkerStatus is the status of the comparison's B worker, as
// workerStatus is A's.
var compareWorkerStatus = "none"

// compareWorker gives the comparison's B a worker of its own once A's has
// started, where the machine has two cores or more, and ends it with the
// comparison. Called after every settings change (turning Compare on or
// off changes the link) and after the first frame.
func (b *browser) compareWorker() {
	if !b.workerStarted {
		return
	}
	var c *session.Compare
	if sc := b.game.Screen; sc != nil && sc.Compare() != nil {
		c = sc.Compare().C
	}
	if c == b.workerFor {
		return
	}
	if b.bWorker.Truthy() {
		b.bWorker.Call("terminate")
		b.bWorker = js.Undefined()
	}
	b.workerFor, compareWorkerStatus = c, "none"
	cores := js.Global().Get("navigator").Get("hardwareConcurrency")
	if c == nil || cores.Type() != js.TypeNumber || cores.Int() < 2 {
		return
	}
	b.bWorker = startWorkerFor(b.game, func() *session.Session { return c.B }, &compareWorkerStatus, false)
}

// clip shortens a text from the worker for the status line.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
