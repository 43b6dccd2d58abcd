package playground

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// updateLab runs one frame of the flow lab (mode "flowlab") in the area
// right of the controls and below the top bar.
func (sc *Screen) updateLab(in ui.Input, keys []string, now time.Time) {
	r := image.Rect(sc.L.Controls.Max.X, sc.L.Top.Max.Y, sc.L.Window.Max.X, sc.L.Status.Min.Y)
	if !sc.fullRedraw {
		return
	}
	dst := sc.Frame.SubImage(r).(*image.RGBA)
	render.FillRect(dst, r, sc.th.Background)
	render.DrawText(dst, sc.th.Title, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "flow lab: to come", sc.th.MutedText, render.AlignCenter, render.AlignMiddle)
	sc.Dirty = append(sc.Dirty, r)
	_, _ = keys, now
}
