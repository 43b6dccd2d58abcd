//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"sync"
	"syscall/js"
)

// idbStore keeps the saved session in the page's IndexedDB: one database,
// one object store, a record per key. Every call waits for its request, so
// it must run on a goroutine of its own, never on the game's (a waiting
// goroutine parks; the page's event loop goes on and answers it).
type idbStore struct {
	once sync.Once
	db   js.Value
	err  error
}

const (
	idbName    = "vae-playground"
	idbVersion = 1
	idbObjects = "session"
)

// request waits for an IDBRequest (or an IDBTransaction, with its
// complete event) and returns its result or its error.
func request(r js.Value, okEvent string) (js.Value, error) {
	type answer struct {
		v   js.Value
		err error
	}
	ch := make(chan answer, 1)
	var ok, fail js.Func
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		var v js.Value
		if okEvent == "success" {
			v = r.Get("result")
		}
		ch <- answer{v: v}
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		ch <- answer{err: domError(r.Get("error"))}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	r.Set("on"+okEvent, ok)
	r.Set("onerror", fail)
	if okEvent == "complete" {
		r.Set("onabort", fail)
	}
	a := <-ch
	return a.v, a.err
}

// domError turns a DOMException into an error naming it (QuotaExceededError
// says the browser's storage is full).
func domError(e js.Value) error {
	if !e.Truthy() {
		return errors.New("the browser's storage refused")
	}
	name, msg := e.Get("name").String(), e.Get("message").String()
	if name == "QuotaExceededError" {
		return fmt.Errorf("the browser's storage for this site is full (%s)", msg)
	}
	return fmt.Errorf("%s: %s", name, msg)
}

func (s *idbStore) open() (js.Value, error) {
	s.once.Do(func() {
		idb := js.Global().Get("indexedDB")
		if !idb.Truthy() {
			s.err = errors.New("this browser keeps no local storage (IndexedDB is off)")
			return
		}
		var req js.Value
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.err = fmt.Errorf("IndexedDB: %v", r) // a private window may throw
				}
			}()
			req = idb.Call("open", idbName, idbVersion)
		}()
		if s.err != nil {
			return
		}
		upgrade := js.FuncOf(func(js.Value, []js.Value) any {
			db := req.Get("result")
			if !db.Get("objectStoreNames").Call("contains", idbObjects).Bool() {
				db.Call("createObjectStore", idbObjects)
			}
			return nil
		})
		defer upgrade.Release()
		req.Set("onupgradeneeded", upgrade)
		s.db, s.err = request(req, "success")
	})
	return s.db, s.err
}

// Get returns the record under key, or nil when there is none.
func (s *idbStore) Get(key string) ([]byte, error) {
	db, err := s.open()
	if err != nil {
		return nil, err
	}
	tx := db.Call("transaction", idbObjects, "readonly")
	v, err := request(tx.Call("objectStore", idbObjects).Call("get", key), "success")
	if err != nil || !v.Truthy() {
		return nil, err
	}
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, errors.New("the saved session is not a byte record")
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// Put stores data under key; it returns once the transaction is durable.
func (s *idbStore) Put(key string, data []byte) error {
	db, err := s.open()
	if err != nil {
		return err
	}
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	tx := db.Call("transaction", idbObjects, "readwrite")
	tx.Call("objectStore", idbObjects).Call("put", arr, key)
	_, err = request(tx, "complete")
	return err
}

// Delete removes the record under key.
func (s *idbStore) Delete(key string) error {
	db, err := s.open()
	if err != nil {
		return err
	}
	tx := db.Call("transaction", idbObjects, "readwrite")
	tx.Call("objectStore", idbObjects).Call("delete", key)
	_, err = request(tx, "complete")
	return err
}
