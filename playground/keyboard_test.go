package playground

import (
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// From a fresh screen, Tab walks the top bar, then the column; it reaches
// the dataset dropdown, an arrow changes the dataset, and Space is the
// widget's, not play.
func TestTabReachesTheDatasetAndArrowsChangeIt(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	now := time.Unix(0, 0)
	frame := func(keys ...ui.Key) {
		now = now.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: 640, Y: 790, Keys: keys}, nil, now)
	}
	frame()
	frame()
	var path []string
	for range 40 {
		frame(ui.KeyTab)
		w, ok := sc.Focused()
		if !ok {
			t.Fatalf("Tab left no focus after %v", path)
		}
		path = append(path, w.ID)
		if w.ID == "data" {
			break
		}
	}
	if path[0] != "reset" && path[0] != sc.topCtx.Widgets()[0].ID {
		t.Fatalf("the first Tab focused %q, want the top bar's first button", path[0])
	}
	if path[len(path)-1] != "data" {
		t.Fatalf("Tab never reached the dataset dropdown: %v", path)
	}
	// The top bar came before the column.
	topN := len(sc.topCtx.Widgets())
	if len(path) <= topN {
		t.Fatalf("reached the column after %d of the top bar's %d widgets: %v", len(path), topN, path)
	}
	was := s.Values.Choice("data")
	frame(ui.KeyDown)
	frame()
	if got := s.Values.Choice("data"); got == was {
		t.Fatalf("an arrow on the dataset dropdown left it at %q", got)
	}
	// Shift-Tab goes back towards the top bar.
	now = now.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: 640, Y: 790, Keys: []ui.Key{ui.KeyTab}, Shift: true}, nil, now)
	if w, _ := sc.Focused(); w.ID != path[len(path)-2] {
		t.Fatalf("Shift-Tab from the dataset focused %q, want %q", w.ID, path[len(path)-2])
	}
	// Space with a focused widget does not toggle training.
	playing := s.Playing
	now = now.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: 640, Y: 790, Keys: []ui.Key{ui.KeySpace}}, []string{KeySpace}, now)
	if s.Playing != playing {
		t.Fatal("Space toggled training while a widget had the focus")
	}
}

// Tab past the column's last widget comes back to the top bar, and a
// focused widget below the fold scrolls into view.
func TestTabWrapsAndScrollsIntoView(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 600, 1)
	now := time.Unix(0, 0)
	frame := func(in ui.Input) {
		now = now.Add(16 * time.Millisecond)
		sc.Update(in, nil, now)
	}
	frame(ui.Input{})
	frame(ui.Input{})
	// Shift-Tab from nothing: the column's last widget, scrolled into view.
	frame(ui.Input{Keys: []ui.Key{ui.KeyTab}, Shift: true})
	frame(ui.Input{})
	w, ok := sc.Focused()
	if !ok || !sc.ctx.FocusVisible() {
		t.Fatalf("Shift-Tab from nothing: focus %+v %v", w, ok)
	}
	if off, _ := sc.Scroll(); off == 0 {
		t.Fatalf("the column's last widget %q at %v was not scrolled into view (panel %v)", w.ID, w.Rect, sc.L.Controls)
	}
	if w2, _ := sc.ctx.Focused(); !w2.Rect.In(sc.L.Controls) {
		t.Fatalf("%q at %v, outside the column %v", w2.ID, w2.Rect, sc.L.Controls)
	}
	frame(ui.Input{Keys: []ui.Key{ui.KeyTab}})
	if w, _ := sc.Focused(); w.ID != sc.topCtx.Widgets()[0].ID {
		t.Fatalf("Tab past the column's end focused %q, want the top bar's first", w.ID)
	}
}
