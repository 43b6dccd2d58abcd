//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/trainworker"
)

// maxMessageBytes bounds a message from the page before it is copied in:
// above the protocol's largest build (checkpoint and data).
const maxMessageBytes = trainworker.MaxTrainerBytes + 8*trainworker.MaxDataValues + 1<<16

func main() {
	// The reproducible product, as on the page and the desktop.
	backend := fastblas.Install()
	self := js.Global()
	arrayBuffer := self.Get("ArrayBuffer")
	uint8Array := self.Get("Uint8Array")

	inbox := trainworker.NewInbox()
	// The handler must not block (it runs on the event loop): it copies the
	// bytes and queues them for the loop below.
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		if !data.InstanceOf(arrayBuffer) || data.Get("byteLength").Int() > maxMessageBytes {
			inbox.Put(nil) // refused by the decoder, answered with a fatal error
			return nil
		}
		b := make([]byte, data.Get("byteLength").Int())
		js.CopyBytesToGo(b, uint8Array.New(data))
		inbox.Put(b)
		return nil
	})
	self.Call("addEventListener", "message", onMessage)

	send := func(b []byte) {
		arr := uint8Array.New(len(b))
		js.CopyBytesToJS(arr, b)
		buf := arr.Get("buffer")
		self.Call("postMessage", buf, []any{buf})
	}

	// yield gives the worker's event loop a turn, so that messages from the
	// page arrive while training runs: a message to ourselves through a
	// MessageChannel comes back as soon as the events before it are handled
	// (a setTimeout would add its 4 ms clamp to every slice).
	channel := self.Get("MessageChannel").New()
	resumed := make(chan struct{}, 1)
	channel.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case resumed <- struct{}{}:
		default:
		}
		return nil
	}))
	port2 := channel.Get("port2")
	yield := func() {
		port2.Call("postMessage", nil)
		<-resumed
	}

	trainworker.Serve(&trainworker.Server{Backend: backend}, inbox, send, yield)
}
