package scene

import "image"

// WithLesson makes room for a lesson's text column in a window of w×h
// device pixels: beside the views on the right where the window is wide
// enough for the column and base's least width, above them (a band under
// the top bar) on a narrow or tall window such as a phone's. base lays out
// the rest in the room left (its top bar is widened to the window).
func WithLesson(w, h int, scale float64, base func(w, h int) Layout) Layout {
	px := func(v float64) int { return int(v * scale) }
	top := px(46)
	colW := min(px(340), max(px(260), w/4))
	if w-colW >= px(640) && w >= h {
		l := base(w-colW, h)
		x0 := l.Window.Max.X // base may be wider than asked (its least size)
		l.Lesson = image.Rect(x0, l.Top.Max.Y, x0+colW, l.Window.Max.Y)
		l.Window.Max.X = x0 + colW
		l.Top.Max.X = l.Window.Max.X
		return l
	}
	colH := min(h*40/100, px(320))
	l := base(w, h-colH)
	shift := image.Pt(0, colH)
	for _, r := range []*image.Rectangle{&l.Controls, &l.Status, &l.Main, &l.Data, &l.Latent, &l.Loss, &l.KL, &l.Flow} {
		if !r.Empty() {
			*r = r.Add(shift)
		}
	}
	l.Lesson = image.Rect(0, top, l.Window.Max.X, top+colH)
	l.Window.Max.Y += colH
	return l
}

// CompactLesson makes room for a lesson's text in a compact layout (a
// phone, a tablet held upright): upright, a band under the top bar, the
// sheet's view below it; on its side, a column on the right, the view (and
// the controls' panel over it) on the left. The status line keeps the window's width.
func (l Layout) CompactLesson() Layout {
	px := func(v float64) int { return int(v * l.scale) }
	v := l.View
	if l.upright() || v.Dy() > v.Dx() { // a phone or a tablet held upright
		band := min(v.Dy()*42/100, px(340))
		l.Lesson = image.Rect(v.Min.X, v.Min.Y, v.Max.X, v.Min.Y+band)
		v.Min.Y += band
	} else {
		col := min(px(320), v.Dx()*38/100)
		l.Lesson = image.Rect(v.Max.X-col, v.Min.Y, v.Max.X, v.Max.Y)
		v.Max.X -= col
	}
	l.View, l.Main = v, v
	l.Controls = image.Rect(v.Min.X, v.Min.Y, min(v.Max.X, l.Controls.Max.X), v.Max.Y)
	return l
}
