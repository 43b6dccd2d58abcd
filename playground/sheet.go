package playground

import (
	"image"
	"image/draw"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/ui"
)

// A compact screen (a phone) shows the scene through a sheet: the scene
// lays out and draws its panels into an image as wide as the window and as
// tall as they need (scene.Layout.Sheet), and the screen copies the part
// scrolled into its view. The scene sees its own coordinates throughout:
// the pointer comes to it moved by the scroll, its tooltips go back.

// sheetState is the compact screen's sheet.
type sheetState struct {
	img    *image.RGBA
	l      scene.Layout
	scroll int
	dirty  []image.Rectangle // redrawn since copied (the sheet's coordinates)
	all    bool              // copy all of the visible sheet next
	open   bool              // the controls panel is open over the views
}

// arrangeSheet makes the sheet fit the scene shown (its layout changes
// with the scene, the data's kind and the comparison), and the frame the
// scene draws into.
func (sc *Screen) arrangeSheet() {
	if !sc.L.Compact {
		return
	}
	l := sc.L.SheetOf(0)
	if s, ok := sc.current().(scene.Sheeted); ok {
		l = s.SheetLayout(sc.L, sc.vaeViews())
	}
	sh := &sc.sheet
	if sh.img != nil && l == sh.l {
		return
	}
	sh.l = l
	if sh.img == nil || sh.img.Bounds() != l.Window {
		sh.img = image.NewRGBA(l.Window)
	}
	sc.f = scene.NewFrame(sh.img, sc.th, sc.Scale, l, sc.ctx, &sh.dirty)
	sc.f.Views, sc.f.Sheet = sc.shown.views, true
	sc.f.Full, sh.all = true, true
	sc.f.Offset, sc.f.Clip = sc.L.View.Min.Sub(image.Pt(0, sh.scroll)), sc.visibleView()
	sc.scrollSheet(0)
}

// visibleView is the part of the view the sheet shows in: all of it, less
// the controls panel while it is open.
func (sc *Screen) visibleView() image.Rectangle {
	v := sc.L.View
	if sc.sheet.open {
		if sc.L.Controls.Max.X >= v.Max.X {
			return image.Rectangle{}
		}
		v.Min.X = sc.L.Controls.Max.X
	}
	return v
}

// SheetScroll is how far the sheet is scrolled and how far it can be, in
// device pixels (0, 0 on a wide screen).
func (sc *Screen) SheetScroll() (offset, limit int) {
	if !sc.L.Compact || sc.sheet.img == nil {
		return 0, 0
	}
	return sc.sheet.scroll, max(0, sc.sheet.l.Window.Dy()-sc.L.View.Dy())
}

// scrollSheet moves the sheet by dy device pixels (clamped).
func (sc *Screen) scrollSheet(dy int) {
	sh := &sc.sheet
	_, limit := sc.SheetScroll()
	s := max(0, min(sh.scroll+dy, limit))
	if s != sh.scroll {
		sh.scroll, sh.all = s, true
	}
	sc.f.Offset = sc.L.View.Min.Sub(image.Pt(0, sh.scroll))
	sc.f.Clip = sc.visibleView()
}

// sheetInput is the pointer as the scene sees it: in the sheet's
// coordinates while over the visible view (or holding what it pressed
// there), nowhere otherwise. A wheel turn (a swipe) over the view scrolls
// the sheet.
func (sc *Screen) sheetInput(in ui.Input) ui.Input {
	vis := sc.visibleView()
	if in.In(vis) && in.Wheel != 0 {
		sc.scrollSheet(-int(in.Wheel * float64(sc.px(40))))
	}
	over := in.In(vis)
	if !over && !(in.Down || in.Released) || !over && in.Pressed {
		in.X, in.Y = -1<<20, -1<<20
		in.Pressed, in.Path = false, nil
	} else {
		in = in.Moved(sc.f.Offset.Mul(-1))
	}
	in.Wheel = 0
	return in
}

// copySheet brings what the scene redrew (or all of it after a scroll) to
// the frame.
func (sc *Screen) copySheet() {
	sh := &sc.sheet
	vis := sc.visibleView()
	off := sc.f.Offset
	if sh.all || sc.f.Full {
		sh.dirty = append(sh.dirty[:0], sh.l.Window)
		sh.all = false
	}
	for _, r := range sh.dirty {
		d := r.Add(off).Intersect(vis)
		if d.Empty() {
			continue
		}
		draw.Draw(sc.Frame, d, sh.img, d.Min.Sub(off), draw.Src)
		sc.Dirty = append(sc.Dirty, d)
	}
	sh.dirty = sh.dirty[:0]
}

// ShowControls opens or closes the controls panel of a compact screen.
func (sc *Screen) ShowControls(open bool) {
	if !sc.L.Compact || open == sc.sheet.open {
		return
	}
	sc.sheet.open = open
	sc.ctx.Close()
	sc.f.ControlsDirty, sc.sheet.all = true, true
	sc.scrollSheet(0)
}

// ControlsShown reports whether the controls can be seen: always on a
// wide screen, while the panel is open on a compact one.
func (sc *Screen) ControlsShown() bool { return !sc.L.Compact || sc.sheet.open }
