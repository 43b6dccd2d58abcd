package scene

import "image"

// Layout places the playground's regions in a window of w×h device pixels
// at the given scale (device pixels per CSS pixel): the screen's own (the
// top bar, the controls column, the status line), the area a scene owns
// (Main) and, inside it, the VAE views' panels.
type Layout struct {
	Top, Controls, Status image.Rectangle
	Main                  image.Rectangle // right of the controls, between the top bar and the status line
	Data, Latent          image.Rectangle
	Loss, KL, Flow        image.Rectangle
	Window                image.Rectangle
	// Lesson is the lesson's text column (empty without one): see
	// WithLesson.
	Lesson image.Rectangle
}

// NewLayout computes the layout. The middle holds the data and latent views
// side by side (square), the flow view below them; charts on the right;
// controls on the left. Narrow windows shrink everything proportionally.
func NewLayout(w, h int, scale float64) Layout {
	px := func(v float64) int { return int(v * scale) }
	w, h = max(w, px(640)), max(h, px(400))
	gap := px(8)
	top := px(46)
	status := px(24)
	ctrlW := min(px(272), w/4)
	rightW := min(px(360), w/4)
	l := Layout{Window: image.Rect(0, 0, w, h)}
	l.Top = image.Rect(0, 0, w, top)
	l.Controls = image.Rect(0, top, ctrlW, h)
	midX0, midX1 := ctrlW+gap, w-rightW-gap
	l.Status = image.Rect(midX0, h-status, midX1, h)
	avail := h - top - status - 3*gap
	side := min((midX1-midX0-gap)/2, avail*64/100)
	y0 := top + gap
	l.Data = image.Rect(midX0, y0, midX0+side, y0+side)
	l.Latent = image.Rect(midX1-side, y0, midX1, y0+side)
	l.Flow = image.Rect(midX0, y0+side+gap, midX1, h-status-gap)
	rx0 := w - rightW
	rh := h - top - 2*gap
	l.Loss = image.Rect(rx0, y0, w-gap, y0+rh*55/100)
	l.KL = image.Rect(rx0, l.Loss.Max.Y+gap, w-gap, h-gap)
	l.Main = image.Rect(l.Controls.Max.X, l.Top.Max.Y, w, l.Status.Min.Y)
	return l
}
