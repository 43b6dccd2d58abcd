package input

import (
	"sync"

	"github.com/vaeplayground/vae/ui"
)

// KeyEvent is a key that went down: one of the widgets' keys (ui.Key) and
// whether Shift was held with it.
type KeyEvent struct {
	Key   ui.Key
	Shift bool
}

// Keys queues the widgets' keys from the page's key events. Ebitengine
// reads the keyboard as a state once a frame, so a key pressed and released
// between two frames (a quick typist, a test's key press) was lost; queued,
// each press reaches one frame. The zero value is an empty queue.
type Keys struct {
	mu sync.Mutex
	q  []KeyEvent
}

// Push queues a key press. Safe from any goroutine.
func (k *Keys) Push(e KeyEvent) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.q) < maxQueued {
		k.q = append(k.q, e)
	}
}

// Next puts the oldest queued key into in (Keys and Shift), if any: one key
// a frame, since the widgets see a key as "went down this frame" and two
// Tabs in one frame would move the focus once.
func (k *Keys) Next(in *ui.Input) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.q) == 0 {
		return
	}
	e := k.q[0]
	k.q = k.q[:copy(k.q, k.q[1:])]
	in.Keys = append(in.Keys, e.Key)
	in.Shift = e.Shift
}

// Pending reports whether keys wait for a later frame.
func (k *Keys) Pending() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.q) > 0
}
