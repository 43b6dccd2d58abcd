package vaeview

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"time"

	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// imageViews is what the views of an image set show, computed from the
// drawing model at a bounded rate.
type imageViews struct {
	w, h            int
	inputs, recons  [][]float64 // view rows and their reconstructions
	samples         [][]float64 // decoded prior samples
	grid            [][]float64 // 2-D latent: the decoded manifold; more: traversals, one row a dimension
	gridCols        int
	gridDims        []int // the traversed dimensions, one per row
	strips          [2][][]float64
	endA, endB      int          // test rows at the interpolation ends, until chosen
	ends            [2][]float64 // chosen end images (a click on an input), nil: the test rows
	nextEnd         int
	inputTiles      []image.Rectangle
	selected        []float64
	selectedVar     []float64 // Bayesian decoder: per-pixel predictive variance at the selected code
	pad             []float64 // the drawing pad, w·h values in [0, 1]
	padRec, padVar  []float64
	padMu, padSigma render.Point
	padActive       bool
	gridAt          time.Time
}

// imagePreviewRows are the inputs shown beside their reconstructions.
const imagePreviewRows = 12

// traversalSteps are the decodes in one traversal or interpolation strip.
const traversalSteps = 9

func rowsToImages(m *mat.Dense) [][]float64 {
	n, _ := m.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = append([]float64(nil), m.RawRowView(i)...)
	}
	return out
}

// prepareImages resets the image views for new data.
func (iv *imageViews) prepare(ds *datasets.Dataset, test *mat.Dense) {
	*iv = imageViews{w: ds.Width, h: ds.Height, pad: make([]float64, ds.D), endA: 0, endB: 1}
	// Interpolate between two test images of different classes when the
	// test split has labels; else the first two.
	if test != nil {
		if n, _ := test.Dims(); n < 2 {
			iv.endB = 0
		}
	}
}

// compute refreshes the image views. The decoded grid (the costliest:
// hundreds of decodes) is refreshed at most every gridEvery.
func (iv *imageViews) compute(s *session.Session, v *viewData, sel []float64, gridEvery time.Duration, now time.Time, rng *rand.Rand) {
	m := s.Model
	k := min(imagePreviewRows, len(v.rows))
	in := v.sub.Slice(0, k, 0, s.Data.D).(*mat.Dense)
	var rec mat.Dense
	m.Reconstruct(&rec, in)
	iv.inputs, iv.recons = rowsToImages(in), rowsToImages(&rec)
	var gen mat.Dense
	m.Generate(&gen, 36, rng)
	iv.samples = rowsToImages(&gen)
	d := s.Config.LatentDim
	if now.Sub(iv.gridAt) >= gridEvery {
		iv.gridAt = now
		iv.computeGrid(s, v)
	}
	if s.Test != nil || iv.ends[0] != nil && iv.ends[1] != nil {
		x := mat.NewDense(2, s.Data.D, nil)
		for j, row := range []int{iv.endA, iv.endB} {
			if iv.ends[j] != nil {
				x.SetRow(j, iv.ends[j])
			} else if s.Test != nil {
				n, _ := s.Test.Dims()
				x.SetRow(j, s.Test.RawRowView(min(row, n-1)))
			}
		}
		var mu mat.Dense
		m.Encode(&mu, nil, x)
		for j, sph := range []bool{false, true} {
			codes := render.InterpolationCodes(mu.RawRowView(0), mu.RawRowView(1), traversalSteps, sph)
			z := mat.NewDense(len(codes), d, nil)
			for i, c := range codes {
				z.SetRow(i, c)
			}
			var dec mat.Dense
			m.Decode(&dec, z)
			iv.strips[j] = rowsToImages(&dec)
		}
	}
	iv.selected, iv.selectedVar = nil, nil
	if sel != nil {
		z := mat.NewDense(1, d, append([]float64(nil), sel...))
		var dec mat.Dense
		m.Decode(&dec, z)
		iv.selected = append([]float64(nil), dec.RawRowView(0)...)
		if m.Config.Bayes.Decoder {
			var mean, variance mat.Dense
			m.PredictiveDecode(&mean, &variance, z, 16, rng)
			iv.selectedVar = scaleToUnit(variance.RawRowView(0))
		}
	}
	iv.encodePad(s, v)
}

// computeGrid decodes the manifold over the latent view (2-D latent) or one
// traversal per latent dimension (more): sweep one coordinate over ±3, the
// others at the code of the first view row.
func (iv *imageViews) computeGrid(s *session.Session, v *viewData) {
	m, d := s.Model, s.Config.LatentDim
	if d == 2 {
		const n = 14
		codes := render.ManifoldCodes(v.latentRect(), n)
		var z, dec mat.Dense
		planeRows(&z, codes, d, 0, 1)
		m.Decode(&dec, &z)
		iv.grid, iv.gridCols, iv.gridDims = rowsToImages(&dec), n, nil
		return
	}
	dims := min(d, 8)
	base := make([]float64, d)
	if r, _ := v.mu.Dims(); r > 0 {
		copy(base, v.mu.RawRowView(0))
	}
	z := mat.NewDense(dims*traversalSteps, d, nil)
	for j := range dims {
		for i := range traversalSteps {
			row := z.RawRowView(j*traversalSteps + i)
			copy(row, base)
			row[j] = -3 + 6*float64(i)/float64(traversalSteps-1)
		}
	}
	var dec mat.Dense
	m.Decode(&dec, z)
	iv.grid, iv.gridCols = rowsToImages(&dec), traversalSteps
	iv.gridDims = iv.gridDims[:0]
	for j := range dims {
		iv.gridDims = append(iv.gridDims, j)
	}
}

// encodePad encodes the drawing pad: its posterior and reconstruction.
func (iv *imageViews) encodePad(s *session.Session, v *viewData) {
	iv.padActive = false
	for _, p := range iv.pad {
		if p > 0 {
			iv.padActive = true
			break
		}
	}
	if !iv.padActive {
		iv.padRec, iv.padVar = iv.padRec[:0], nil
		return
	}
	m := s.Model
	x := mat.NewDense(1, len(iv.pad), append([]float64(nil), iv.pad...))
	var mu, lv, rec mat.Dense
	m.Encode(&mu, &lv, x)
	iv.padMu = render.Point{X: mu.At(0, v.dimX), Y: mu.At(0, v.dimY)}
	iv.padSigma = render.Point{X: math.Exp(0.5 * lv.At(0, v.dimX)), Y: math.Exp(0.5 * lv.At(0, v.dimY))}
	m.Decode(&rec, &mu)
	iv.padRec = append(iv.padRec[:0], rec.RawRowView(0)...)
	iv.padVar = nil
	if m.Config.Bayes.Decoder {
		var mean, variance mat.Dense
		m.PredictiveDecode(&mean, &variance, &mu, 16, rand.New(rand.NewPCG(1, 2)))
		iv.padVar = scaleToUnit(variance.RawRowView(0))
	}
}

// scaleToUnit maps values onto [0, 1] by their maximum (a variance map).
func scaleToUnit(xs []float64) []float64 {
	hi := 0.0
	for _, x := range xs {
		hi = math.Max(hi, x)
	}
	out := make([]float64, len(xs))
	if hi > 0 {
		for i, x := range xs {
			out[i] = x / hi
		}
	}
	return out
}

// Paint adds ink to the pad around (px, py) in pad pixels with a soft
// round brush; erase removes it.
func (iv *imageViews) Paint(px, py float64, erase bool) {
	const radius = 1.6
	for y := max(0, int(py-radius-1)); y < min(iv.h, int(py+radius+2)); y++ {
		for x := max(0, int(px-radius-1)); x < min(iv.w, int(px+radius+2)); x++ {
			d := math.Hypot(float64(x)+0.5-px, float64(y)+0.5-py)
			a := math.Max(0, math.Min(1, radius-d+0.5))
			i := y*iv.w + x
			if erase {
				iv.pad[i] = math.Max(0, iv.pad[i]-a)
			} else {
				iv.pad[i] = math.Min(1, iv.pad[i]+a)
			}
		}
	}
}

// ClearPad empties the pad.
func (iv *imageViews) ClearPad() { clear(iv.pad) }

// imageLayout splits the bottom area of an image set: the decoded
// manifold or traversals, the drawing pad, the interpolation strips.
type imageLayout struct {
	grid, pad, padRec, padVar, clear, strips image.Rectangle
}

func (vw *View) imageLayout() imageLayout {
	r := vw.f.Layout.Flow
	// Below the panel's title, above its bottom margin.
	area := ui.Layout{Scale: vw.f.Scale}.Rows(nil, r, ui.Fixed(30), ui.Flex(1), ui.Fixed(8))[1]
	top, bottom := area.Min.Y, area.Max.Y
	h := area.Dy()
	var l imageLayout
	x := r.Min.X + vw.f.Px(10)
	if r.Dy() > r.Dx() { // a phone's tall panel: the grid at full width, the pad below it
		gridW := r.Dx() - vw.f.Px(20)
		l.grid = image.Rect(x, top, x+gridW, top+gridW)
		top = l.grid.Max.Y + vw.f.Px(8)
	} else {
		gridW := min(h, r.Dx()*45/100)
		l.grid = image.Rect(x, top, x+gridW, top+gridW)
		x = l.grid.Max.X + vw.f.Px(16)
	}
	side := min(vw.f.Px(140), (r.Max.X-x)/3)
	if r.Dy() > r.Dx() { // three squares and their gaps inside the panel
		side = min(vw.f.Px(140), (r.Dx()-vw.f.Px(20+16))/3)
	}
	// The pad, its reconstruction and the decoder's spread: three squares
	// in a row below their labels.
	pads := image.Rect(x, top+vw.f.Px(18), r.Max.X, top+vw.f.Px(18)+side)
	sq := ui.Fixed(float64(side) / vw.f.Scale)
	cells := ui.Layout{Scale: vw.f.Scale, Gap: 8}.Columns(nil, pads, sq, sq, sq)
	l.pad, l.padRec, l.padVar = cells[0], cells[1], cells[2]
	// The clear button: a finger's height on a touch screen.
	l.clear = image.Rect(x, l.pad.Max.Y+vw.f.Px(6), x+side, l.pad.Max.Y+vw.f.Px(6+vw.f.Layout.Target(24)))
	l.strips = image.Rect(x, l.clear.Max.Y+vw.f.Px(26), r.Max.X-vw.f.Px(10), bottom)
	return l
}

// imageInput paints on the pad (button held; shift-free: the pad's own
// erase toggle) and handles its clear button.
func (vw *View) imageInput(in ui.Input) {
	l := vw.imageLayout()
	iv := &vw.iv
	if vw.f.Layout.Flow.Empty() { // the pad is not shown (views=)
		l = imageLayout{}
	}
	// The frame's whole stroke (a slow frame merges many moves), each gap
	// to the last point filled so that fast strokes stay joined.
	painted := false
	for _, at := range in.Drag() {
		if !at.In(l.pad) || len(iv.pad) == 0 {
			vw.padDown = false
			continue
		}
		px := float64(at.X-l.pad.Min.X) / float64(l.pad.Dx()) * float64(iv.w)
		py := float64(at.Y-l.pad.Min.Y) / float64(l.pad.Dy()) * float64(iv.h)
		if vw.padDown {
			steps := int(math.Ceil(math.Hypot(px-vw.padLast.X, py-vw.padLast.Y) / 0.5))
			for i := 1; i <= steps; i++ {
				t := float64(i) / float64(steps)
				iv.Paint(vw.padLast.X+t*(px-vw.padLast.X), vw.padLast.Y+t*(py-vw.padLast.Y), tools[vw.tool] == "erase")
			}
		} else {
			iv.Paint(px, py, tools[vw.tool] == "erase")
		}
		vw.padDown, vw.padLast, painted = true, render.Point{X: px, Y: py}, true
	}
	if painted {
		iv.encodePad(vw.s, &vw.v)
		vw.markViews()
	}
	if !in.Down {
		vw.padDown = false
	}
	// A click on an input image makes it an interpolation end (A, then B).
	if in.Pressed {
		for i, r := range iv.inputTiles {
			if in.In(r) && i < len(iv.inputs) {
				iv.ends[iv.nextEnd] = append([]float64(nil), iv.inputs[i]...)
				vw.s.Message = fmt.Sprintf("interpolation end %c: input %d", 'A'+iv.nextEnd, i+1)
				iv.nextEnd ^= 1
				vw.s.Version++ // recompute the strips
			}
		}
	}
	if in.Pressed && in.In(l.clear) {
		iv.ClearPad()
		iv.encodePad(vw.s, &vw.v)
		vw.markViews()
	}
}

// drawImageData draws the data panel of an image set: inputs beside their
// reconstructions, and fresh samples.
func (vw *View) drawImageData() {
	iv, th := &vw.iv, vw.f.Theme
	vw.dataVP = render.Viewport{}
	if vw.f.Layout.Data.Empty() { // not shown (views=)
		iv.inputTiles = nil
		return
	}
	dst, _ := vw.panel(vw.f.Layout.Data, "Inputs | reconstructions, and samples")
	r := vw.f.Layout.Data
	half := image.Rect(r.Min.X+vw.f.Px(8), r.Min.Y+vw.f.Px(30), r.Max.X-vw.f.Px(8), (r.Min.Y+r.Max.Y)/2)
	iv.inputTiles, _ = render.ReconstructionPairs(dst, half, iv.inputs, iv.recons, iv.w, iv.h, 4, nil)
	low := image.Rect(r.Min.X+vw.f.Px(8), half.Max.Y+vw.f.Px(18), r.Max.X-vw.f.Px(8), r.Max.Y-vw.f.Px(8))
	render.DrawText(dst, th.Small, low.Min.X, low.Min.Y-vw.f.Px(4), "samples: z ~ p(z), decoded", th.MutedText, render.AlignLeft, render.AlignBottom)
	render.Tiles(dst, scene.SquareIn(low), iv.samples, iv.w, iv.h, 6, nil)
	vw.dataVP = render.Viewport{}
}

// drawImageBottom draws the manifold or traversals, the pad and the
// interpolation strips.
func (vw *View) drawImageBottom(now time.Time) {
	s, iv, th := vw.s, &vw.iv, vw.f.Theme
	if vw.f.Layout.Flow.Empty() { // not shown (views=)
		return
	}
	title := "Decoded manifold over the latent view"
	if s.Config.LatentDim > 2 {
		title = "Traversals: one latent dimension swept over ±3, the others held"
	}
	if s.Config.LatentDim == 1 {
		title = "Traversal of the one latent dimension"
	}
	dst, _ := vw.panel(vw.f.Layout.Flow, title)
	l := vw.imageLayout()
	if len(iv.grid) > 0 {
		opt := &render.TileOptions{Gap: -1}
		if iv.gridDims != nil {
			opt = nil
		}
		render.Tiles(dst, l.grid, iv.grid, iv.w, iv.h, iv.gridCols, opt)
	}
	// The pad.
	render.DrawText(dst, th.Label, l.pad.Min.X, l.pad.Min.Y-vw.f.Px(4), "draw here", th.Text, render.AlignLeft, render.AlignBottom)
	render.DrawImage(dst, l.pad, iv.pad, iv.w, iv.h, nil)
	render.StrokeRect(dst, l.pad, th.Frame)
	render.DrawText(dst, th.Label, l.padRec.Min.X, l.padRec.Min.Y-vw.f.Px(4), "reconstruction", th.Text, render.AlignLeft, render.AlignBottom)
	switch {
	case iv.padActive:
		render.DrawImage(dst, l.padRec, iv.padRec, iv.w, iv.h, nil)
	case iv.selected != nil:
		render.DrawImage(dst, l.padRec, iv.selected, iv.w, iv.h, nil)
		render.DrawText(dst, th.Small, l.padRec.Min.X, l.padRec.Max.Y+vw.f.Px(4), "(the clicked code)", th.MutedText, render.AlignLeft, render.AlignTop)
	}
	render.StrokeRect(dst, l.padRec, th.Frame)
	if v := iv.padVar; v != nil || iv.selectedVar != nil {
		if v == nil {
			v = iv.selectedVar
		}
		render.DrawText(dst, th.Label, l.padVar.Min.X, l.padVar.Min.Y-vw.f.Px(4), "decoder spread", th.Text, render.AlignLeft, render.AlignBottom)
		render.DrawImage(dst, l.padVar, v, iv.w, iv.h, &render.TileOptions{Colormap: render.Magma})
		render.StrokeRect(dst, l.padVar, th.Frame)
	}
	render.FillRect(dst, l.clear, vw.f.Hints.Style.Control)
	render.StrokeRect(dst, l.clear, th.Frame)
	render.DrawText(dst, th.Label, (l.clear.Min.X+l.clear.Max.X)/2, (l.clear.Min.Y+l.clear.Max.Y)/2, "clear pad", th.Text, render.AlignCenter, render.AlignMiddle)
	// Interpolation strips with the moving frame emphasised.
	if iv.strips[0] != nil {
		h := l.strips.Dy() / 2
		t := vw.pathT(now)
		cur := int(math.Round(t * float64(traversalSteps-1)))
		for j, name := range []string{"linear", "spherical"} {
			row := image.Rect(l.strips.Min.X, l.strips.Min.Y+j*h+vw.f.Px(16), l.strips.Max.X, l.strips.Min.Y+(j+1)*h)
			what := "two test images"
			if iv.ends[0] != nil || iv.ends[1] != nil {
				what = "the chosen images"
			}
			label := scene.FitText(th.Small, vw.f.Layout.Flow.Max.X-row.Min.X-vw.f.Px(10), fmt.Sprintf("interpolation between %s, %s (click inputs above to choose)", what, name),
				fmt.Sprintf("%s interpolation (click inputs above to choose)", name), name+" interpolation")
			render.DrawText(dst, th.Small, row.Min.X, row.Min.Y-vw.f.Px(2), label, th.MutedText, render.AlignLeft, render.AlignBottom)
			tiles := render.InterpolationStrip(dst, row, iv.strips[j], iv.w, iv.h, pathColor(th, j == 1), nil)
			if cur < len(tiles) {
				render.StrokeRect(dst, tiles[cur].Inset(-2), th.Selection)
			}
		}
	}
}
