package scene

import (
	"image"
	"slices"
)

// ShownLayout lays out a window of w×h device pixels that shows only some
// of the VAE's panels (views, by name: data, latent, loss, kl, flow; nil:
// all of them) and a controls column only when controls is true: the
// panels shown share the space the others leave. The smallest window it
// lays out is smaller than NewLayout's (an embed in an article column).
// The panels not shown are empty rectangles.
func ShownLayout(w, h int, scale float64, views []string, controls bool) Layout {
	if views == nil && controls {
		return NewLayout(w, h, scale)
	}
	if views == nil {
		views = []string{"data", "latent", "loss", "kl", "flow"}
	}
	px := func(v float64) int { return int(v * scale) }
	w, h = max(w, px(320)), max(h, px(240))
	gap := px(8)
	top, status := px(46), px(24)
	l := Layout{Window: image.Rect(0, 0, w, h)}
	l.Top = image.Rect(0, 0, w, top)
	ctrlW := 0
	if controls {
		// A few controls: a column as wide as the full layout's where the
		// window allows, never less than a slider needs.
		ctrlW = min(px(272), max(w/4, min(px(200), w*2/5)))
		l.Controls = image.Rect(0, top, ctrlW, h)
	}
	l.Status = image.Rect(ctrlW+gap, h-status, w-gap, h)
	l.Main = image.Rect(ctrlW, top, w, h-status)
	area := image.Rect(ctrlW+gap, top+gap, w-gap, h-status-gap)
	shown := func(name string) bool { return slices.Contains(views, name) }
	var squares, charts []*image.Rectangle
	for _, p := range []struct {
		name string
		r    *image.Rectangle
	}{{"data", &l.Data}, {"latent", &l.Latent}} {
		if shown(p.name) {
			squares = append(squares, p.r)
		}
	}
	for _, p := range []struct {
		name string
		r    *image.Rectangle
	}{{"loss", &l.Loss}, {"kl", &l.KL}} {
		if shown(p.name) {
			charts = append(charts, p.r)
		}
	}
	var bottom *image.Rectangle
	if shown("flow") {
		bottom = &l.Flow
	}
	Arrange(area, squares, charts, bottom, gap, scale)
	return l
}

// Arrange lays out panels in area: squares (plots) in a row, as large as
// the room allows, the bottom panel (nil: none) below them across the
// width, and the charts in a column on the right of a wide area or a band
// at the bottom of a tall one. Panels are given in the order they read.
func Arrange(area image.Rectangle, squares, charts []*image.Rectangle, bottom *image.Rectangle, gap int, scale float64) {
	px := func(v float64) int { return int(v * scale) }
	flow := bottom != nil
	if len(squares) == 0 && len(charts) == 0 && !flow {
		return
	}
	rest, chartArea := area, image.Rectangle{}
	if len(charts) > 0 && (len(squares) > 0 || flow) {
		n := len(squares)
		if area.Dx() >= area.Dy() {
			cw := min(px(360), area.Dx()*30/100)
			if !flow && n > 0 {
				// The squares as large as the height allows, the charts
				// the width left (at least 200 CSS pixels).
				side := min(area.Dy(), (area.Dx()-max(px(200), cw)-n*gap)/n)
				cw = area.Dx() - n*(side+gap)
			}
			chartArea = image.Rect(area.Max.X-cw, area.Min.Y, area.Max.X, area.Max.Y)
			rest.Max.X = chartArea.Min.X - gap
		} else {
			ch := max(px(120), area.Dy()*30/100)
			chartArea = image.Rect(area.Min.X, area.Max.Y-ch, area.Max.X, area.Max.Y)
			rest.Max.Y = chartArea.Min.Y - gap
		}
	} else if len(charts) > 0 {
		chartArea = area
	}
	splitCharts(chartArea, charts, gap)
	switch {
	case len(squares) > 0 && flow:
		n := len(squares)
		// The bottom view keeps 45 % of the height: the image sets' pad
		// and interpolation strips need it.
		side := min((rest.Dx()-(n-1)*gap)/n, rest.Dy()*55/100)
		placeSquares(image.Rect(rest.Min.X, rest.Min.Y, rest.Max.X, rest.Min.Y+side), squares, side, gap, false)
		*bottom = image.Rect(rest.Min.X, rest.Min.Y+side+gap, rest.Max.X, rest.Max.Y)
	case len(squares) > 0:
		n := len(squares)
		row := min((rest.Dx()-(n-1)*gap)/n, rest.Dy())
		col := min(rest.Dx(), (rest.Dy()-(n-1)*gap)/n)
		placeSquares(rest, squares, max(row, col), gap, col > row)
	case flow:
		*bottom = rest
	}
}

// placeSquares puts square panels of side side in a row (or a column),
// centred in r.
func placeSquares(r image.Rectangle, squares []*image.Rectangle, side, gap int, column bool) {
	n := len(squares)
	span := n*side + (n-1)*gap
	x, y := r.Min.X+(r.Dx()-side)/2, r.Min.Y+(r.Dy()-side)/2
	if column {
		y = r.Min.Y + (r.Dy()-span)/2
	} else {
		x = r.Min.X + (r.Dx()-span)/2
	}
	for _, sq := range squares {
		*sq = image.Rect(x, y, x+side, y+side)
		if column {
			y += side + gap
		} else {
			x += side + gap
		}
	}
}

// splitCharts stacks the charts in r (side by side in a wide, low r); of
// two, the first gets a little more height, as the loss does in the full
// layout.
func splitCharts(r image.Rectangle, charts []*image.Rectangle, gap int) {
	n := len(charts)
	if n == 0 {
		return
	}
	if r.Dx() > n*r.Dy() { // side by side
		w := (r.Dx() - (n-1)*gap) / n
		for i, c := range charts {
			x := r.Min.X + i*(w+gap)
			*c = image.Rect(x, r.Min.Y, x+w, r.Max.Y)
		}
		return
	}
	y := r.Min.Y
	for i, c := range charts {
		h := (r.Dy() - (n-1)*gap) / n
		if n == 2 {
			h = (r.Dy() - gap) * 55 / 100
		}
		if i == n-1 {
			h = r.Max.Y - y
		}
		*c = image.Rect(r.Min.X, y, r.Max.X, y+h)
		y += h + gap
	}
}
