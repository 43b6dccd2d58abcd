package app

import (
	"image"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/playground"
	"github.com/vaeplayground/vae/ui"
)

// Geometry is how the frame sits in the window, for mapping the page's
// pointer events (CSS pixels) to the frame's pixels.
type Geometry struct {
	FrameW, FrameH int     // the frame in device pixels
	DeviceScale    float64 // device pixels per CSS pixel
	LayoutScale    float64 // the scale the screen is laid out at (smaller on a phone)
}

type layoutKey struct {
	w, h int
	s    float64
}

// Geometry is the frame's size and scales as last laid out. Safe from any
// goroutine (the page's event handlers call it); it never waits for Update.
func (g *Game) Geometry() Geometry {
	g.geoMu.Lock()
	defer g.geoMu.Unlock()
	return g.geo
}

// UsePointerEvents tells the game that its pointer events come through
// PushPointer (the page's pointer events), not from Ebitengine's state.
// Call it before RunGame.
func (g *Game) UsePointerEvents() { g.pointerEvents = true }

// PushPointer queues a pointer event (device pixels of the frame). Safe
// from any goroutine; it never waits for the game.
func (g *Game) PushPointer(e input.Event) { g.pointer.Push(e) }

// PointerEvents is the number of pointer events pushed or polled so far.
func (g *Game) PointerEvents() int { return g.pointer.Pushed() }

// TouchSeen reports whether a touch has arrived.
func (g *Game) TouchSeen() bool { return g.pointer.Touch.Seen }

// pollState is what the last tick's poll saw.
type pollState struct {
	x, y    int
	touches map[ebiten.TouchID]image.Point
}

// poll turns Ebitengine's input state into events (the desktop build).
// Ebitengine reads the mouse once a frame: GLFW's sticky buttons keep a
// press and release between two frames as a press on one and the release
// on the next, but a second click within one frame, and the path of a drag
// between frames, cannot be recovered natively. Touches (where the system
// gives them: Ebitengine's mobile and browser ports; on Linux and Windows
// desktops a touch screen arrives as the mouse) go through the same
// gestures as in the browser.
func (g *Game) poll(now time.Time) {
	q, p := &g.pointer, &g.polled
	x, y := ebiten.CursorPosition()
	if x != p.x || y != p.y {
		q.Push(input.Event{Kind: input.Move, X: x, Y: y, At: now})
		p.x, p.y = x, y
	}
	if _, wy := ebiten.Wheel(); wy != 0 {
		q.Push(input.Event{Kind: input.Wheel, X: x, Y: y, Wheel: wy, At: now})
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		q.Push(input.Event{Kind: input.Down, X: x, Y: y, At: now})
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		q.Push(input.Event{Kind: input.Up, X: x, Y: y, At: now})
	}
	if p.touches == nil {
		p.touches = map[ebiten.TouchID]image.Point{}
	}
	touch := func(k input.Kind, id ebiten.TouchID, at image.Point) {
		q.Push(input.Event{Kind: k, Device: input.Touch, ID: int(id), X: at.X, Y: at.Y, At: now})
	}
	for _, id := range inpututil.AppendJustPressedTouchIDs(nil) {
		tx, ty := ebiten.TouchPosition(id)
		p.touches[id] = image.Pt(tx, ty)
		touch(input.Down, id, p.touches[id])
	}
	for _, id := range ebiten.AppendTouchIDs(nil) {
		tx, ty := ebiten.TouchPosition(id)
		if at := image.Pt(tx, ty); at != p.touches[id] {
			p.touches[id] = at
			touch(input.Move, id, at)
		}
	}
	for _, id := range inpututil.AppendJustReleasedTouchIDs(nil) {
		tx, ty := inpututil.TouchPositionInPreviousTick(id)
		touch(input.Up, id, image.Pt(tx, ty))
		delete(p.touches, id)
	}
}

// Touch sizes in CSS pixels: how far a tapping finger may wander, and the
// controls column's scroll per wheel step (playground's Screen scrolls 40
// CSS pixels a step).
const (
	tapSlop    = 10
	scrollLine = 40
)

// nextInput is this Update's input from the queue. The caller holds g.mu.
func (g *Game) nextInput(now time.Time) ui.Input {
	sc := g.Screen
	t := &g.pointer.Touch
	t.Slop = int(tapSlop * g.geo.DeviceScale)
	t.Line = scrollLine * sc.Scale
	if t.Regions == nil {
		t.Regions = g.region
	}
	in := g.pointer.Next(now)
	// The help overlay has no close button and holds every press: a press
	// anywhere closes it (a touch screen has no escape key), and its
	// release does nothing either.
	if in.Pressed && sc.Help() {
		sc.QueueKey(playground.KeyEscape)
		in.Pressed, g.swallowRelease = false, true
	}
	if in.Released && g.swallowRelease {
		in.Released, g.swallowRelease = false, false
	}
	return in
}

// region says what a touch at (x, y) lands on. Called from Update.
func (g *Game) region(x, y int) input.Region {
	for _, a := range g.Screen.WidgetAreas() {
		if image.Pt(x, y).In(a.Rect) {
			if a.Scrolls {
				return input.ScrollWidgets
			}
			return input.Widgets
		}
	}
	return input.View
}

// focusKeys are the keys the widgets' focus answers to (ui.Key), as
// Ebitengine names them.
var focusKeys = []struct {
	key ebiten.Key
	ui  ui.Key
}{
	{ebiten.KeyTab, ui.KeyTab},
	{ebiten.KeyEnter, ui.KeyEnter},
	{ebiten.KeyNumpadEnter, ui.KeyEnter},
	{ebiten.KeySpace, ui.KeySpace},
	{ebiten.KeyEscape, ui.KeyEscape},
	{ebiten.KeyArrowLeft, ui.KeyLeft},
	{ebiten.KeyArrowRight, ui.KeyRight},
	{ebiten.KeyArrowUp, ui.KeyUp},
	{ebiten.KeyArrowDown, ui.KeyDown},
	{ebiten.KeyHome, ui.KeyHome},
	{ebiten.KeyEnd, ui.KeyEnd},
}

// widgetKeys adds this tick's focus keys to in.
func widgetKeys(in *ui.Input) {
	for _, k := range focusKeys {
		if inpututil.IsKeyJustPressed(k.key) {
			in.Keys = append(in.Keys, k.ui)
		}
	}
	in.Shift = ebiten.IsKeyPressed(ebiten.KeyShift)
}
