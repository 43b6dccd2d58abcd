package ui

import (
	"image"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
)

func newCtx() (*Context, *image.RGBA) {
	return NewContext(render.DarkTheme(), 1), image.NewRGBA(image.Rect(0, 0, 400, 400))
}

func frame(c *Context, dst *image.RGBA, in Input, f func()) {
	c.Begin(in, dst)
	f()
}

func TestButtonClicksOnlyInside(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(10, 10, 90, 40)
	var got bool
	frame(c, dst, Input{X: 50, Y: 20, Pressed: true, Down: true}, func() { got = c.Button("b", r, "go", "") })
	if !got {
		t.Fatal("press inside did not click")
	}
	frame(c, dst, Input{X: 150, Y: 20, Pressed: true, Down: true}, func() { got = c.Button("b", r, "go", "") })
	if got {
		t.Fatal("press outside clicked")
	}
	frame(c, dst, Input{X: 50, Y: 20}, func() { got = c.Button("b", r, "go", "") })
	if got {
		t.Fatal("hover clicked")
	}
}

func TestSliderDragAndScales(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(0, 0, 200, 30)
	v := 0.5
	lin := SliderSpec{Min: 0, Max: 1}
	frame(c, dst, Input{X: 150, Y: 25, Pressed: true, Down: true}, func() { c.Slider("s", r, "x", &v, lin, "") })
	if v != 0.75 {
		t.Fatalf("press at 3/4 of the track: %v", v)
	}
	// Dragging beyond the end keeps the slider (it holds the pointer) and clamps.
	frame(c, dst, Input{X: 300, Y: 100, Down: true}, func() { c.Slider("s", r, "x", &v, lin, "") })
	if v != 1 {
		t.Fatalf("dragged past the end: %v", v)
	}
	frame(c, dst, Input{X: 0, Y: 100, Released: true}, func() { c.Slider("s", r, "x", &v, lin, "") })
	frame(c, dst, Input{X: 0, Y: 100}, func() { c.Slider("s", r, "x", &v, lin, "") })
	if v != 1 {
		t.Fatalf("moved after release: %v", v)
	}
	// Log scale: the middle of [1e-4, 1e-2] is 1e-3; integers snap.
	lr := 0.1
	frame(c, dst, Input{X: 100, Y: 25, Pressed: true, Down: true}, func() {
		c.Slider("lr", r, "lr", &lr, SliderSpec{Min: 1e-4, Max: 1e-2, Log: true}, "")
	})
	if lr < 0.99e-3 || lr > 1.01e-3 {
		t.Fatalf("log slider middle: %v", lr)
	}
	c2, _ := newCtx()
	n := 3.0
	c2.Begin(Input{X: 67, Y: 25, Pressed: true, Down: true}, nil)
	c2.Slider("n", r, "n", &n, SliderSpec{Min: 1, Max: 10, Integer: true}, "")
	if n != 4 {
		t.Fatalf("integer slider: %v", n)
	}
}

func TestDropdownOpensAndChooses(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(0, 0, 200, 20)
	sel := 0
	choices := []string{"a", "b", "c"}
	run := func(in Input) (changed bool) {
		frame(c, dst, in, func() { changed = c.Dropdown("d", r, "pick", choices, &sel, "") })
		return
	}
	run(Input{X: 150, Y: 10, Pressed: true, Down: true})
	if !c.Open() {
		t.Fatal("click on the box did not open the list")
	}
	// The list lies below the box, one row a choice: row 2 is "c".
	if !run(Input{X: 150, Y: 20 + 2*20 + 5, Pressed: true, Down: true}) || sel != 2 {
		t.Fatalf("choosing the third row: sel %d", sel)
	}
	if c.Open() {
		t.Fatal("list still open after choosing")
	}
	// A press elsewhere closes an open list and does nothing else.
	run(Input{X: 150, Y: 10, Pressed: true, Down: true})
	var clicked bool
	frame(c, dst, Input{X: 300, Y: 300, Pressed: true, Down: true}, func() {
		c.Dropdown("d", r, "pick", choices, &sel, "")
		clicked = c.Button("other", image.Rect(250, 250, 350, 350), "x", "")
	})
	if c.Open() || clicked || sel != 2 {
		t.Fatalf("press outside: open %v, clicked %v, sel %d", c.Open(), clicked, sel)
	}
}

func TestStepperAndToggle(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(0, 0, 200, 20) // buttons: − at [140,160), + at [180,200)
	v := 2
	frame(c, dst, Input{X: 190, Y: 10, Pressed: true, Down: true}, func() { c.Stepper("k", r, "k", &v, 1, 3, "") })
	frame(c, dst, Input{X: 190, Y: 10, Pressed: true, Down: true}, func() { c.Stepper("k", r, "k", &v, 1, 3, "") })
	if v != 3 {
		t.Fatalf("two + clicks from 2 with max 3: %d", v)
	}
	frame(c, dst, Input{X: 150, Y: 10, Pressed: true, Down: true}, func() { c.Stepper("k", r, "k", &v, 1, 3, "") })
	if v != 2 {
		t.Fatalf("− click: %d", v)
	}
	on := false
	frame(c, dst, Input{X: 10, Y: 10, Pressed: true, Down: true}, func() { c.Toggle("t", r, "t", &on, "") })
	if !on {
		t.Fatal("toggle did not switch")
	}
}

func TestTooltipAfterRest(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(0, 0, 100, 20)
	t0 := time.Unix(100, 0)
	tip := func(at time.Time) string {
		c.Begin(Input{X: 10, Y: 10, Now: at}, dst)
		c.Button("b", r, "b", "does things")
		s, _ := c.Tooltip()
		return s
	}
	if tip(t0) != "" {
		t.Fatal("tooltip at once")
	}
	if tip(t0.Add(tipDelay+time.Millisecond)) != "does things" {
		t.Fatal("no tooltip after resting")
	}
	c.Begin(Input{X: 300, Y: 300, Now: t0.Add(time.Second)}, dst)
	c.Button("b", r, "b", "does things")
	if s, _ := c.Tooltip(); s != "" {
		t.Fatal("tooltip stayed after leaving")
	}
}

// A list opened upwards near the bottom stays there on the frames that draw
// nothing (the pointer resting): it used to drop below the drawing.
func TestDropdownOpensUpwardsAndStays(t *testing.T) {
	c, dst := newCtx()
	r := image.Rect(0, 360, 200, 390)
	choices := []string{"a", "b", "c", "d"}
	sel := 0
	in := Input{X: 150, Y: 370}
	frame(c, dst, Input{X: 150, Y: 370, Pressed: true, Down: true}, func() { c.Dropdown("d", r, "x", choices, &sel, "") })
	frame(c, dst, Input{X: 150, Y: 370, Released: true}, func() { c.Dropdown("d", r, "x", choices, &sel, "") })
	up := c.PopupRect()
	if up.Empty() || up.Max.Y > 400 {
		t.Fatalf("list %v, want it above the box within the drawing", up)
	}
	frame(c, nil, in, func() { c.Dropdown("d", r, "x", choices, &sel, "") })
	if got := c.PopupRect(); got != up {
		t.Fatalf("resting pointer, nothing drawn: list moved from %v to %v", up, got)
	}
	// A list longer than the room above: as high as the drawing allows.
	long := make([]string, 13)
	for i := range long {
		long[i] = string(rune('a' + i))
	}
	c2, dst2 := newCtx()
	frame(c2, dst2, Input{X: 150, Y: 370, Pressed: true, Down: true}, func() { c2.Dropdown("d", r, "x", long, &sel, "") })
	if got := c2.PopupRect(); got.Min.Y != 0 {
		t.Fatalf("long list %v, want it from the top of the drawing", got)
	}
}

// A long label in a narrow column stops before the widget's box (it ran
// under the dropdown's box and the stepper's buttons at 700 px).
func TestLongLabelsStopBeforeTheBox(t *testing.T) {
	r := image.Rect(0, 0, 160, 30)
	box := r.Min.X + r.Dx()*2/5
	sel, n := 0, 2
	for name, draw := range map[string]func(c *Context, label string){
		"dropdown": func(c *Context, label string) { c.Dropdown("d", r, label, []string{"inspect"}, &sel, "") },
		"stepper":  func(c *Context, label string) { c.Stepper("s", r, label, &n, 0, 9, "") },
	} {
		c, bare := newCtx()
		frame(c, bare, Input{X: 300, Y: 300}, func() { draw(c, "") })
		c, labelled := newCtx()
		frame(c, labelled, Input{X: 300, Y: 300}, func() { draw(c, "a very long label for a narrow column") })
		limit := box
		if name == "stepper" {
			limit = r.Max.X - 3*r.Dy()
		}
		drawn := false
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if bare.RGBAAt(x, y) != labelled.RGBAAt(x, y) {
					drawn = true
					if x >= limit {
						t.Fatalf("%s: label drawn at x=%d, the widget starts at %d", name, x, limit)
					}
				}
			}
		}
		if !drawn {
			t.Errorf("%s: no label drawn", name)
		}
	}
}
