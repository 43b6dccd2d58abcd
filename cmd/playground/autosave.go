package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/internal/sessionstore"
	"github.com/vaeplayground/vae/session"
)

// autosaveStore is the session file to use, or nil when autosave is off.
func autosaveStore(path string, enabled bool) (*sessionstore.File, error) {
	if !enabled || path == "off" {
		return nil, nil
	}
	if path == "" {
		p, err := sessionstore.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return &sessionstore.File{Path: path}, nil
}

// startSession resumes the saved session when asked to and it reads, else
// opens the settings. An unreadable saved session is set aside with a line
// on the terminal and in the status line.
func startSession(store *sessionstore.File, resume bool, settings string, assets session.AssetSource) (*session.Session, error) {
	var note string
	if resume {
		b, err := store.Get()
		if err == nil && b != nil {
			var sv *session.Saved
			if sv, err = session.ReadSaved(b); err == nil {
				s, err := session.Resume(sv, session.Background, assets)
				if err == nil {
					fmt.Fprintf(os.Stderr, "resumed the autosaved session (%s); -fresh starts over\n", sv.Summary())
					return s, nil
				}
				note = err.Error()
			} else {
				note = err.Error()
			}
			if aerr := store.SetAside(); aerr != nil {
				note += "; " + aerr.Error()
			}
		} else if err != nil {
			note = err.Error()
		}
	}
	s, err := session.NewWithAssets(settings, session.Background, assets)
	if err != nil {
		return nil, err
	}
	if note != "" {
		msg := fmt.Sprintf("the autosaved session could not be resumed (%s): set aside in %s.unreadable, starting fresh", note, store.Path)
		fmt.Fprintln(os.Stderr, msg)
		s.Message = msg
	}
	return s, nil
}

// autosaver writes saved sessions on a goroutine, newest first.
type autosaver struct {
	store *sessionstore.File
	game  *app.Game

	mu   sync.Mutex
	next []byte
	wake chan struct{}
	done sync.WaitGroup
}

func newAutosaver(store *sessionstore.File) *autosaver {
	a := &autosaver{store: store, wake: make(chan struct{}, 1)}
	a.done.Add(1)
	go a.loop()
	return a
}

// put is the game's Autosave hook: it never blocks.
func (a *autosaver) put(b []byte) {
	a.mu.Lock()
	a.next = b
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *autosaver) loop() {
	defer a.done.Done()
	var lastErr string
	for range a.wake {
		a.mu.Lock()
		b := a.next
		a.next = nil
		a.mu.Unlock()
		if b == nil {
			continue
		}
		if err := a.store.Put(b); err != nil && err.Error() != lastErr {
			lastErr = err.Error()
			fmt.Fprintln(os.Stderr, "autosave:", err)
			if a.game != nil {
				a.game.Do(func() { a.game.S.Message = "autosave failed: " + err.Error() })
			}
		}
	}
}

// flush writes what is waiting and stops the writer.
func (a *autosaver) flush() {
	close(a.wake)
	a.done.Wait()
	a.mu.Lock()
	b := a.next
	a.mu.Unlock()
	if b != nil {
		_ = a.store.Put(b)
	}
}
