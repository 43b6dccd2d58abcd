package playground

import (
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
)

// drawStatus draws the status line: the last message, notes from the
// link, a divergence or a download in progress.
func (sc *Screen) drawStatus() {
	r := sc.L.Status
	s, th := sc.S, sc.th
	text, col := i18n.T(s.Message), th.MutedText
	if len(s.Notes) > 0 && text == "" {
		notes := make([]string, len(s.Notes))
		for i, n := range s.Notes {
			notes[i] = i18n.T(n)
		}
		text, col = i18n.F("from the link: %s", strings.Join(notes, "; ")), th.Notice
	}
	if on, t := sc.Recording(); on {
		text, col = fmt.Sprintf("● Rec %.1f s — recording %s: press Record or g to stop and save", t.Seconds(), sc.rec.recDesc), th.Error
	}
	if s.Diverged != "" {
		text, col = i18n.T(s.Diverged), th.Error
	}
	frac := -1.0
	if l := s.Loading; l != nil {
		done, total := l.Progress()
		text, col = i18n.F("loading %s: %.1f MB", l.Set, float64(done)/1e6), th.Text
		if total > 0 {
			frac = math.Min(1, float64(done)/float64(total))
			text += i18n.F(" of %.1f MB (%.0f%%) — training goes on meanwhile", float64(total)/1e6, 100*frac)
		}
	}
	if text != "" {
		// A long message is cut to the line's width: hovering shows all of it.
		sc.ctx.Hint("status", r, text)
	}
	if !sc.statusKey.Changed(text+fmt.Sprint(col)) && !sc.f.Full {
		return
	}
	dst := sc.Frame.SubImage(r).(*image.RGBA)
	render.FillRect(dst, r, th.Background)
	x := r.Min.X + sc.px(4)
	if frac >= 0 { // a progress bar before the text
		bar := image.Rect(x, r.Min.Y+sc.px(8), x+sc.px(160), r.Max.Y-sc.px(8))
		render.FillRect(dst, bar, sc.ctx.Style.Control)
		render.FillRect(dst, image.Rect(bar.Min.X, bar.Min.Y, bar.Min.X+int(frac*float64(bar.Dx())), bar.Max.Y), th.Palette[0])
		x = bar.Max.X + sc.px(8)
	}
	if rs := []rune(text); len(rs) > 160 {
		text = i18n.Shown(string(rs[:160]) + "…")
	}
	render.DrawText(dst, th.Label, x, (r.Min.Y+r.Max.Y)/2, scene.FitText(th.Label, r.Max.X-x, text), col, render.AlignLeft, render.AlignMiddle)
	sc.Dirty = append(sc.Dirty, r)
}
