// Package sessionstore keeps the desktop build's autosaved session in a
// file of the user's cache folder, written so that a crash mid-write leaves
// the previous session whole. (The browser keeps it in IndexedDB: see
// wasm/store.go.) It holds bytes only; what they mean is package session's.
package sessionstore
