package ui_test

import (
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// panel is a column of one widget of each focusable kind, declared in
// reading order, with the values they edit.
type panel struct {
	c   *ui.Context
	dst *image.RGBA

	clicked bool
	on      bool
	v       float64
	n       int
	sel     int
	changed map[string]bool
}

func newPanel() *panel {
	return &panel{c: ui.NewContext(render.DarkTheme(), 1), dst: image.NewRGBA(image.Rect(0, 0, 300, 400)), v: 0.5, n: 3, sel: 1}
}

var panelRects = map[string]image.Rectangle{
	"go":    image.Rect(10, 10, 200, 40),
	"grid":  image.Rect(10, 50, 200, 80),
	"rate":  image.Rect(10, 90, 200, 130),
	"depth": image.Rect(10, 140, 200, 170),
	"data":  image.Rect(10, 180, 200, 210),
}

// frame runs one frame of the panel with in.
func (p *panel) frame(in ui.Input) {
	c := p.c
	c.Begin(in, p.dst)
	p.changed = map[string]bool{}
	p.clicked = c.Button("go", panelRects["go"], "Go", "start")
	p.changed["grid"] = c.Toggle("grid", panelRects["grid"], "Grid", &p.on, "show the grid")
	p.changed["rate"] = c.Slider("rate", panelRects["rate"], "Rate", &p.v, ui.SliderSpec{Min: 0, Max: 1}, "learning rate")
	p.changed["depth"] = c.Stepper("depth", panelRects["depth"], "Depth", &p.n, 1, 5, "layers")
	p.changed["data"] = c.Dropdown("data", panelRects["data"], "Data", []string{"moons", "rings", "blobs"}, &p.sel, "dataset")
}

func keys(k ...ui.Key) ui.Input { return ui.Input{Keys: k} }

func focusedID(c *ui.Context) string {
	w, _ := c.Focused()
	return w.ID
}

func TestTabWalksTheWidgetsInOrder(t *testing.T) {
	p := newPanel()
	p.frame(ui.Input{})
	if _, ok := p.c.Focused(); ok {
		t.Fatal("focused before any key")
	}
	var seen []string
	for range 6 {
		p.frame(keys(ui.KeyTab))
		if !p.c.KeyTaken(ui.KeyTab) {
			t.Fatal("Tab not taken")
		}
		seen = append(seen, focusedID(p.c))
	}
	if got := fmt.Sprint(seen); got != "[go grid rate depth data go]" {
		t.Fatalf("Tab order %s", got)
	}
	p.frame(ui.Input{Keys: []ui.Key{ui.KeyTab}, Shift: true})
	if id := focusedID(p.c); id != "data" {
		t.Fatalf("Shift-Tab from the first widget went to %q, want the last", id)
	}
	p.frame(ui.Input{Keys: []ui.Key{ui.KeyTab}, Shift: true})
	if id := focusedID(p.c); id != "depth" {
		t.Fatalf("Shift-Tab went to %q", id)
	}
	w, _ := p.c.Focused()
	if w.Role != "spinbutton" || w.Rect != panelRects["depth"] || w.Label != "Depth" || w.Value != "3" || w.Help != "layers" || !p.c.FocusVisible() {
		t.Fatalf("focused widget %+v (visible %v)", w, p.c.FocusVisible())
	}
}

func TestWidgetsDescribeEveryControl(t *testing.T) {
	p := newPanel()
	p.on = true
	p.frame(ui.Input{})
	var got []string
	for _, w := range p.c.Widgets() {
		if w.Rect != panelRects[w.ID] {
			t.Errorf("%s at %v, declared at %v", w.ID, w.Rect, panelRects[w.ID])
		}
		got = append(got, w.Role+":"+w.Label+"="+w.Value)
	}
	want := "[button:Go= switch:Grid=on slider:Rate=0.5 spinbutton:Depth=3 combobox:Data=rings]"
	if fmt.Sprint(got) != want {
		t.Fatalf("widgets %v, want %s", got, want)
	}
}

func TestEnterAndSpaceActivate(t *testing.T) {
	p := newPanel()
	p.frame(keys(ui.KeyEnter))
	if p.clicked || p.c.KeyTaken(ui.KeyEnter) {
		t.Fatal("Enter with no focus clicked or was taken")
	}
	p.frame(keys(ui.KeyTab))
	p.frame(keys(ui.KeyEnter))
	if !p.clicked || !p.c.KeyTaken(ui.KeyEnter) {
		t.Fatal("Enter on the focused button did not click")
	}
	p.frame(ui.Input{})
	if p.clicked {
		t.Fatal("the click repeated without a key")
	}
	p.frame(keys(ui.KeyTab))
	p.frame(keys(ui.KeySpace))
	if !p.on || !p.changed["grid"] {
		t.Fatal("Space did not flip the focused toggle")
	}
	if w, _ := p.c.Focused(); w.Value != "on" {
		t.Fatalf("toggle reports %q after flipping on", w.Value)
	}
}

func TestArrowsChangeSliderStepperDropdown(t *testing.T) {
	p := newPanel()
	p.frame(ui.Input{})
	p.c.SetFocus("rate")
	p.frame(keys(ui.KeyRight))
	if p.v != 0.525 || !p.changed["rate"] {
		t.Fatalf("Right on the slider: %v", p.v)
	}
	p.frame(keys(ui.KeyDown, ui.KeyDown))
	if p.v != 0.5 {
		t.Fatalf("Down (one step a frame) on the slider: %v", p.v)
	}
	p.frame(keys(ui.KeyEnd))
	if p.v != 1 {
		t.Fatalf("End on the slider: %v", p.v)
	}
	p.frame(keys(ui.KeyHome))
	if p.v != 0 {
		t.Fatalf("Home on the slider: %v", p.v)
	}

	p.c.SetFocus("depth")
	p.frame(keys(ui.KeyUp))
	p.frame(keys(ui.KeyRight))
	p.frame(keys(ui.KeyRight))
	if p.n != 5 {
		t.Fatalf("stepper past its top: %d", p.n)
	}
	p.frame(keys(ui.KeyHome))
	if p.n != 1 || !p.changed["depth"] {
		t.Fatalf("Home on the stepper: %d", p.n)
	}

	p.c.SetFocus("data")
	p.frame(keys(ui.KeyDown))
	if p.sel != 2 || !p.changed["data"] {
		t.Fatalf("Down on the closed dropdown: %d", p.sel)
	}
	p.frame(keys(ui.KeyDown))
	if p.sel != 2 {
		t.Fatalf("Down past the last choice: %d", p.sel)
	}
	// Open, walk up twice, pick.
	p.frame(keys(ui.KeyEnter))
	if !p.c.Open() {
		t.Fatal("Enter did not open the list")
	}
	p.frame(keys(ui.KeyUp))
	p.frame(keys(ui.KeyUp))
	if p.sel != 2 || !p.c.Open() {
		t.Fatalf("walking the open list changed the choice (%d) or closed it", p.sel)
	}
	p.frame(keys(ui.KeySpace))
	if p.sel != 0 || p.c.Open() || !p.changed["data"] {
		t.Fatalf("Space in the list: choice %d, open %v", p.sel, p.c.Open())
	}
	// Escape closes without choosing, and is taken only when a list is open.
	p.frame(keys(ui.KeyEnter))
	p.frame(keys(ui.KeyDown))
	p.frame(keys(ui.KeyEscape))
	if p.sel != 0 || p.c.Open() || !p.c.KeyTaken(ui.KeyEscape) {
		t.Fatalf("Escape: choice %d, open %v", p.sel, p.c.Open())
	}
	p.frame(keys(ui.KeyEscape))
	if p.c.KeyTaken(ui.KeyEscape) {
		t.Fatal("Escape with nothing open was taken from the app")
	}
	if focusedID(p.c) != "data" {
		t.Fatal("Escape dropped the focus")
	}
}

func TestKeysWithoutFocusAreLeftToTheApp(t *testing.T) {
	p := newPanel()
	p.frame(keys(ui.KeyLeft, ui.KeyRight, ui.KeyUp, ui.KeyDown, ui.KeySpace))
	for _, k := range []ui.Key{ui.KeyLeft, ui.KeyRight, ui.KeyUp, ui.KeyDown, ui.KeySpace} {
		if p.c.KeyTaken(k) {
			t.Errorf("key %d taken with no focus", k)
		}
	}
	if p.v != 0.5 || p.n != 3 || p.sel != 1 || p.on {
		t.Fatal("a value changed with no focus")
	}
}

func TestFocusRingShowsForTheKeyboardOnly(t *testing.T) {
	p := newPanel()
	focus := p.c.Style.Focus
	edge := func(id string) bool {
		r := panelRects[id]
		return p.dst.RGBAAt(r.Min.X-3, (r.Min.Y+r.Max.Y)/2) == focus
	}
	p.frame(ui.Input{})
	p.frame(keys(ui.KeyTab))
	if !edge("go") || edge("grid") {
		t.Fatal("no ring around the focused button (or one around another widget)")
	}
	// A click focuses without a ring, as browsers do.
	clear(p.dst.Pix)
	r := panelRects["grid"]
	p.frame(ui.Input{X: r.Min.X + 5, Y: r.Min.Y + 5, Pressed: true, Down: true})
	if focusedID(p.c) != "grid" || p.c.FocusVisible() || edge("grid") || !p.on {
		t.Fatalf("click: focus %q, visible %v", focusedID(p.c), p.c.FocusVisible())
	}
	// Until the keyboard moves the focus, Space stays the app's.
	p.frame(ui.Input{X: r.Min.X + 5, Y: r.Min.Y + 5, Released: true})
	p.frame(keys(ui.KeySpace))
	if !p.on || p.c.KeyTaken(ui.KeySpace) {
		t.Fatal("Space after a click went to the clicked toggle")
	}
	p.frame(keys(ui.KeyTab))
	if focusedID(p.c) != "rate" || !p.c.FocusVisible() {
		t.Fatalf("Tab after a click on the toggle went to %q", focusedID(p.c))
	}
	// A press on no widget drops the focus.
	p.frame(ui.Input{X: 290, Y: 390, Pressed: true, Down: true})
	if _, ok := p.c.Focused(); ok {
		t.Fatal("a press outside every widget kept the focus")
	}
}

func TestFocusOfAVanishedWidgetIsDropped(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	dst := image.NewRGBA(image.Rect(0, 0, 100, 100))
	c.Begin(ui.Input{}, dst)
	c.Button("a", image.Rect(0, 0, 50, 20), "A", "")
	c.Begin(keys(ui.KeyTab), dst)
	c.Button("a", image.Rect(0, 0, 50, 20), "A", "")
	c.Begin(ui.Input{}, dst) // "a" is not declared this frame
	c.Begin(ui.Input{}, dst)
	if _, ok := c.Focused(); ok {
		t.Fatal("the focus stayed on a widget that is gone")
	}
}

func TestTouchDensityTargets(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 3)
	if c.Density != ui.DensityMouse || c.Target(28) != 28 {
		t.Fatalf("mouse density: %v, target %v", c.Density, c.Target(28))
	}
	c.Begin(ui.Input{Touch: true, Pressed: true, Down: true}, nil)
	if c.Density != ui.DensityTouch || c.Target(28) != ui.MinTouchTarget || c.Target(60) != 60 {
		t.Fatalf("after a touch: %v, target %v", c.Density, c.Target(28))
	}
	// Rows laid out at touch density are at least 44 CSS px (132 px at scale 3).
	rows := c.Layout(4).Rows(nil, image.Rect(0, 0, 300, 1000), ui.Fixed(c.Target(28)), ui.Fixed(c.Target(28)))
	if rows[0].Dy() != 132 || rows[1].Dy() != 132 {
		t.Fatalf("touch rows %v", rows)
	}
}

func TestTapActsOnRelease(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	r := image.Rect(0, 0, 100, 44)
	t0 := time.Unix(100, 0)
	button := func(in ui.Input) bool {
		in.Touch = true
		c.Begin(in, nil)
		return c.Button("b", r, "B", "help")
	}
	if button(ui.Input{X: 50, Y: 20, Pressed: true, Down: true, Now: t0}) {
		t.Fatal("a touch clicked on the press")
	}
	if !button(ui.Input{X: 52, Y: 22, Released: true, Now: t0.Add(100 * time.Millisecond)}) {
		t.Fatal("a tap did not click on release")
	}
	// A finger that slides off before lifting does not click.
	button(ui.Input{X: 50, Y: 20, Pressed: true, Down: true, Now: t0})
	button(ui.Input{X: 50, Y: 60, Down: true, Now: t0.Add(50 * time.Millisecond)})
	if button(ui.Input{X: 50, Y: 30, Released: true, Now: t0.Add(100 * time.Millisecond)}) {
		t.Fatal("a swipe clicked")
	}
	// A press that began elsewhere does not click here.
	button(ui.Input{X: 150, Y: 20, Pressed: true, Down: true, Now: t0})
	if button(ui.Input{X: 50, Y: 20, Released: true, Now: t0.Add(100 * time.Millisecond)}) {
		t.Fatal("a release without a press on the button clicked")
	}
}

func TestLongPressShowsTheTooltipInsteadOfClicking(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	r := image.Rect(0, 0, 100, 44)
	t0 := time.Unix(100, 0)
	var clicked bool
	step := func(in ui.Input) string {
		in.Touch = true
		c.Begin(in, nil)
		clicked = c.Button("b", r, "B", "what B does")
		tip, _ := c.Tooltip()
		return tip
	}
	if tip := step(ui.Input{X: 50, Y: 20, Pressed: true, Down: true, Now: t0}); tip != "" {
		t.Fatalf("tooltip %q at once", tip)
	}
	if tip := step(ui.Input{X: 51, Y: 20, Down: true, Now: t0.Add(300 * time.Millisecond)}); tip != "" {
		t.Fatalf("tooltip %q before the long press", tip)
	}
	if tip := step(ui.Input{X: 51, Y: 21, Down: true, Now: t0.Add(600 * time.Millisecond)}); tip != "what B does" {
		t.Fatalf("long press shows %q", tip)
	}
	if tip := step(ui.Input{X: 51, Y: 21, Released: true, Now: t0.Add(700 * time.Millisecond)}); tip != "" || clicked {
		t.Fatalf("release after a long press: tooltip %q, clicked %v", tip, clicked)
	}
	// A lifted finger hovers nothing: no tooltip however long it rests.
	if tip := step(ui.Input{X: 51, Y: 21, Now: t0.Add(5 * time.Second)}); tip != "" {
		t.Fatalf("tooltip %q with no finger down", tip)
	}
}

func TestTouchDragsASlider(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	r := image.Rect(0, 0, 200, 44)
	v := 0.0
	for i, in := range []ui.Input{
		{X: 100, Y: 30, Pressed: true, Down: true},
		{X: 150, Y: 30, Down: true},
		{X: 150, Y: 30, Released: true},
	} {
		in.Touch = true
		c.Begin(in, nil)
		c.Slider("s", r, "S", &v, ui.SliderSpec{Min: 0, Max: 1}, "")
		if want := []float64{0.5, 0.75, 0.75}[i]; v != want {
			t.Fatalf("frame %d: %v, want %v", i, v, want)
		}
	}
}

func TestTouchTapsAStepperAndADropdown(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	dst := image.NewRGBA(image.Rect(0, 0, 300, 300))
	step := image.Rect(0, 0, 220, 44) // [−] at 88…132, [+] at 176…220
	drop := image.Rect(0, 60, 220, 104)
	n, sel := 2, 0
	tap := func(x, y int) {
		for _, in := range []ui.Input{{X: x, Y: y, Pressed: true, Down: true}, {X: x, Y: y, Released: true}} {
			in.Touch = true
			c.Begin(in, dst)
			c.Stepper("n", step, "N", &n, 0, 9, "")
			c.Dropdown("d", drop, "D", []string{"a", "b", "c"}, &sel, "")
		}
	}
	tap(200, 20)
	if n != 3 {
		t.Fatalf("a tap on + gave %d", n)
	}
	tap(150, 80)
	if !c.Open() {
		t.Fatal("a tap on the dropdown did not open it")
	}
	pr := c.PopupRect()
	tap(pr.Min.X+10, pr.Min.Y+44*2+10)
	if sel != 2 || c.Open() {
		t.Fatalf("a tap on the third item: choice %d, open %v", sel, c.Open())
	}
}

// A button declared under Clip draws only inside the clip (a scrolled
// part of a panel below its fixed header), and still takes a click.
func TestClipDrawsOnlyInside(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 1)
	dst := image.NewRGBA(image.Rect(0, 0, 200, 100))
	clip := image.Rect(0, 50, 200, 100)
	r := image.Rect(20, 30, 180, 70) // half above the clip
	var clicked bool
	for _, in := range []ui.Input{{X: 100, Y: 60}, {X: 100, Y: 60, Down: true, Pressed: true}, {X: 100, Y: 60, Released: true}} {
		c.Begin(in, dst)
		end := c.Clip(clip)
		clicked = c.Button("b", r, "Button", "") || clicked
		end()
	}
	if !clicked {
		t.Error("a click on the clipped button's visible part was lost")
	}
	for y := 0; y < 50; y++ {
		for x := 0; x < 200; x++ {
			if dst.RGBAAt(x, y).A != 0 {
				t.Fatalf("drawn at (%d, %d), above the clip", x, y)
			}
		}
	}
	if dst.RGBAAt(100, 60).A == 0 {
		t.Error("nothing drawn inside the clip")
	}
}
