package scene

import (
	"image"
	"slices"

	"github.com/vaeplayground/vae/ui"
)

// Layout places the playground's regions in a window of w×h device pixels
// at the given scale (device pixels per CSS pixel): the screen's own (the
// top bar, the controls column, the status line), the area a scene owns
// (Main) and, inside it, the VAE views' panels.
//
// A compact layout (a phone, upright or on its side: see Arrange) has no
// room for all of them at once: its top bar keeps the transport and a menu,
// the controls open over the views (Controls is where they show when
// open), and the scene draws into a sheet as wide as the window that
// scrolls in View. The screen's Layout then has no panels; Sheet gives the
// scene's own layout, in the sheet's coordinates.
type Layout struct {
	Top, Controls, Status image.Rectangle
	Main                  image.Rectangle // right of the controls, between the top bar and the status line
	Data, Latent          image.Rectangle
	Loss, KL, Flow        image.Rectangle
	Window                image.Rectangle
	// Lesson is the lesson's text column (empty without one): see
	// WithLesson.
	Lesson image.Rectangle

	Compact bool
	View    image.Rectangle // compact: where the sheet shows
	// Touch: the rows are for a finger (ui.MinTouchTarget high).
	Touch bool
	// StatusRow is the top bar's second row, for the scene's status text
	// (compact and upright only; empty otherwise).
	StatusRow image.Rectangle
	scale     float64
}

// A window narrower than CompactWidth or lower than CompactHeight CSS
// pixels gets the compact layout, and so does one narrower than
// TallWidth and taller than wide (a tablet held upright: the wide
// layout's three columns left its views a quarter of the width); one
// narrower than UprightWidth stacks its views in one column.
const (
	CompactWidth  = 700
	CompactHeight = 440
	TallWidth     = 1000
	UprightWidth  = 600
)

// BarButton is the height of the top bar's buttons, CSS pixels.
func (l Layout) BarButton() float64 {
	if l.Touch {
		return 44
	}
	return 30
}

// Target is the height in CSS pixels to give a control that a mouse hits
// at h: at least ui.MinTouchTarget when the layout is for a finger (a
// scene's own buttons in its views, as the widgets' rows).
func (l Layout) Target(h float64) float64 {
	if l.Touch {
		return max(h, ui.MinTouchTarget)
	}
	return h
}

// NewLayout computes the wide layout for a mouse. The middle holds the data
// and latent views side by side (square), the flow view below them; charts
// on the right; controls on the left. Narrow windows shrink everything
// proportionally.
func NewLayout(w, h int, scale float64) Layout { return wide(w, h, scale, false) }

// ScreenLayout lays out a window of w×h device pixels at scale: the wide layout
// where it fits, the compact one on a small screen. The choice is made in
// CSS pixels, so that text keeps its size on a phone. touch asks for rows a
// finger can hit.
func ScreenLayout(w, h int, scale float64, touch bool) Layout {
	if scale <= 0 {
		scale = 1
	}
	if IsCompact(w, h, scale) {
		return compact(w, h, scale, touch)
	}
	return wide(w, h, scale, touch)
}

// IsCompact reports whether a window of w×h device pixels at scale is a
// phone's: narrower than CompactWidth or lower than CompactHeight CSS
// pixels.
func IsCompact(w, h int, scale float64) bool {
	return float64(w) < CompactWidth*scale || float64(h) < CompactHeight*scale ||
		float64(w) < TallWidth*scale && h > w
}

func wide(w, h int, scale float64, touch bool) Layout {
	px := func(v float64) int { return int(v * scale) }
	w, h = max(w, px(640)), max(h, px(400))
	l := Layout{Window: image.Rect(0, 0, w, h), Touch: touch, scale: scale}
	gap := px(8)
	top := px(l.BarButton() + 16)
	status := px(24)
	ctrlW := min(px(272), w/4)
	rightW := min(px(360), w/4)
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

// compact is the layout of a phone: a top bar (with a second row for the
// status upright), the sheet's view below it, the status line at the
// bottom; the controls over the whole view upright, over its left part
// on a phone on its side.
func compact(w, h int, scale float64, touch bool) Layout {
	px := func(v float64) int { return int(v * scale) }
	w, h = max(w, px(320)), max(h, px(300))
	l := Layout{Window: image.Rect(0, 0, w, h), Compact: true, Touch: touch, scale: scale}
	top := px(l.BarButton() + 16)
	if l.upright() {
		l.StatusRow = image.Rect(px(12), top-px(6), w-px(12), top+px(18))
		top += px(22)
	}
	status := px(24)
	l.Top = image.Rect(0, 0, w, top)
	l.Status = image.Rect(0, h-status, w, h)
	l.View = image.Rect(0, top, w, h-status)
	l.Main = l.View
	l.Controls = l.View
	if !l.upright() {
		l.Controls.Max.X = min(w, px(340))
	}
	return l
}

// Scale is the layout's device pixels per CSS pixel.
func (l Layout) Scale() float64 { return l.scale }

func (l Layout) upright() bool { return float64(l.Window.Dx()) < UprightWidth*l.scale }

// Sheet is a compact layout's sheet for the VAE's views, in the sheet's
// own coordinates: as wide as the view, Main (and Window) the whole sheet
// from (0, 0). Upright, the panels stack in one column: the latent and data
// views square at full width, the bottom view, then the charts. On its
// side, the data and latent views sit beside the charts and the bottom view
// lies below, as high as the view. images makes the bottom view tall
// enough for an image set's manifold, drawing pad and strips. views, when
// not nil, are the only panels shown (by name, session.Views), stacked in
// their order upright and arranged in the view on its side (Arrange); the
// others are empty.
func (l Layout) Sheet(images bool, views []string) Layout {
	px := func(v float64) int { return int(v * l.scale) }
	w := l.View.Dx()
	g := px(8)
	s := Layout{Compact: true, Touch: l.Touch, scale: l.scale}
	if views == nil {
		views = []string{"latent", "data", "flow", "loss", "kl"}
	} else if !l.upright() {
		return s.arrangedSheet(w, l.View.Dy(), images, views)
	}
	if l.upright() {
		side := w - 2*g
		y := g
		for _, v := range views {
			h, r := 0, s.panel(v)
			switch v {
			case "latent", "data":
				h = side
			case "flow":
				h = side * 3 / 4
				if images {
					h = side + px(330)
				}
			case "loss":
				h = px(200)
			case "kl":
				h = px(170)
			}
			if r != nil && h > 0 {
				*r = image.Rect(g, y, g+side, y+h)
				y += h + g
			}
		}
		return s.sheet(w, y)
	}
	viewH := l.View.Dy()
	if viewH > w {
		return s.tallSheet(w, images)
	}
	side := min(viewH-2*g, (w-4*g)*36/100)
	s.Data = image.Rect(g, g, g+side, g+side)
	s.Latent = image.Rect(2*g+side, g, 2*g+2*side, g+side)
	charts := image.Rect(3*g+2*side, g, w-g, g+side)
	s.Loss = image.Rect(charts.Min.X, charts.Min.Y, charts.Max.X, charts.Min.Y+charts.Dy()*55/100)
	s.KL = image.Rect(charts.Min.X, s.Loss.Max.Y+g, charts.Max.X, charts.Max.Y)
	flowH := viewH - 2*g
	if images {
		flowH = max(flowH, px(420))
	}
	s.Flow = image.Rect(g, side+2*g, w-g, side+2*g+flowH)
	return s.sheet(w, s.Flow.Max.Y+g)
}

// tallSheet is the sheet of a view taller than wide and wider than a
// phone's (a tablet held upright): the data and latent views side by side,
// the bottom view below at full width, the charts side by side under it.
func (s Layout) tallSheet(w int, images bool) Layout {
	px := func(v float64) int { return int(v * s.scale) }
	g := px(8)
	half := (w - 3*g) / 2
	s.Data = image.Rect(g, g, g+half, g+half)
	s.Latent = image.Rect(w-g-half, g, w-g, g+half)
	y := g + half + g
	flowH := (w - 2*g) * 3 / 5
	if images {
		flowH = max(flowH, half+px(330))
	}
	s.Flow = image.Rect(g, y, w-g, y+flowH)
	y += flowH + g
	s.Loss = image.Rect(g, y, g+half, y+px(220))
	s.KL = image.Rect(w-g-half, y, w-g, y+px(220))
	return s.sheet(w, y+px(220)+g)
}

// arrangedSheet is the sheet of width w of a phone on its side showing
// only views: the plots in a row as high as the view (viewH) allows, the
// charts beside a lone plot where they fit and below otherwise, the bottom
// view below at the view's height (an image set's taller).
func (s Layout) arrangedSheet(w, viewH int, images bool, views []string) Layout {
	px := func(v float64) int { return int(v * s.scale) }
	g := px(8)
	var squares, charts []*image.Rectangle
	for _, v := range views {
		switch v {
		case "data", "latent":
			squares = append(squares, s.panel(v))
		case "loss", "kl":
			charts = append(charts, s.panel(v))
		}
	}
	y := g
	if n := len(squares); n > 0 {
		side := min(viewH-2*g, (w-g)/n-g)
		for i, sq := range squares {
			x := g + i*(side+g)
			*sq = image.Rect(x, g, x+side, g+side)
		}
		right := image.Rect(g+n*(side+g), g, w-g, g+side)
		if len(charts) > 0 && right.Dx() >= px(200) {
			splitCharts(right, charts, g)
			charts = nil
		}
		y += side + g
	}
	for _, c := range charts {
		*c = image.Rect(g, y, w-g, y+min(px(200), viewH-2*g))
		y = c.Max.Y + g
	}
	if slices.Contains(views, "flow") {
		h := viewH - 2*g
		if images {
			h = max(h, px(420))
		}
		s.Flow = image.Rect(g, y, w-g, y+h)
		y += h + g
	}
	return s.sheet(w, y)
}

// panel is the VAE's panel of that name (nil for none).
func (l *Layout) panel(name string) *image.Rectangle {
	switch name {
	case "data":
		return &l.Data
	case "latent":
		return &l.Latent
	case "loss":
		return &l.Loss
	case "kl":
		return &l.KL
	case "flow":
		return &l.Flow
	}
	return nil
}

// SheetOf is a compact layout's sheet of height h for a scene that places
// its own panels in Main; at least the view's height.
func (l Layout) SheetOf(h int) Layout {
	s := Layout{Compact: true, Touch: l.Touch, scale: l.scale}
	return s.sheet(l.View.Dx(), max(h, l.View.Dy()))
}

func (s Layout) sheet(w, h int) Layout {
	s.Window = image.Rect(0, 0, w, h)
	s.Main, s.View = s.Window, s.Window
	return s
}
