package compare

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strings"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/record"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// Scene draws a comparison.
type Scene struct {
	C *session.Compare
	// EditB says the controls column edits B (else A).
	EditB bool

	redraw  scene.Throttle
	key     scene.Key
	panels  Panels
	results session.Results
	// column: the phone's sheet stacks A over B in one column (its view
	// is narrow or taller than wide), as SheetLayout chose.
	column bool
}

// New starts a comparison of s (A) with B as s changed by spec (a compare=
// value, see session.NewCompare) and its scene.
func New(s *session.Session, spec string) (*Scene, error) {
	c, err := session.NewCompare(s, spec)
	if err != nil {
		return nil, err
	}
	if len(c.Notes) > 0 {
		s.Notes = append(s.Notes, c.Notes...)
	}
	sc := &Scene{C: c}
	sc.redraw.Every = 125 * time.Millisecond
	return sc, nil
}

// Close ends the comparison (A trains on alone).
func (sc *Scene) Close() { sc.C.Close() }

// Panels are the scene's panels in device pixels.
type Panels struct {
	LatentA, LatentB, DataA, DataB, Loss, Table image.Rectangle
	// Stacked says A is above B (a narrow main area) rather than beside it.
	Stacked bool
}

// Layout places the panels in main: A and B side by side with the table
// and the losses on the right, or, in a narrow area, A's row above B's
// with the table and the losses below.
func Layout(main image.Rectangle, px func(float64) int) Panels {
	g := px(8)
	r := image.Rect(main.Min.X+g, main.Min.Y+g, main.Max.X-g, main.Max.Y-g)
	w, h := r.Dx(), r.Dy()
	var p Panels
	if w >= px(900) {
		side := min((h-g)/2, (w-2*g)*30/100)
		x := r.Min.X
		p.LatentA = image.Rect(x, r.Min.Y, x+side, r.Min.Y+side)
		p.DataA = image.Rect(x, r.Min.Y+side+g, x+side, r.Min.Y+2*side+g)
		x += side + g
		p.LatentB = image.Rect(x, r.Min.Y, x+side, r.Min.Y+side)
		p.DataB = image.Rect(x, r.Min.Y+side+g, x+side, r.Min.Y+2*side+g)
		x += side + g
		p.Table = image.Rect(x, r.Min.Y, r.Max.X, r.Min.Y+h*48/100)
		p.Loss = image.Rect(x, p.Table.Max.Y+g, r.Max.X, r.Max.Y)
		return p
	}
	p.Stacked = true
	side := min((w-g)/2, (h-2*g)*34/100)
	y := r.Min.Y
	p.LatentA = image.Rect(r.Min.X, y, r.Min.X+side, y+side)
	p.DataA = image.Rect(r.Min.X+side+g, y, r.Min.X+2*side+g, y+side)
	y += side + g
	p.LatentB = image.Rect(r.Min.X, y, r.Min.X+side, y+side)
	p.DataB = image.Rect(r.Min.X+side+g, y, r.Min.X+2*side+g, y+side)
	y += side + g
	half := r.Min.X + (w-g)*55/100
	p.Table = image.Rect(r.Min.X, y, half, r.Max.Y)
	p.Loss = image.Rect(half+g, y, r.Max.X, r.Max.Y)
	return p
}

// phonePanels stacks the panels in a phone's one column: A's latent and
// data views, B's below them, the table and the losses at full width.
func phonePanels(r image.Rectangle, side, g int, px func(float64) int) Panels {
	p := Panels{Stacked: true}
	y := r.Min.Y
	p.LatentA = image.Rect(r.Min.X, y, r.Min.X+side, y+side)
	p.DataA = image.Rect(r.Max.X-side, y, r.Max.X, y+side)
	y += side + g
	p.LatentB = image.Rect(r.Min.X, y, r.Min.X+side, y+side)
	p.DataB = image.Rect(r.Max.X-side, y, r.Max.X, y+side)
	y += side + g
	p.Table = image.Rect(r.Min.X, y, r.Max.X, y+px(230))
	y += px(230) + g
	p.Loss = image.Rect(r.Min.X, y, r.Max.X, y+px(200))
	return p
}

// sidewaysPanels lays a phone on its side out: the four views in a row, the
// table and the losses below them.
func sidewaysPanels(r image.Rectangle, g int, px func(float64) int) Panels {
	p := Panels{Stacked: true}
	side := (r.Dx() - 3*g) / 4
	x, y := r.Min.X, r.Min.Y
	for _, v := range []*image.Rectangle{&p.LatentA, &p.DataA, &p.LatentB, &p.DataB} {
		*v = image.Rect(x, y, x+side, y+side)
		x += side + g
	}
	y += side + g
	half := r.Min.X + (r.Dx()-g)*55/100
	p.Table = image.Rect(r.Min.X, y, half, y+px(260))
	p.Loss = image.Rect(half+g, y, r.Max.X, y+px(260))
	return p
}

// SheetLayout is the comparison's sheet on a compact screen, as tall as
// its panels: upright (a phone, or a view taller than wide) one column
// (phonePanels), on its side the views in a row (sidewaysPanels).
func (sc *Scene) SheetLayout(l scene.Layout, _ []string) scene.Layout {
	s := l.SheetOf(0)
	px := func(v float64) int { return int(v * s.Scale()) }
	g := px(8)
	r := image.Rect(g, g, s.Main.Dx()-g, g)
	sc.column = s.Main.Dx() < px(scene.UprightWidth) || l.View.Dy() > l.View.Dx()
	p := sidewaysPanels(r, g, px)
	if sc.column {
		p = phonePanels(r, (r.Dx()-g)/2, g, px)
	}
	return l.SheetOf(p.Loss.Max.Y + g)
}

// Panels are the panels as last laid out.
func (sc *Scene) Panels() Panels { return sc.panels }

// Results is the table as last drawn.
func (sc *Scene) Results() session.Results { return sc.results }

// Update trains both a frame and redraws (at most 8 times a second while
// training; once when paused after a change).
func (sc *Scene) Update(f *scene.Frame, in ui.Input, now time.Time) {
	c := sc.C
	c.Tick(now)
	sc.panels = Layout(f.Layout.Main, f.Px)
	if m := f.Layout.Main; f.Layout.Compact { // a phone's sheet
		g := f.Px(8)
		r := m.Inset(g)
		if sc.column {
			sc.panels = phonePanels(r, (r.Dx()-g)/2, g, f.Px)
		} else {
			sc.panels = sidewaysPanels(r, g, f.Px)
		}
	}
	key := fmt.Sprint(c.A.Version, c.B.Version, c.ResultsVersion(), c.Playing, sc.panels, c.A.Message)
	if !f.Full && (!sc.key.Changed(key) || c.Playing && !sc.redraw.Due(now)) {
		return
	}
	sc.redraw.Done(now)
	render.FillRect(f.Image, f.Layout.Main, f.Theme.Background)
	f.MarkDirty(f.Layout.Main)
	sc.results = c.Results()
	sc.draw(f)
}

// Key handles play/pause, step and reset for both.
func (sc *Scene) Key(f *scene.Frame, k string, in ui.Input) bool {
	c := sc.C
	switch k {
	case scene.KeySpace:
		c.Playing = !c.Playing
	case scene.KeyStep:
		c.Step()
	case scene.KeyReset:
		if err := c.Reset(); err != nil {
			c.A.Message = err.Error()
		}
	default:
		return false
	}
	sc.key.Reset()
	return true
}

// Playing reports whether both train.
func (sc *Scene) Playing() bool { return sc.C.Playing }

// Status is the top bar's line.
func (sc *Scene) Status(fps float64) []string {
	c := sc.C
	diff := strings.Join(c.Differs(), ", ")
	if diff == "" {
		diff = "nothing yet: edit B"
	}
	steps := fmt.Sprintf("step %d", c.A.Steps())
	msg := c.A.Message
	if c.B.Message != "" && c.B.Message != msg {
		msg = "B: " + c.B.Message
	}
	long := fmt.Sprintf("A vs B · B changes %s · %s · %.0f fps", diff, steps, fps)
	if msg != "" {
		long += " · " + msg
	}
	return []string{long, fmt.Sprintf("A vs B · B changes %s · %s", diff, steps), "A vs B · " + steps}
}

// Help is the help overlay's text.
func (sc *Scene) Help() string {
	return "Compare: two models on the same data and seed. A is the model of the settings; B differs in the settings you change while the controls edit B (the buttons at the top of the column choose). " +
		"Both train step for step: space plays or pauses both, '.' steps both, 'r' resets both. " +
		"Left A, right B (stacked in a narrow window): the latent views on the same axes, the data views. The loss curves: A solid, B dashed. " +
		"The table: held-out ELBO and IWAE bound (k = 100, as `vae train`), reconstruction, KL, active units, steps, steps/s; B − A, and ± = twice the standard error of B − A over five held-out batches (a difference inside it is not shown to be real). " +
		"While training it is computed on 100 rows every two seconds; paused, on all held-out rows, exactly for that moment. The link carries both (compare=)."
}

// Tools puts the A/B switch and "copy A → B" at the end of the first
// section.
func (sc *Scene) Tools(t scene.Tools, section string) {
	if section != "Playground" {
		return
	}
	r := t.Row("compare.edit")
	half := (r.Dx() - 6) / 2
	a, b := image.Rect(r.Min.X, r.Min.Y, r.Min.X+half, r.Max.Y), image.Rect(r.Max.X-half, r.Min.Y, r.Max.X, r.Max.Y)
	labelA, labelB := "edit A", "edit B"
	if sc.EditB {
		labelB = "● editing B"
	} else {
		labelA = "● editing A"
	}
	if t.Button("compare.a", a, labelA, "The controls below edit A, the model on the left (solid curves).") {
		sc.EditB = false
		t.Changed = true
	}
	if t.Button("compare.b", b, labelB, "The controls below edit B, the model on the right (dashed curves): what you change on B is what the comparison asks.") {
		sc.EditB = true
		t.Changed = true
	}
	if t.Button("compare.copy", t.Row("compare.copy"), "copy A → B", "Give B all of A's settings (both start again from their seeds).") {
		if err := sc.C.CopyAToB(); err != nil {
			sc.C.A.Message = err.Error()
		}
		t.Changed = true
	}
}

// SaveButtons keeps the screen's words (they save A).
func (sc *Scene) SaveButtons() scene.SaveButtons {
	return scene.SaveButtons{Hint: "Save model A's checkpoint."}
}

// EditedValues are the settings the controls column shows: A's or B's.
func (sc *Scene) EditedValues() *session.Values {
	if sc.EditB {
		return sc.C.B.Values
	}
	return sc.C.A.Values
}

// SetSetting applies a control's change to A or B.
func (sc *Scene) SetSetting(key string, x float64) error {
	if !sc.EditB {
		return sc.C.A.SetValue(key, x)
	}
	st := session.Lookup(sc.C.B.Values, key)
	if st == nil {
		return fmt.Errorf("unknown setting %q", key)
	}
	return sc.C.SetB(key, st.Format(x))
}

// WriteCSV writes the results table as CSV (record.WriteComparison).
func (sc *Scene) WriteCSV(w io.Writer) error {
	rows := make([]record.ComparisonRow, len(sc.results.Rows))
	for i, r := range sc.results.Rows {
		rows[i] = record.ComparisonRow{Metric: r.Metric, A: r.A, B: r.B, Spread: r.Spread}
	}
	return record.WriteComparison(w, rows)
}

func (sc *Scene) draw(f *scene.Frame) {
	c, p := sc.C, sc.panels
	bounds := sharedLatentRect(c.A, c.B)
	sc.drawLatent(f, p.LatentA, "A · latent", c.A, bounds)
	sc.drawLatent(f, p.LatentB, "B · latent", c.B, bounds)
	sc.drawData(f, p.DataA, "A · data", c.A)
	sc.drawData(f, p.DataB, "B · data", c.B)
	sc.drawLoss(f, p.Loss)
	sc.drawTable(f, p.Table)
}

// codes are the encoder means of the first rows of the training data in
// the shown dimensions.
func codes(s *session.Session, maxRows int) ([]render.Point, []int) {
	n, d := s.X.Dims()
	n = min(n, maxRows)
	x := s.X.Slice(0, n, 0, d).(*mat.Dense)
	var mu mat.Dense
	s.Model.Encode(&mu, nil, x)
	dx, dy := s.Projection()
	pts := make([]render.Point, n)
	for i := range n {
		pts[i] = render.Point{X: mu.At(i, dx), Y: mu.At(i, dy)}
	}
	var labels []int
	if s.Data.Labels != nil {
		labels = s.Data.Labels[:n]
	}
	return pts, labels
}

const maxCodes = 600

// sharedLatentRect is one latent window for both: ±3 at least, grown to
// hold both models' codes.
func sharedLatentRect(a, b *session.Session) render.Rect {
	r := render.DataRect(-3, -3, 3, 3)
	for _, s := range []*session.Session{a, b} {
		pts, _ := codes(s, maxCodes)
		cb := render.BoundsOf(pts)
		lim := 8.0
		r = render.DataRect(math.Max(-lim, math.Min(r.Min.X, cb.Min.X)), math.Max(-lim, math.Min(r.Min.Y, cb.Min.Y)),
			math.Min(lim, math.Max(r.Max.X, cb.Max.X)), math.Min(lim, math.Max(r.Max.Y, cb.Max.Y)))
	}
	return r
}

func (sc *Scene) drawLatent(f *scene.Frame, r image.Rectangle, title string, s *session.Session, bounds render.Rect) {
	th := f.Theme
	dst := f.Panel(r, title+" · "+s.Values.Choice("prior")+" prior", title)
	plot := scene.SquareIn(f.Inside(r, 26, 8, 8, 8))
	vp := render.FitViewport(bounds, plot)
	if s.Config.LatentDim >= 2 {
		g := render.NewGrid(vp.Data, 40, 40)
		z := mat.NewDense(len(g.Values), s.Config.LatentDim, nil)
		dx, dy := s.Projection()
		for k, p := range g.Points(nil) {
			z.Set(k, dx, p.X)
			z.Set(k, dy, p.Y)
		}
		s.Model.PriorLogProb(g.Values, z)
		render.Heatmap(dst, vp, g, render.Viridis, render.AutoLogRange(g.Values, 12), th.NoData)
	}
	render.DrawAxes(dst, vp, th)
	pts, labels := codes(s, maxCodes)
	render.Scatter(dst, vp, pts, render.ClassColors(labels, th.Palette, 0.8), 2*f.Scale)
	f.Hint(title, r, "The codes (encoder means) coloured by class over the prior's log-density; A and B share the axes.")
}

func (sc *Scene) drawData(f *scene.Frame, r image.Rectangle, title string, s *session.Session) {
	th := f.Theme
	dst := f.Panel(r, title+" · reconstructions", title)
	plot := f.Inside(r, 26, 8, 8, 8)
	n, d := s.X.Dims()
	if s.Data.Width > 0 {
		k := min(n, 16)
		x := s.X.Slice(0, k, 0, d).(*mat.Dense)
		var rec mat.Dense
		s.Model.Reconstruct(&rec, x)
		var in, out [][]float64
		for i := range k {
			in = append(in, x.RawRowView(i))
			out = append(out, rec.RawRowView(i))
		}
		render.ReconstructionPairs(dst, plot, in, out, s.Data.Width, s.Data.Height, 4, nil)
		return
	}
	plot = scene.SquareIn(plot)
	k := min(n, maxCodes)
	x := s.X.Slice(0, k, 0, d).(*mat.Dense)
	data := scene.AppendPoints(nil, x)
	var rec mat.Dense
	s.Model.Reconstruct(&rec, x)
	recon := scene.AppendPoints(nil, &rec)
	vp := render.FitViewport(render.BoundsOf(data), plot)
	render.DrawAxes(dst, vp, th)
	grey := make([]color.RGBA, len(data))
	for i := range grey {
		grey[i] = render.WithAlpha(th.MutedText, 0.5)
	}
	render.Scatter(dst, vp, data, grey, 1.5*f.Scale)
	var labels []int
	if s.Data.Labels != nil {
		labels = s.Data.Labels[:k]
	}
	render.Scatter(dst, vp, recon, render.ClassColors(labels, th.Palette, 0.9), 2*f.Scale)
	f.Hint(title, r, "The training data (grey) and their reconstructions (class colours).")
}

// dashed breaks a curve into dashes (NaN gaps), about 40 across its x range.
func dashed(x, y []float64) []float64 {
	out := make([]float64, len(y))
	if len(x) == 0 {
		return out
	}
	period := math.Max((x[len(x)-1]-x[0])/40, 1e-9)
	for i := range y {
		if math.Mod(x[i]-x[0], period) < 0.6*period {
			out[i] = y[i]
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

func (sc *Scene) drawLoss(f *scene.Frame, r image.Rectangle) {
	th := f.Theme
	dst := f.Panel(r, "Loss (nats per point) · A solid, B dashed", "Loss · A solid, B dashed", "Loss")
	plot := f.Inside(r, 26, 6, 4, 4)
	ha, hb := &sc.C.A.History, &sc.C.B.History
	if len(ha.Step) < 2 || len(hb.Step) < 2 {
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "press Play (space): both train", th.MutedText, render.AlignCenter, render.AlignMiddle)
		return
	}
	w := f.Scale
	pal := th.Palette
	render.LineChart(dst, plot, []render.Series{
		{Name: "−ELBO", X: ha.Step, Y: ha.Loss, Color: pal[0], Width: 2 * w},
		{Name: "reconstruction", X: ha.Step, Y: ha.Recon, Color: pal[1], Width: 1.2 * w},
		{Name: "KL", X: ha.Step, Y: ha.KL, Color: pal[2], Width: 1.2 * w},
		{X: hb.Step, Y: dashed(hb.Step, hb.Loss), Color: pal[0], Width: 2 * w},
		{X: hb.Step, Y: dashed(hb.Step, hb.Recon), Color: pal[1], Width: 1.2 * w},
		{X: hb.Step, Y: dashed(hb.Step, hb.KL), Color: pal[2], Width: 1.2 * w},
	}, render.ChartOptions{XLabel: "step"}, th)
	f.Hint("compare.loss", r, "−ELBO, reconstruction and KL per training batch: A solid, B dashed, in the same colours.")
}

// format writes a table value with the row's decimals.
func format(v float64, dec int) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.*f", dec, v)
}

func (sc *Scene) drawTable(f *scene.Frame, r image.Rectangle) {
	th := f.Theme
	res := sc.results
	dst := f.Panel(r, "Results · B − A against ± over held-out batches", "Results")
	if len(res.Rows) == 0 {
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "computing the table…", th.MutedText, render.AlignCenter, render.AlignMiddle)
		return
	}
	cols := []string{"", "A", "B", "B − A", "±"}
	inner := f.Inside(r, 30, 10, 8, 10)
	// The metric's column takes what the four numbers leave.
	metricW := min(f.Px(112), inner.Dx()*36/100)
	numW := (inner.Dx() - metricW) / 4
	x0 := inner.Min.X + metricW
	xs := []int{inner.Min.X, x0 + numW, x0 + 2*numW, x0 + 3*numW, inner.Max.X}
	lh := min(f.Px(20), inner.Dy()/(len(res.Rows)+3))
	y := inner.Min.Y + lh/2
	for i, h := range cols {
		if i == 0 {
			continue
		}
		render.DrawText(dst, th.Label, xs[i], y, h, th.MutedText, render.AlignRight, render.AlignMiddle)
	}
	for _, row := range res.Rows {
		y += lh
		render.DrawText(dst, th.Label, xs[0], y, row.Metric, th.Text, render.AlignLeft, render.AlignMiddle)
		render.DrawText(dst, th.Label, xs[1], y, format(row.A, row.Decimals), th.Text, render.AlignRight, render.AlignMiddle)
		render.DrawText(dst, th.Label, xs[2], y, format(row.B, row.Decimals), th.Text, render.AlignRight, render.AlignMiddle)
		diff := row.Diff()
		col := th.Text
		text := format(diff, row.Decimals)
		if diff > 0 && !math.IsNaN(diff) {
			text = "+" + text
		}
		if row.Exceeds {
			col = th.Notice
			text += " *"
		}
		render.DrawText(dst, th.Label, xs[3], y, text, col, render.AlignRight, render.AlignMiddle)
		render.DrawText(dst, th.Label, xs[4], y, format(row.Spread, row.Decimals), th.MutedText, render.AlignRight, render.AlignMiddle)
	}
	y += lh
	note := res.SpreadNote() + "; * : |B − A| > ±"
	render.DrawParagraph(dst, th.Small, image.Rect(inner.Min.X, y, inner.Max.X, inner.Max.Y), note, th.MutedText)
	f.Hint("compare.table", r, "Held-out ELBO and IWAE bound (k = 100) by the engine's Evaluate, reconstruction and KL with one fixed noise draw, active units, steps and steps/s (each model's own training time). ± is twice the standard error of B − A over five batches of the held-out rows; * marks a difference larger than it.")
}
