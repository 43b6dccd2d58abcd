package playground

import (
	"fmt"
	"image"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// overlay draws the open dropdown list, the tooltip and the help.
func (sc *Screen) overlay(in ui.Input) {
	tip, at := sc.ctx.Tooltip()
	if t, a := sc.topCtx.Tooltip(); t != "" {
		tip, at = t, a
	}
	pop := sc.ctx.PopupRect()
	menu := sc.topCtx.PopupRect()
	var lessonCtx *ui.Context
	if sc.lesson != nil {
		lessonCtx = sc.lesson.ctx
		if t, a := lessonCtx.Tooltip(); t != "" {
			tip, at = t, a
		}
		menu = menu.Union(lessonCtx.PopupRect())
	}
	key := fmt.Sprint(tip, at, pop, menu, sc.help, sc.ctx.Open())
	if sc.ctx.Open() || sc.topCtx.Open() || lessonCtx != nil && lessonCtx.Open() {
		key += fmt.Sprint(in.X, in.Y) // hover highlight in the list
	}
	// The key alone decides (OverlayDirty may wait for the platform's Draw
	// over several Updates: the overlay is not redrawn for it each time).
	if !sc.overlayKey.Changed(key) && !sc.f.Full {
		return
	}
	sc.OverlayDirty = true
	clear(sc.Overlay.Pix)
	sc.ctx.DrawPopup(sc.Overlay)
	sc.topCtx.DrawPopup(sc.Overlay)
	if lessonCtx != nil {
		lessonCtx.DrawPopup(sc.Overlay)
	}
	if tip != "" {
		sc.ctx.DrawTooltip(sc.Overlay, tip, at)
	}
	if sc.help {
		sc.drawHelp()
	}
}

func (sc *Screen) drawHelp() {
	b := sc.Overlay.Bounds()
	render.FillRect(sc.Overlay, b, sc.th.Scrim)
	w, h := min(b.Dx()-sc.px(40), sc.px(720)), min(b.Dy()-sc.px(40), sc.px(380))
	r := image.Rect((b.Dx()-w)/2, (b.Dy()-h)/2, (b.Dx()+w)/2, (b.Dy()+h)/2)
	render.FillRect(sc.Overlay, r, sc.th.Panel)
	render.StrokeRect(sc.Overlay, r, sc.th.Frame)
	render.DrawText(sc.Overlay, sc.th.Title, r.Min.X+sc.px(16), r.Min.Y+sc.px(20), "Help", sc.th.Text, render.AlignLeft, render.AlignMiddle)
	text := sc.current().Help()
	render.DrawParagraph(sc.Overlay, sc.th.Label, sc.f.Inside(r, 40, 16, 10, 16), text, sc.th.Text)
}

// Help reports whether the help overlay is open.
func (sc *Screen) Help() bool { return sc.help }
