//go:build js && wasm

package main

import (
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/session"
)

// The saved session's keys in the page's IndexedDB: the current one, and
// the last one that could not be read (kept for a look, never read again).
const (
	savedKey      = "current"
	setAsideKey   = "unreadable"
	setAsideLimit = 64 << 20
)

var store idbStore

// autosave is the page's autosaver (the hooks report what it stored).
var autosave *autosaver

// startSession opens the session the page starts with: the saved one when
// there is one and the user takes it, else the link's (or the defaults). A
// saved session that cannot be read or resumed is set aside with a note.
func startSession(hash string) (*session.Session, []string) {
	var notes []string
	fresh := func() (*session.Session, []string) {
		s, err := session.NewWithAssets(hash, session.Worker, siteAssets{})
		if err != nil {
			showError(err)
			return nil, nil
		}
		return s, notes
	}
	if session.EmbedLink(hash) {
		return fresh() // an embed neither resumes nor autosaves
	}
	b, err := store.Get(savedKey)
	if err != nil {
		return fresh() // no storage: nothing to resume, and autosave will say why
	}
	if b == nil {
		return fresh()
	}
	setAside := func(why error) {
		notes = append(notes, "the saved session could not be resumed ("+strings.TrimPrefix(why.Error(), "saved session: ")+"): it was set aside and the page starts fresh")
		if len(b) <= setAsideLimit {
			_ = store.Put(setAsideKey, b)
		}
		_ = store.Delete(savedKey)
	}
	sv, err := session.ReadSaved(b)
	if err != nil {
		setAside(err)
		return fresh()
	}
	link := strings.TrimPrefix(hash, "#")
	var resume bool
	if link == "" || link == sv.Hash {
		resume = askResume(i18n.T("Resume where you left off?"), i18n.T(sv.Summary())+".", i18n.T("Resume"), i18n.T("Start fresh"))
	} else {
		resume = !askResume(i18n.T("This link opens other settings than your saved session."),
			i18n.F("Saved: %s. Opening the link replaces it once the new run trains.", i18n.T(sv.Summary())),
			i18n.T("Open the link"), i18n.T("Resume saved session"))
	}
	if !resume {
		return fresh()
	}
	s, err := session.Resume(sv, session.Worker, siteAssets{})
	if err != nil {
		setAside(err)
		return fresh()
	}
	return s, notes
}

// autosaver stores saved sessions one at a time, newest first: a save that
// comes while one is being written replaces the one waiting.
type autosaver struct {
	game *app.Game

	mu       sync.Mutex
	next     []byte
	busy     bool
	lastStep int
	lastErr  string
}

// put is the game's Autosave hook: it never blocks.
func (a *autosaver) put(b []byte) {
	a.mu.Lock()
	a.next = b
	start := !a.busy
	a.busy = true
	a.mu.Unlock()
	if start {
		go a.write()
	}
}

func (a *autosaver) write() {
	for {
		a.mu.Lock()
		b := a.next
		a.next = nil
		if b == nil {
			a.busy = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		err := store.Put(savedKey, b)
		a.mu.Lock()
		if err != nil {
			msg := "autosave failed: " + err.Error() + " (training goes on; save the model to keep it)"
			if msg != a.lastErr {
				a.lastErr = msg
				a.game.Do(func() { a.game.S.Message = msg })
			}
		} else if sv, rerr := session.ReadSaved(b); rerr == nil {
			a.lastStep, a.lastErr = sv.Steps, ""
		}
		a.mu.Unlock()
	}
}

// savedStep is the step of the last session stored (tests wait for it).
func (a *autosaver) savedStep() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.busy {
		return -1
	}
	return a.lastStep
}

// watchHidden saves at once when the page is hidden or left: its frames
// stop then, and a closed tab keeps only what was stored.
func (a *autosaver) watchHidden() {
	save := js.FuncOf(func(js.Value, []js.Value) any {
		if js.Global().Get("document").Get("visibilityState").String() != "hidden" {
			return nil
		}
		go func() {
			pending := a.game.SaveNow()
			for i := 0; pending && i < 40; i++ {
				time.Sleep(100 * time.Millisecond) // a worker's checkpoint comes with a later message
				pending = a.game.PollSave()
			}
		}()
		return nil
	})
	js.Global().Get("document").Call("addEventListener", "visibilitychange", save)
	js.Global().Call("addEventListener", "pagehide", save)
}
