package scene

import (
	"image"
	"math"
	"slices"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// Scene is one kind of view the screen hosts in its main area: the VAE's
// views (package vaeview), the flow lab (package flowlab). The screen keeps
// the top bar, the controls column, the status line and the overlay; a
// scene draws its own panels, handles the pointer over them and runs its
// own work. Scenes never know of each other or of the screen.
type Scene interface {
	// Update runs one frame: the pointer over the scene's panels (unless
	// f.Busy), the scene's work within its budgets and the redraw of what
	// changed into f.
	Update(f *Frame, in ui.Input, now time.Time)
	// Key handles a key the screen does not keep for itself (play/pause,
	// step, reset, …) and reports whether the scene took it.
	Key(f *Frame, k string, in ui.Input) bool
	// Playing reports whether the scene's training runs (the Play button
	// shows Pause then).
	Playing() bool
	// Status is the top bar's status line, longest form first (the bar
	// shows the first that fits).
	Status(fps float64) []string
	// Help is the help overlay's text.
	Help() string
	// Tools declares the scene's own controls at the end of a section of
	// the controls column (after its settings).
	Tools(t Tools, section string)
	// SaveButtons says how the top bar's save buttons read in the scene
	// (the zero value: as for the VAE).
	SaveButtons() SaveButtons
}

// Sheeted is a scene that lays out its own sheet on a compact screen (a
// phone): SheetLayout is its layout for the screen's layout l
// (Layout.Sheet, or Layout.SheetOf with the height its panels need) when
// it shows views (by name; nil: all of them). Other scenes get a sheet the
// view's height.
type Sheeted interface {
	SheetLayout(l Layout, views []string) Layout
}

// SaveButtons are a scene's words for the top bar's save buttons; an empty
// field keeps the screen's default.
type SaveButtons struct {
	Label, Hint string // the checkpoint button
	TorchHint   string // the PyTorch (safetensors) button
}

// Key names the screen and its scenes understand (the platform maps its
// keys to these).
const (
	KeySpace  = "space"
	KeyStep   = "."
	KeyReset  = "r"
	KeyHelp   = "?"
	KeyEscape = "escape"
	KeyA      = "a"
	KeyB      = "b"
)

// Tools is the controls column as a scene's own controls see it.
type Tools struct {
	*ui.Context
	// Row lays out the next row of the column and records it as the
	// place of control key (Screen.ControlRect).
	Row func(key string) image.Rectangle
}

// Frame is what a scene draws into and shares with the screen for one
// frame: the screen's image, its theme and scale, the layout, and the
// flags both sides read.
type Frame struct {
	Image  *image.RGBA
	Theme  *render.Theme
	Scale  float64
	Layout Layout
	// Full says the frame was cleared and every panel is drawn again; a
	// scene sets it to have the whole frame redrawn.
	Full bool
	// Busy says the pointer belongs to the controls (a control held, a
	// list open) or the help: the scene ignores it.
	Busy bool
	// ControlsDirty asks the screen to redraw the controls column (a
	// scene's change shows there: a count, a label).
	ControlsDirty bool
	// Hints collects the tooltips of the scene's panels.
	Hints *ui.Context
	// Views are the panels to show, by name (session.Views; nil: all). The
	// screen lays out the VAE's (Layout); a scene that lays out its own
	// panels in Main reads them.
	Views []string
	// Offset and Clip place a compact screen's sheet (Image) on the
	// screen: a panel's rectangle plus Offset is where it shows, within
	// Clip. Zero on a wide screen, where Image is the screen.
	Offset image.Point
	Clip   image.Rectangle
	// Sheet says Image is a compact screen's sheet, of which only the
	// part within Clip shows (Shown).
	Sheet bool

	dirty    *[]image.Rectangle
	controls map[string]image.Rectangle // the scene's own, this frame (Control)
}

// NewFrame makes a frame over img that reports redrawn rectangles into
// *dirty.
func NewFrame(img *image.RGBA, th *render.Theme, scale float64, l Layout, hints *ui.Context, dirty *[]image.Rectangle) *Frame {
	return &Frame{Image: img, Theme: th, Scale: scale, Layout: l, Hints: hints, dirty: dirty}
}

// Px is v CSS pixels in device pixels, rounded.
func (f *Frame) Px(v float64) int { return int(math.Round(v * f.Scale)) }

// MarkDirty reports r as redrawn.
func (f *Frame) MarkDirty(r image.Rectangle) { *f.dirty = append(*f.dirty, r) }

// Sub is the frame's image at r, reported as redrawn.
func (f *Frame) Sub(r image.Rectangle) *image.RGBA {
	f.MarkDirty(r)
	return f.Image.SubImage(r).(*image.RGBA)
}

// Shown reports whether some of panel r shows: always on a wide screen;
// on a compact one, where the sheet's scroll and the open controls panel
// leave it in sight.
func (f *Frame) Shown(r image.Rectangle) bool {
	return !f.Sheet || r.Add(f.Offset).Overlaps(f.Clip)
}

// Hint sets the tooltip of the panel at r.
func (f *Frame) Hint(id string, r image.Rectangle, text string) {
	if f.Sheet {
		r = r.Add(f.Offset).Intersect(f.Clip)
		if r.Empty() {
			return
		}
	}
	f.Hints.Hint(id, r, text)
}

// Control records r as the place of the scene's own control key this
// frame (a button drawn in a view), in the screen's pixels: the screen's
// Controls report it, for tests and the page's hooks. One out of sight on
// a compact screen's sheet is empty.
func (f *Frame) Control(key string, r image.Rectangle) {
	if f.Sheet {
		r = r.Add(f.Offset).Intersect(f.Clip)
	}
	if f.controls == nil {
		f.controls = map[string]image.Rectangle{}
	}
	f.controls[key] = r
}

// BeginControls forgets the controls recorded for the last frame (a
// scene records those it shows, each frame).
func (f *Frame) BeginControls() { clear(f.controls) }

// Controls are the scene's controls recorded this frame, by key.
func (f *Frame) Controls() map[string]image.Rectangle { return f.controls }

// CachedPanel draws panel p's static part with paint when key or the
// theme changed (see Panel) and reports it redrawn.
func (f *Frame) CachedPanel(p *Panel, key string, r image.Rectangle, paint func(dst *image.RGBA)) *image.RGBA {
	dst, dirty := p.Draw(f.Image, r, f.Theme.Key()+"|"+key, paint)
	f.MarkDirty(dirty)
	return dst
}

// PanelFrame fills panel r of dst and writes its title in the current
// language: the first of the titles that fits, or the last cut with an
// ellipsis.
func (f *Frame) PanelFrame(dst *image.RGBA, r image.Rectangle, titles ...string) {
	th := f.Theme
	render.FillRect(dst, r, th.Panel)
	titles = slices.Clone(titles)
	for i, t := range titles {
		titles[i] = i18n.T(t)
	}
	title := FitText(th.Title, r.Dx()-f.Px(20), titles...)
	render.DrawText(dst, th.Title, r.Min.X+f.Px(10), r.Min.Y+f.Px(14), title, th.Text, render.AlignLeft, render.AlignMiddle)
}

// Panel fills panel r of the frame with its title (PanelFrame) and returns
// where to draw, reported as redrawn.
func (f *Frame) Panel(r image.Rectangle, titles ...string) *image.RGBA {
	dst := f.Sub(r)
	f.PanelFrame(dst, r, titles...)
	return dst
}

// Inside is the part of r inside margins of top, right, bottom and left
// CSS pixels (in CSS's order): a panel's plot below its title, clear of its
// edges. The scale is applied once, by ui.Layout.
func (f *Frame) Inside(r image.Rectangle, top, right, bottom, left float64) image.Rectangle {
	u := ui.Layout{Scale: f.Scale}
	band := u.Rows(nil, r, ui.Fixed(top), ui.Flex(1), ui.Fixed(bottom))[1]
	return u.Columns(nil, band, ui.Fixed(left), ui.Flex(1), ui.Fixed(right))[1]
}
