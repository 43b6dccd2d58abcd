package ui

import (
	"image"
	"testing"
)

// A menu opens on a click, picks the item under the next press and closes;
// a press elsewhere closes it without picking; the keyboard opens it, walks
// it and picks.
func TestMenuOpensAndPicks(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(340, 0, 380, 30)
	items := []string{"help", "link", "save"}
	window := dst.Bounds()
	run := func(in Input) (picked int) {
		frame(c, dst, in, func() { picked = c.Menu("m", r, "More", items, "more", window) })
		return
	}
	if run(Input{X: 360, Y: 10, Pressed: true, Down: true}) != -1 || !c.Open() {
		t.Fatal("a click on the button did not open the list (or picked)")
	}
	p := c.PopupRect()
	if p.Min.Y != r.Max.Y || p.Max.X != r.Max.X || !p.In(window) || p.Dy() != 3*r.Dy() {
		t.Fatalf("list %v: not under the button %v, right-aligned, inside %v, a row per item", p, r, window)
	}
	if got := run(Input{X: p.Min.X + 5, Y: p.Min.Y + r.Dy() + 5, Pressed: true, Down: true}); got != 1 {
		t.Fatalf("press on the second row picked %d", got)
	}
	if c.Open() {
		t.Fatal("list still open after picking")
	}
	run(Input{X: 360, Y: 10, Pressed: true, Down: true})
	if got := run(Input{X: 10, Y: 300, Pressed: true, Down: true}); got != -1 || c.Open() {
		t.Fatalf("press outside: picked %d, open %v", got, c.Open())
	}
	// The keyboard: focus, Enter opens, Down, Enter picks the second item.
	c.SetFocus("m")
	run(Input{X: -1, Y: -1, Keys: []Key{KeyEnter}})
	if !c.Open() {
		t.Fatal("Enter did not open the list")
	}
	run(Input{X: -1, Y: -1, Keys: []Key{KeyDown}})
	if got := run(Input{X: -1, Y: -1, Keys: []Key{KeyEnter}}); got != 1 || c.Open() {
		t.Fatalf("Down, Enter picked %d (open %v)", got, c.Open())
	}
	// A short window: the rows shrink so that the list fits.
	short := image.Rect(0, 0, 400, 100)
	frame(c, dst, Input{X: 360, Y: 10, Pressed: true, Down: true}, func() { c.Menu("m", r, "More", items, "more", short) })
	if p := c.PopupRect(); !p.In(short) {
		t.Fatalf("list %v outside the short window %v", p, short)
	}
}

// Touch: a tap (press and release) on the button opens the list, a tap on
// an item picks it.
func TestMenuByTouch(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(300, 0, 380, 44)
	items := []string{"help", "link"}
	run := func(in Input) (picked int) {
		in.Touch = true
		frame(c, dst, in, func() { picked = c.Menu("m", r, "More", items, "", dst.Bounds()) })
		return
	}
	run(Input{X: 350, Y: 20, Pressed: true, Down: true})
	run(Input{X: 350, Y: 20, Released: true})
	if !c.Open() {
		t.Fatal("a tap did not open the menu")
	}
	p := c.PopupRect()
	if got := run(Input{X: p.Min.X + 5, Y: p.Max.Y - 5, Pressed: true, Down: true}); got != 1 {
		t.Fatalf("tap on the last item picked %d", got)
	}
}
