package input

import (
	"image"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// Keys pressed between two frames reach the widgets one a frame, in order,
// each with its own Shift: three Tabs and a Shift-Tab queued at once walk
// the focus three forward and one back.
func TestKeysWithinOneFrameAreAllSeen(t *testing.T) {
	var k Keys
	for range 3 {
		k.Push(KeyEvent{Key: ui.KeyTab})
	}
	k.Push(KeyEvent{Key: ui.KeyTab, Shift: true})
	c := ui.NewContext(render.DarkTheme(), 1)
	var path []string
	for i := range 6 {
		var in ui.Input
		if i > 0 { // the first frame declares the widgets Tab walks
			k.Next(&in)
		}
		c.Begin(in, nil)
		for i, id := range []string{"a", "b", "c", "d"} {
			c.Button(id, image.Rect(0, 30*i, 80, 30*i+20), id, "")
		}
		if f, ok := c.Focused(); ok && len(in.Keys) > 0 {
			path = append(path, f.ID)
		}
	}
	if got := strings.Join(path, " "); got != "a b c b" {
		t.Fatalf("focus path %q: want three steps forward and one back (a b c b)", got)
	}
	if k.Pending() {
		t.Fatal("keys left in the queue")
	}
}
