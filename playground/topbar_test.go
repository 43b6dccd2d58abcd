package playground

import (
	"slices"
	"testing"
	"time"

	"github.com/vaeplayground/vae/ui"
)

// A bar too narrow for the right-hand buttons folds them into its menu: a
// click opens it, its items are where TopButtons says, a click on one does
// what the button does and closes the menu, and the press does not reach
// the controls under the list. A wide bar shows the buttons themselves.
func TestTopBarFoldsIntoTheMenu(t *testing.T) {
	s, wide := newScreen(t, "")
	runFrames(wide, 2, ui.Input{X: 5, Y: 795}, time.Unix(0, 0))
	for _, id := range []string{"compare", "help", "link", "png", "save", "torch"} {
		if _, ok := wide.TopButtons()[id]; !ok {
			t.Errorf("1280 px: no %q button", id)
		}
	}
	if _, ok := wide.TopButtons()["menu"]; ok {
		t.Error("1280 px: a menu although the buttons fit")
	}

	sc := NewScreen(s, 720, 500, 1)
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 495}, time.Unix(0, 0))
	b := sc.TopButtons()
	if _, ok := b["menu"]; !ok {
		t.Fatalf("720 px: no menu, buttons %v", b)
	}
	if _, ok := b["link"]; ok {
		t.Fatal("720 px: the link button shows beside the menu")
	}
	t0 = click(sc, "menu", t0)
	if !sc.topCtx.Open() {
		t.Fatal("a click on More did not open the menu")
	}
	b = sc.TopButtons()
	for _, id := range []string{"compare", "help", "link", "png", "save", "torch"} {
		if r, ok := b[id]; !ok || !r.In(sc.L.Window) {
			t.Fatalf("open menu: item %q at %v (window %v)", id, r, sc.L.Window)
		}
	}
	before := s.Values.Encode()
	t0 = click(sc, "link", t0)
	if !slices.Contains(sc.Requests, CopyLink) {
		t.Fatalf("the menu's Copy link asked for %v", sc.Requests)
	}
	if sc.topCtx.Open() {
		t.Fatal("the menu stays open after picking")
	}
	if s.Values.Encode() != before {
		t.Fatal("the press on the menu item changed a setting under it")
	}
	// The help from the menu; Escape closes an open menu.
	t0 = click(sc, "menu", t0)
	t0 = click(sc, "help", t0)
	if !sc.Help() {
		t.Fatal("the menu's Help did not open the help")
	}
	sc.QueueKey(KeyEscape)
	t0 = click(sc, "menu", runFrames(sc, 1, ui.Input{X: 5, Y: 495}, t0))
	sc.QueueKey(KeyEscape)
	runFrames(sc, 1, ui.Input{X: 5, Y: 495}, t0)
	if sc.topCtx.Open() || sc.Help() {
		t.Fatalf("escape: menu open %v, help %v", sc.topCtx.Open(), sc.Help())
	}
}
