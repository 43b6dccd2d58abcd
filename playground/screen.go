package playground

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/playground/compare"
	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/playground/vaeview"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// Request is something the screen asks the platform to do (files, the
// clipboard): the desktop and the browser do it their own way.
type Request int

const (
	SavePNG Request = iota
	SaveCheckpoint
	CopyLink
	// SaveSafetensors saves the model for PyTorch (Session.SaveSafetensors).
	SaveSafetensors
	// SaveRecording saves the finished recording (TakeRecording).
	SaveRecording
	// ExportData saves the run's numbers and codes as CSV (ExportData).
	ExportData
	// OpenPlayground opens the full playground with the same settings
	// (an embed's "Open in the playground": Session.PlaygroundHash).
	OpenPlayground
)

// Key names the screen understands (the platform maps its keys to these).
const (
	KeySpace  = scene.KeySpace
	KeyStep   = scene.KeyStep
	KeyReset  = scene.KeyReset
	KeyHelp   = scene.KeyHelp
	KeyEscape = scene.KeyEscape
	KeyA      = scene.KeyA
	KeyB      = scene.KeyB
	// KeyRecord starts and stops a recording (ToggleRecord).
	KeyRecord = "g"
)

// Scenes are the kinds of scene the screen hosts, by the value of the
// "mode" setting that shows them. A scene is made the first time its mode
// is shown and kept, with its state, while another is shown.
var Scenes = map[string]func(*session.Session) scene.Scene{
	"vae":     func(s *session.Session) scene.Scene { return vaeview.New(s) },
	"flowlab": func(s *session.Session) scene.Scene { return flowlab.New(s) },
}

// Screen is the playground's whole interface drawn into Frame (and the
// tooltips, open lists and help into Overlay), driven by plain input: the
// shell — top bar, controls column, status line, overlay — around the
// scene the settings' mode names. It redraws only what changed and lists
// those rectangles in Dirty.
type Screen struct {
	S       *session.Session
	Frame   *image.RGBA
	Overlay *image.RGBA
	// Dirty are the rectangles of Frame redrawn since the platform last
	// took them; OverlayDirty says Overlay changed since. The platform
	// empties Dirty and clears OverlayDirty once it has drawn them: when
	// frames run late Ebitengine runs several Updates before one Draw, and
	// what each of them redrew must reach the screen (clearing them in
	// Update left stale controls and tooltips on a slow page).
	Dirty        []image.Rectangle
	OverlayDirty bool
	Requests     []Request
	// FPS is shown in the top bar (the platform measures it).
	FPS   float64
	Scale float64
	L     scene.Layout
	// PrefersLight says the system asks for light colours (the browser's
	// prefers-color-scheme, set by the platform as it changes): the theme
	// setting's auto follows it. The desktop leaves it false (dark).
	PrefersLight bool

	th     *render.Theme
	ctx    *ui.Context // the controls column (and the scenes' hints)
	topCtx *ui.Context // the top bar
	f      *scene.Frame
	scenes map[string]scene.Scene
	cmp    *compare.Scene // the comparison, shown in the VAE's mode while on
	mode   string         // the mode shown in the last frame

	dataVersion           int // the session's data the controls were drawn for
	topT                  scene.Throttle
	statusKey, overlayKey scene.Key
	prevIn                ui.Input
	scroll, contentH      int
	help                  bool
	pending               *pendingSet                // a rebuild slider's value, applied on release
	topRects              map[string]image.Rectangle // the top bar's buttons and status text, as last laid out
	queued                []string
	controlRect           map[string]image.Rectangle
	kb                    keyboard      // the widgets' keys between the top bar and the column
	rec                   recorder      // the Record tool
	shown                 shown         // the views and controls shown, and the embed's bar
	controlOrder          []string      // the controls the column laid out, in order
	reqW, reqH            int           // the size asked for (the frame may be larger)
	lesson                *lessonColumn // the lesson's column, nil when closed
	marksVersion          int           // the lesson version the views' marks were set for
	marksShown            int           // how many marks the views show
	sheet                 sheetState
	// touch: the layout and the widgets are for a finger (SetTouch, or
	// the first touch).
	touch bool
}

// NewScreen lays out a screen of w×h device pixels for session s.
func NewScreen(s *session.Session, w, h int, scale float64) *Screen {
	sc := &Screen{S: s, scenes: map[string]scene.Scene{}, dataVersion: -1}
	sc.shown = shown{views: s.Shown.Views, controls: s.Shown.Controls, embed: s.Shown.Embed}
	sc.topT.Every = 100 * time.Millisecond
	sc.Resize(w, h, scale)
	if spec, ok := s.CompareLink(); ok {
		if err := sc.startCompare(spec); err != nil {
			s.Notes = append(s.Notes, "compare: "+err.Error())
		}
	}
	if name := s.Values.Choice("lesson"); name != "none" {
		if err := sc.OpenLesson(name, s.Values.Int("step")); err != nil {
			s.Notes = append(s.Notes, "lesson: "+err.Error())
		}
	}
	return sc
}

// Comparing reports whether the comparison is on.
func (sc *Screen) Comparing() bool { return sc.cmp != nil }

// Compare is the comparison's scene, nil when off.
func (sc *Screen) Compare() *compare.Scene { return sc.cmp }

// SetCompare turns the comparison on (B as A) or off (A trains on alone).
func (sc *Screen) SetCompare(on bool) error {
	if on == (sc.cmp != nil) {
		return nil
	}
	if !on {
		sc.cmp.Close()
		sc.cmp = nil
	} else if err := sc.startCompare(""); err != nil {
		return err
	}
	sc.f.Full = true
	return nil
}

func (sc *Screen) startCompare(spec string) error {
	c, err := compare.New(sc.S, spec)
	if err != nil {
		return err
	}
	sc.cmp = c
	return nil
}

// Resize changes the window size or device scale. The layout is chosen by
// the size in CSS pixels (scene.ScreenLayout): a phone gets the compact one, at
// its own scale, so that text keeps its size.
func (sc *Screen) Resize(w, h int, scale float64) {
	if scale <= 0 {
		scale = 1
	}
	if sc.Frame != nil && sc.reqW == w && sc.reqH == h && sc.Scale == scale {
		return
	}
	sc.Scale, sc.reqW, sc.reqH = scale, w, h
	sc.build()
}

// build lays the screen out for its size, scale and what it shows.
func (sc *Screen) build() {
	w, h, scale := sc.reqW, sc.reqH, sc.Scale
	sc.L = sc.layout(w, h, scale)
	b := sc.L.Window
	sc.Frame = image.NewRGBA(b)
	sc.Overlay = image.NewRGBA(b)
	name, palette := sc.themeNames()
	sc.th = scaledTheme(name, palette, scale)
	sc.ctx = ui.NewContext(sc.th, scale)
	sc.topCtx = ui.NewContext(sc.th, scale)
	if sc.touch {
		sc.ctx.Density, sc.topCtx.Density = ui.DensityTouch, ui.DensityTouch
	}
	sc.f = scene.NewFrame(sc.Frame, sc.th, scale, sc.L, sc.ctx, &sc.Dirty)
	sc.f.Views = sc.shown.views
	sc.f.Full = true
	sc.OverlayDirty = true
	// The sheet and the column keep their scroll (clamped when next laid
	// out): the first touch lays the screen out anew, and the finger's
	// place should not jump.
	sc.sheet.img = nil
	if !sc.L.Compact {
		sc.sheet.open, sc.sheet.scroll = false, 0
	}
}

// SetTouch lays the screen out for a finger (rows of ui.MinTouchTarget CSS
// pixels: the platform calls it when the pointer is coarse) or for a mouse.
// The first touch switches to it by itself.
func (sc *Screen) SetTouch(on bool) {
	if on == sc.touch {
		return
	}
	sc.touch = on
	sc.build()
}

// Touch reports whether the screen is laid out for a finger.
func (sc *Screen) Touch() bool { return sc.touch }

// adoptTouch lays the screen out for a finger once a touch has arrived (a
// widget context switched to touch density), between two gestures: laying
// out anew in the middle of a tap would lose it.
func (sc *Screen) adoptTouch(in ui.Input) {
	if sc.touch || in.Down || in.Released || in.Pressed {
		return
	}
	if sc.ctx.Density == ui.DensityTouch || sc.topCtx.Density == ui.DensityTouch {
		sc.SetTouch(true)
	}
}

// themeNames are the theme and class palette the settings ask for, auto
// resolved by PrefersLight.
func (sc *Screen) themeNames() (name, palette string) {
	name = sc.S.Values.Choice("theme")
	if name != render.ThemeDark && name != render.ThemeLight {
		name = render.ThemeDark
		if sc.PrefersLight {
			name = render.ThemeLight
		}
	}
	return name, sc.S.Values.Choice("palette")
}

// Theme is the theme the screen draws with (its Name and PaletteName say
// which).
func (sc *Screen) Theme() *render.Theme { return sc.th }

// followTheme switches to the theme the settings (or the system) ask for:
// the widgets take its colours, and the whole frame is drawn again (the
// cached panels key on the theme).
func (sc *Screen) followTheme() {
	name, palette := sc.themeNames()
	if sc.th.Name == name && sc.th.PaletteName == palette {
		return
	}
	th := render.NewTheme(name, palette)
	th.Small, th.Label, th.Title = sc.th.Small, sc.th.Label, sc.th.Title
	sc.th, sc.f.Theme = th, th
	for _, c := range []*ui.Context{sc.ctx, sc.topCtx} {
		c.Th, c.Style = th, ui.DefaultStyle(th)
	}
	sc.f.Full, sc.OverlayDirty = true, true
}

func scaledTheme(name, palette string, s float64) *render.Theme {
	th := render.NewTheme(name, palette)
	th.Small = render.NewFace(11*s, false)
	th.Label = render.NewFace(13*s, false)
	th.Title = render.NewFace(14*s, true)
	return th
}

func (sc *Screen) px(v float64) int { return sc.f.Px(v) }

// PopupRect is the open dropdown list (empty when none is open).
func (sc *Screen) PopupRect() image.Rectangle { return sc.ctx.PopupRect() }

// ControlRect is where the control of setting key was last laid out
// (empty when hidden or scrolled away).
func (sc *Screen) ControlRect(key string) image.Rectangle { return sc.controlRect[key] }

// QueueKey handles key k at the next Update (hooks and tests).
func (sc *Screen) QueueKey(k string) { sc.queued = append(sc.queued, k) }

// sceneFor is the scene of mode (made the first time it is asked for); an
// unknown mode gets the VAE's.
func (sc *Screen) sceneFor(mode string) scene.Scene {
	if _, ok := Scenes[mode]; !ok {
		mode = "vae"
	}
	if sc.scenes[mode] == nil {
		sc.scenes[mode] = Scenes[mode](sc.S)
	}
	return sc.scenes[mode]
}

// current is the scene the settings show. The mode is read from the
// settings, not from the last frame, so a key in the frame the mode changes
// goes the right way.
func (sc *Screen) current() scene.Scene {
	mode := sc.S.Values.Choice("mode")
	if sc.cmp != nil && mode == "vae" {
		return sc.cmp
	}
	return sc.sceneFor(mode)
}

// vae is the VAE's scene (the hooks that select and read its codes).
func (sc *Screen) vae() *vaeview.View { return sc.sceneFor("vae").(*vaeview.View) }

// SelectLatent selects the code with (x, y) in the shown dimensions (the
// others 0), as a click in the latent view does.
func (sc *Screen) SelectLatent(x, y float64) { sc.vae().SelectLatent(x, y) }

// ViewRects are the data and latent plot rectangles (device pixels, where
// they are on the screen: on a phone the sheet's scroll moves them, and
// they may lie partly or wholly outside the view).
func (sc *Screen) ViewRects() (data, latent image.Rectangle) {
	data, latent = sc.vae().ViewRects()
	if sc.L.Compact {
		data, latent = data.Add(sc.f.Offset), latent.Add(sc.f.Offset)
	}
	return data, latent
}

// TopButtons are the top bar's buttons by id (reset, play, step, compare,
// help, link, png, save, torch, and menu where they are folded into it) as
// last drawn, in device pixels: tests click them. While the menu is open,
// its items are there by the same ids, at their rows of the list.
func (sc *Screen) TopButtons() map[string]image.Rectangle {
	out := map[string]image.Rectangle{}
	for id, r := range sc.topRects {
		if id != "status" {
			out[id] = r
		}
	}
	return out
}

// Decoded is the selected code decoded into data space, or nil.
func (sc *Screen) Decoded() *render.Point { return sc.vae().Decoded() }

// Update handles one frame: input, training, the scene, drawing.
func (sc *Screen) Update(in ui.Input, keys []string, now time.Time) {
	if in.Now.IsZero() { // the platform may give a queued event's own time
		in.Now = now
	}
	sc.adoptTouch(in)
	sc.followTheme()
	if len(sc.Dirty) > 64 { // nobody took them for a while: all of it
		sc.Dirty = append(sc.Dirty[:0], sc.L.Window)
	}
	if sc.f.Full {
		render.FillRect(sc.Frame, sc.Frame.Bounds(), sc.th.Background)
	}
	s := sc.S
	sc.routeKeys(in)
	for _, k := range append(sc.queued, keys...) {
		if k == KeySpace && sc.widgetHasKeys() {
			continue // Space activates the focused widget instead
		}
		sc.key(k, in)
	}
	sc.queued = sc.queued[:0]
	sc.syncLesson()
	s.Tick(now)
	sc.arrangeSheet()
	f := sc.f
	if s.DataVersion != sc.dataVersion { // new data: new controls and views
		sc.dataVersion, f.Full = s.DataVersion, true
	}
	if mode := s.Values.Choice("mode"); mode != sc.mode {
		sc.mode, f.Full = mode, true
		render.FillRect(sc.Frame, sc.Frame.Bounds(), sc.th.Background)
	}
	// The language is the process's (every widget and panel reads it):
	// the link's, set here so that a new one redraws everything.
	if lang := s.Values.Choice("lang"); lang != i18n.Current() && i18n.Set(lang) {
		f.Full = true
		render.FillRect(sc.Frame, sc.Frame.Bounds(), sc.th.Background)
	}
	if f.Full && sc.L.Compact {
		render.FillRect(sc.sheet.img, sc.sheet.img.Bounds(), sc.th.Background)
	}
	// The top bar's menu lies over the column and the scene: while it is
	// open, a press is its own (it picks, or closes the list).
	below := in
	if sc.topCtx.Open() {
		below.Pressed = false
	}
	sc.controls(below)
	sc.applyPending(below)
	f.Busy = sc.ctx.Busy() || sc.help || sc.topCtx.Open()
	f.BeginControls()
	if sc.L.Compact {
		sc.current().Update(f, sc.sheetInput(below), now)
		sc.copySheet()
	} else {
		sc.current().Update(f, below, now)
	}
	sc.drawLesson(below, now)
	sc.drawTop(in, now)
	sc.drawStatus()
	sc.overlay(in)
	sc.prevIn = in
	if f.Full {
		sc.Dirty = append(sc.Dirty[:0], sc.L.Window)
		f.Full = false
	}
	sc.recordTick(now) // the frame as drawn
}

// sceneKey hands key k to the scene shown.
func (sc *Screen) sceneKey(k string, in ui.Input) bool { return sc.current().Key(sc.f, k, in) }

func (sc *Screen) key(k string, in ui.Input) {
	switch k {
	case KeyHelp:
		sc.help = !sc.help
		sc.OverlayDirty = true
	case KeyEscape:
		if sc.help {
			sc.help = false
			sc.OverlayDirty = true
		}
		if sc.ctx.Open() { // escape closes an open list too (it stayed open)
			sc.ctx.Close()
			sc.f.ControlsDirty, sc.OverlayDirty = true, true
		}
		if sc.topCtx.Open() { // and the top bar's menu
			sc.topCtx.Close()
			sc.OverlayDirty = true
		}
	case KeyRecord:
		sc.rec.toggle = true // at the frame's end, on the frame's clock (an input's own time may be older)
	default:
		sc.sceneKey(k, in)
	}
}
