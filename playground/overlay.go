package playground

import (
	"fmt"
	"image"

	"github.com/vaeplayground/vae/i18n"
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
	switch {
	case sc.L.Compact: // a phone: as much of the screen as the text wants
		h = b.Dy() - sc.px(40)
	case sc.touch: // the touch note comes first
		h = min(b.Dy()-sc.px(40), sc.px(500))
	}
	r := image.Rect((b.Dx()-w)/2, (b.Dy()-h)/2, (b.Dx()+w)/2, (b.Dy()+h)/2)
	render.FillRect(sc.Overlay, r, sc.th.Panel)
	render.StrokeRect(sc.Overlay, r, sc.th.Frame)
	render.DrawText(sc.Overlay, sc.th.Title, r.Min.X+sc.px(16), r.Min.Y+sc.px(20), "Help", sc.th.Text, render.AlignLeft, render.AlignMiddle)
	render.DrawParagraph(sc.Overlay, sc.th.Label, sc.f.Inside(r, 40, 16, 10, 16), sc.helpText(), sc.th.Text)
}

// helpText is the scene's help, after the touch note on a touch screen.
func (sc *Screen) helpText() string {
	if sc.touch {
		return i18n.Shown(i18n.T(touchHelp) + "\n\n" + i18n.T(sc.current().Help()))
	}
	return i18n.T(sc.current().Help())
}

// touchHelp is how the playground answers a finger: the help shows it
// first on a touch screen.
const touchHelp = `Touch: a tap is a click (buttons, toggles, a dropdown: tap to open, tap a choice). A long press shows what a control or view does. Swipe up or down to scroll the controls` +
	` (and, on a phone, the views). To draw points, paint a density or drag mixture centres, their handles and sliders, rest the finger a moment or move it sideways first. Tap in the latent view to decode a point. On a phone, Controls opens the settings over the views and More holds help, link, saving, compare and recording. Tap anywhere to close this help.`

// Help reports whether the help overlay is open.
func (sc *Screen) Help() bool { return sc.help }
