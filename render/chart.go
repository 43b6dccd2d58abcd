package render

import (
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/vaeplayground/vae/i18n"
)

// Series is one curve of a line chart.
type Series struct {
	Name  string
	X     []float64  // x of each point; nil means 0, 1, 2, …
	Y     []float64  // y of each point; NaN or ±Inf (and y ≤ 0 on a log axis) break the line
	Color color.RGBA // zero means the theme palette colour of the series' index
	Width float64    // line width in pixels; 0 means 1.5
}

// ChartOptions configures LineChart. The zero value is a linear chart with
// automatic ranges, no title or labels, and a legend when any series is named.
type ChartOptions struct {
	Title, XLabel, YLabel string
	LogY                  bool        // logarithmic y axis (points with y ≤ 0 are skipped)
	XRange, YRange        *ValueRange // nil means fitted to the data
	HideLegend            bool
}

// ChartAxes maps between a chart's data and pixel spaces. On a log axis the
// viewport's y runs over log10(y); ToPixel and ToData take and return plain y.
type ChartAxes struct {
	Viewport
	LogY bool
}

// ToPixel maps the data point (x, y) to continuous pixel coordinates.
func (a ChartAxes) ToPixel(x, y float64) (px, py float64) {
	if a.LogY {
		y = logOrNaN(y)
	}
	return a.Viewport.ToPixel(Point{x, y})
}

// ToData maps pixel coordinates to the data point under them.
func (a ChartAxes) ToData(px, py float64) (x, y float64) {
	p := a.Viewport.ToData(px, py)
	if a.LogY {
		p.Y = math.Pow(10, p.Y)
	}
	return p.X, p.Y
}

func logOrNaN(y float64) float64 {
	if !(y > 0) {
		return math.NaN()
	}
	return math.Log10(y)
}

// LineChart draws series into r: background, grid, axes with ticks and
// values, title, axis labels and a legend, and returns the axes of its plot
// area (for hover and clicks). It handles long series by keeping, for each
// pixel column, the smallest and largest value that falls in it, so a curve
// of a million steps costs one pass and keeps its spikes. X values must not
// decrease along a series for that thinning to apply; otherwise every point
// is drawn.
func LineChart(dst *image.RGBA, r image.Rectangle, series []Series, opt ChartOptions, th *Theme) ChartAxes {
	FillRect(dst, r, th.Background)
	// The words are shown in the interface's language.
	opt.Title, opt.XLabel, opt.YLabel = i18n.T(opt.Title), i18n.T(opt.XLabel), i18n.T(opt.YLabel)
	xr, yr := chartRanges(series, opt)

	// Layout: room for the title, the tick values and the axis labels.
	small, label := th.Small, th.Label
	top := r.Min.Y + 8
	if opt.Title != "" {
		DrawText(dst, th.Title, r.Min.X+10, top, opt.Title, th.Text, AlignLeft, AlignTop)
		top += LineHeight(th.Title) + 6
	}
	maxTicksY := max(3, (r.Max.Y-top)/30)
	var yTicks []float64
	if opt.LogY {
		yTicks = LogTicks(math.Pow(10, yr.Lo), math.Pow(10, yr.Hi), maxTicksY)
	} else {
		yTicks = NiceTicks(yr.Lo, yr.Hi, maxTicksY)
	}
	tickW := 0
	for _, v := range yTicks {
		tickW = max(tickW, TextWidth(small, FormatValue(v)))
	}
	left := r.Min.X + 8 + tickW + 6
	if opt.YLabel != "" {
		left += LineHeight(label) + 4
	}
	bottom := r.Max.Y - 6 - LineHeight(small) - 4
	if opt.XLabel != "" {
		bottom -= LineHeight(label) + 2
	}
	plot := image.Rect(left, top+LineHeight(small)/2, r.Max.X-14, bottom)
	if plot.Dx() < 8 || plot.Dy() < 8 {
		return ChartAxes{Viewport: NewViewport(DataRect(xr.Lo, yr.Lo, xr.Hi, yr.Hi), plot), LogY: opt.LogY}
	}
	ax := ChartAxes{Viewport: NewViewport(DataRect(xr.Lo, yr.Lo, xr.Hi, yr.Hi), plot), LogY: opt.LogY}
	FillRect(dst, plot, th.Panel)

	// Grid, ticks and tick values.
	for _, v := range yTicks {
		_, py := ax.ToPixel(xr.Lo, v)
		y := int(math.Floor(py))
		if y < plot.Min.Y || y >= plot.Max.Y {
			continue
		}
		FillRect(dst, image.Rect(plot.Min.X, y, plot.Max.X, y+1), th.GridLine)
		FillRect(dst, image.Rect(plot.Min.X-4, y, plot.Min.X, y+1), th.Axis)
		DrawText(dst, small, plot.Min.X-6, y, FormatValue(v), th.MutedText, AlignRight, AlignMiddle)
	}
	xTicks := NiceTicks(xr.Lo, xr.Hi, max(3, plot.Dx()/70))
	for _, v := range xTicks {
		px, _ := ax.ToPixel(v, 1)
		x := int(math.Floor(px))
		if x < plot.Min.X || x >= plot.Max.X {
			continue
		}
		FillRect(dst, image.Rect(x, plot.Min.Y, x+1, plot.Max.Y), th.GridLine)
		FillRect(dst, image.Rect(x, plot.Max.Y, x+1, plot.Max.Y+4), th.Axis)
		DrawText(dst, small, x, plot.Max.Y+6, FormatValue(v), th.MutedText, AlignCenter, AlignTop)
	}
	FillRect(dst, image.Rect(plot.Min.X, plot.Max.Y-1, plot.Max.X, plot.Max.Y), th.Axis)
	FillRect(dst, image.Rect(plot.Min.X, plot.Min.Y, plot.Min.X+1, plot.Max.Y), th.Axis)
	if opt.XLabel != "" {
		DrawText(dst, label, (plot.Min.X+plot.Max.X)/2, r.Max.Y-6, opt.XLabel, th.Text, AlignCenter, AlignBottom)
	}
	if opt.YLabel != "" {
		DrawTextVertical(dst, label, r.Min.X+6+LineHeight(label)/2, (plot.Min.Y+plot.Max.Y)/2, opt.YLabel, th.Text)
	}

	// Curves.
	for k, s := range series {
		c := s.Color
		if c == (color.RGBA{}) {
			c = th.ClassColor(k)
		}
		w := s.Width
		if w <= 0 {
			w = 1.5
		}
		var sh shape
		sh.polyline(seriesPixels(ax, s), w/2, false)
		sh.fill(dst, plot, c)
	}
	if !opt.HideLegend {
		drawLegend(dst, plot, series, th)
	}
	return ax
}

// chartRanges fits the x and y ranges to the data unless given; on a log
// axis the y range is in log10 units. The y range gets 5% of padding.
func chartRanges(series []Series, opt ChartOptions) (xr, yr ValueRange) {
	xr = ValueRange{math.Inf(1), math.Inf(-1)}
	yr = xr
	for _, s := range series {
		for i, y := range s.Y {
			x := float64(i)
			if s.X != nil {
				if i >= len(s.X) {
					break
				}
				x = s.X[i]
			}
			if opt.LogY {
				y = logOrNaN(y)
			}
			if !finite(x) || !finite(y) {
				continue
			}
			if x < xr.Lo {
				xr.Lo = x
			}
			if x > xr.Hi {
				xr.Hi = x
			}
			if y < yr.Lo {
				yr.Lo = y
			}
			if y > yr.Hi {
				yr.Hi = y
			}
		}
	}
	if xr.Lo > xr.Hi {
		xr, yr = ValueRange{0, 1}, ValueRange{0, 1}
	}
	if xr.Lo == xr.Hi {
		xr.Lo, xr.Hi = xr.Lo-0.5, xr.Hi+0.5
	}
	if yr.Lo == yr.Hi {
		yr.Lo, yr.Hi = yr.Lo-0.5, yr.Hi+0.5
	}
	pad := 0.05 * (yr.Hi - yr.Lo)
	yr.Lo, yr.Hi = yr.Lo-pad, yr.Hi+pad
	if opt.XRange != nil {
		xr = *opt.XRange
	}
	if opt.YRange != nil {
		yr = *opt.YRange
		if opt.LogY {
			yr = ValueRange{logOrNaN(yr.Lo), logOrNaN(yr.Hi)}
		}
	}
	return xr, yr
}

// seriesPixels maps a series to pixel coordinates, keeping per pixel column
// only the first, lowest, highest and last points when the series is dense
// and sorted by x. Invalid points become NaN, which breaks the line.
func seriesPixels(ax ChartAxes, s Series) []vec {
	n := len(s.Y)
	if s.X != nil {
		n = min(n, len(s.X))
	}
	xAt := func(i int) float64 {
		if s.X == nil {
			return float64(i)
		}
		return s.X[i]
	}
	sorted := true
	for i := 1; i < n && s.X != nil; i++ {
		if s.X[i] < s.X[i-1] {
			sorted = false
			break
		}
	}
	nan := vec{math.NaN(), math.NaN()}
	out := make([]vec, 0, min(n, 4*ax.Pixels.Dx()+8))
	if !sorted || n <= 2*ax.Pixels.Dx() {
		for i := range n {
			x, y := ax.ToPixel(xAt(i), s.Y[i])
			if !finite(x) || !finite(y) {
				out = append(out, nan)
				continue
			}
			out = append(out, vec{x, y})
		}
		return out
	}
	// One bucket per pixel column: first, min, max, last (in order of x).
	type bucket struct {
		col                     int
		first, lo, hi, last     vec
		iFirst, iLo, iHi, iLast int
		used                    bool
	}
	var b bucket
	flush := func() {
		if !b.used {
			return
		}
		ev := [4]struct {
			i int
			p vec
		}{{b.iFirst, b.first}, {b.iLo, b.lo}, {b.iHi, b.hi}, {b.iLast, b.last}}
		slices.SortFunc(ev[:], func(u, v struct {
			i int
			p vec
		}) int {
			return u.i - v.i
		})
		for k := range ev {
			if k == 0 || ev[k].i != ev[k-1].i {
				out = append(out, ev[k].p)
			}
		}
		b = bucket{}
	}
	for i := range n {
		x, y := ax.ToPixel(xAt(i), s.Y[i])
		if !finite(x) || !finite(y) {
			flush()
			out = append(out, nan)
			continue
		}
		col := int(math.Floor(x))
		if b.used && col != b.col {
			flush()
		}
		p := vec{x, y}
		if !b.used {
			b = bucket{col: col, first: p, lo: p, hi: p, last: p, used: true, iFirst: i, iLo: i, iHi: i, iLast: i}
			continue
		}
		if y > b.lo.y { // pixel y grows downwards: "lo" is the lowest on screen
			b.lo, b.iLo = p, i
		}
		if y < b.hi.y {
			b.hi, b.iHi = p, i
		}
		b.last, b.iLast = p, i
	}
	flush()
	return out
}

// drawLegend draws the named series' swatches and names in the plot's
// top-right corner on a translucent panel.
func drawLegend(dst *image.RGBA, plot image.Rectangle, series []Series, th *Theme) {
	var names []int
	w := 0
	for k, s := range series {
		if s.Name != "" {
			names = append(names, k)
			w = max(w, TextWidth(th.Small, i18n.T(s.Name)))
		}
	}
	if len(names) == 0 {
		return
	}
	lh := LineHeight(th.Small) + 2
	box := image.Rect(plot.Max.X-w-46, plot.Min.Y+6, plot.Max.X-6, plot.Min.Y+6+lh*len(names)+8)
	FillRect(dst, box, WithAlpha(th.Background, 0.8))
	StrokeRect(dst, box, th.Frame)
	for row, k := range names {
		s := series[k]
		c := s.Color
		if c == (color.RGBA{}) {
			c = th.ClassColor(k)
		}
		y := box.Min.Y + 4 + row*lh + lh/2
		var sh shape
		sh.segment(vec{float64(box.Min.X + 8), float64(y) + 0.5}, vec{float64(box.Min.X + 26), float64(y) + 0.5}, 1.25)
		sh.fill(dst, box, c)
		DrawText(dst, th.Small, box.Min.X+32, y, i18n.T(s.Name), th.Text, AlignLeft, AlignMiddle)
	}
}

// DrawAxes frames vp.Pixels and writes round tick values outside its left
// and bottom edges, with short ticks: the axes of a latent or data plot whose
// contents (heatmap, scatter, ellipses) are drawn through vp. Leave about 40
// pixels left of and 20 below vp.Pixels for the values.
func DrawAxes(dst *image.RGBA, vp Viewport, th *Theme) {
	p := vp.Pixels
	StrokeRect(dst, p.Inset(-1), th.Frame)
	for _, v := range NiceTicks(vp.Data.Min.X, vp.Data.Max.X, max(3, p.Dx()/60)) {
		px, _ := vp.ToPixel(Point{v, vp.Data.Min.Y})
		x := int(math.Floor(px))
		FillRect(dst, image.Rect(x, p.Max.Y+1, x+1, p.Max.Y+5), th.Axis)
		DrawText(dst, th.Small, x, p.Max.Y+7, FormatValue(v), th.MutedText, AlignCenter, AlignTop)
	}
	for _, v := range NiceTicks(vp.Data.Min.Y, vp.Data.Max.Y, max(3, p.Dy()/50)) {
		_, py := vp.ToPixel(Point{vp.Data.Min.X, v})
		y := int(math.Floor(py))
		FillRect(dst, image.Rect(p.Min.X-5, y, p.Min.X-1, y+1), th.Axis)
		DrawText(dst, th.Small, p.Min.X-7, y, FormatValue(v), th.MutedText, AlignRight, AlignMiddle)
	}
}
