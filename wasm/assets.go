//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
)

// siteAssets fetches data files from the site's data/ folder (relative,
// so the site works under any path), streaming to report progress. It is
// called on a goroutine of its own: awaiting a promise parks only it.
type siteAssets struct{}

// await waits for a promise and returns its value or its rejection.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	r := <-ch
	return r.v, r.err
}

// maxFetchBytes bounds a data file (the packed MNIST is 6.6 MB).
const maxFetchBytes = 64 << 20

func (siteAssets) Fetch(name string, progress func(done, total int64)) ([]byte, error) {
	resp, err := await(js.Global().Call("fetch", "data/"+name))
	if err != nil {
		return nil, fmt.Errorf("download of %s failed: %v", name, err)
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("download of %s failed (HTTP %d)", name, resp.Get("status").Int())
	}
	total := int64(-1)
	if h := resp.Get("headers").Call("get", "Content-Length"); h.Type() == js.TypeString {
		var n int64
		if _, err := fmt.Sscan(h.String(), &n); err == nil && n > 0 {
			total = n
		}
	}
	if total > maxFetchBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than %d MiB", name, total, maxFetchBytes>>20)
	}
	progress(0, total)
	reader := resp.Get("body").Call("getReader")
	var out []byte
	for {
		chunk, err := await(reader.Call("read"))
		if err != nil {
			return nil, fmt.Errorf("download of %s failed: %v", name, err)
		}
		if chunk.Get("done").Bool() {
			break
		}
		v := chunk.Get("value")
		n := v.Get("length").Int()
		if len(out)+n > maxFetchBytes {
			reader.Call("cancel")
			return nil, fmt.Errorf("%s: more than %d MiB", name, maxFetchBytes>>20)
		}
		buf := make([]byte, n)
		js.CopyBytesToGo(buf, v)
		out = append(out, buf...)
		progress(int64(len(out)), total)
	}
	return out, nil
}
