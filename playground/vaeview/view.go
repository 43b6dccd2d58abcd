package vaeview

import (
	"fmt"
	"image"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// View is the VAE's views as a scene (mode "vae"): the latent view, the
// data view, the loss and KL charts and the bottom view (the flow's layers
// or the decoder map for points; the manifold, the drawing pad and the
// interpolation strips for images). What differs between points and
// images is a dataKind, chosen when the data change.
type View struct {
	s     *session.Session
	f     *scene.Frame // the frame being drawn (set by Update and Key)
	v     viewData
	kind  dataKind
	marks []Mark // pointed out by a lesson (SetMarks)
	rng   *rand.Rand

	// What the views last computed from: the session's versions, the
	// prior grid's resolution and how often it was computed.
	viewVersion, dataVersion int
	flowVersion, lossVersion int
	priorVersion, priorRes   int
	priorComputed            int
	// How often the views' parts are recomputed or redrawn.
	codesT, priorT, activityT scene.Throttle
	animT, bottomT, lossT     scene.Throttle
	flowT, dragT              scene.Throttle
	latentPanel, dataPanel    scene.Panel // the views' static parts
	// The static parts with the dots over them, while the dots stand
	// still (layered), and how often the views' data were computed (now
	// and at each view's last redraws).
	latentDots, dataDots   scene.Panel
	latentDrawn, dataDrawn dotsDrawn
	computed               int
	// Redraws put off while a panel is out of sight on a phone's sheet.
	latentLater, dataLater, bottomLater scene.Deferred
	lossLater, klLater                  scene.Deferred
	steps                               scene.Rate // training steps per second
	viewsDirty                          bool       // the latent and data panels wait to be redrawn

	hover       int // view row under the pointer in the latent view, −1 none
	selected    []float64
	selectedRow int
	pathA       []float64
	pathB       []float64
	tool, class int
	dragComp    int // mixture component being dragged, −1 none
	dragAxis    int // −1: the mean; 0/1: a covariance handle
	pressAt     image.Point
	lastDrawPt  render.Point
	latentVP    render.Viewport
	dataVP      render.Viewport
	start       time.Time
	decoderMap  bool       // the flow view shows the decoder map (no flow)
	iv          imageViews // the views of an image set
	padDown     bool
	padLast     render.Point
}

// New makes the VAE's views of session s.
func New(s *session.Session) *View {
	vw := &View{s: s, hover: -1, dragComp: -1, rng: rand.New(rand.NewPCG(7, 7)), kind: points{}}
	vw.activityT.Every = time.Second
	vw.animT.Every = 33 * time.Millisecond // the moving interpolation marker: 30 Hz
	vw.bottomT.Every = 100 * time.Millisecond
	vw.lossT.Every = 200 * time.Millisecond
	vw.dragT.Every = 100 * time.Millisecond
	return vw
}

// Update runs one frame of the views: new data, the recompute of what is
// due, the pointer and the redraw of what changed.
func (vw *View) Update(f *scene.Frame, in ui.Input, now time.Time) {
	vw.f = f
	if vw.start.IsZero() {
		vw.start = now
	}
	s := vw.s
	vw.steps.Observe(now, s.Steps())
	if s.DataVersion != vw.dataVersion {
		vw.dataChanged()
	}
	if len(vw.selected) != s.Config.LatentDim {
		vw.selected = nil
		vw.defaultPath()
	}
	if s.Version != vw.viewVersion || f.Full {
		vw.refreshViews(now)
	}
	vw.views(in, now)
}

// dataChanged prepares the views for new data: points or images.
func (vw *View) dataChanged() {
	s := vw.s
	vw.dataVersion = s.DataVersion
	vw.v.prepareRows(s)
	vw.kind = points{}
	if s.Data.Kind == datasets.Image {
		vw.kind = images{}
	}
	vw.kind.prepare(vw)
	vw.v.latentBox = 0
	vw.hover = -1
	if vw.selectedRow >= s.Data.N {
		vw.selectedRow = 0
	}
	vw.defaultPath()
	vw.f.Full = true
}

// Key takes the transport keys (the session's play/pause, one step, reset)
// and a/b, which set an interpolation end at the pointer.
func (vw *View) Key(f *scene.Frame, k string, in ui.Input) bool {
	vw.f = f
	s := vw.s
	switch k {
	case scene.KeySpace:
		s.Toggle()
	case scene.KeyStep:
		s.Step()
	case scene.KeyReset:
		_ = s.Reset()
	case scene.KeyA, scene.KeyB:
		vw.setPathEnd(k, in)
	default:
		return false
	}
	return true
}

// setPathEnd makes the code under the pointer (or the selected one) end A
// or B of the interpolation (key a or b), turning the paths on.
func (vw *View) setPathEnd(k string, in ui.Input) {
	s := vw.s
	z := vw.latentAt(in)
	if z == nil {
		z = vw.selected
	}
	if z == nil {
		return
	}
	if k == scene.KeyA {
		vw.pathA = z
	} else {
		vw.pathB = z
	}
	if vw.interp() == 0 {
		_ = s.SetValue("interp", 1)
	}
	s.Message = fmt.Sprintf("interpolation end %s set", strings.ToUpper(k))
	vw.f.Full = true
}

// Playing reports whether the VAE trains.
func (vw *View) Playing() bool { return vw.s.Playing }

// Status is the top bar's line: step, epoch, ELBO, speed.
func (vw *View) Status(fps float64) []string {
	s := vw.s
	elbo := "—"
	if s.History.Len() > 0 {
		elbo = fmt.Sprintf("%.3f", s.History.Ema)
	}
	return []string{
		fmt.Sprintf("step %d · epoch %d · ELBO %s · %.0f steps/s · %.0f fps", s.Steps(), s.Epoch(), elbo, vw.steps.PerSec, fps),
		fmt.Sprintf("step %d · ELBO %s · %.0f steps/s", s.Steps(), elbo, vw.steps.PerSec),
		fmt.Sprintf("step %d", s.Steps()),
		fmt.Sprint(s.Steps()),
	}
}

// Help is the VAE's help text.
func (vw *View) Help() string { return helpText }

// Tools are the data view's tools (end of section Data) and the two-stage
// prior's second fit (end of section Prior).
func (vw *View) Tools(t scene.Tools, section string) {
	switch section {
	case "Data":
		vw.dataTools(t)
	case "Prior":
		vw.priorTools(t)
	}
}

// SaveButtons: the buttons save the model, as the screen says by default.
func (vw *View) SaveButtons() scene.SaveButtons { return scene.SaveButtons{} }

// SelectLatent selects the code with (x, y) in the shown dimensions (the
// others 0), as a click in the latent view does.
func (vw *View) SelectLatent(x, y float64) {
	z := make([]float64, vw.s.Config.LatentDim)
	dx, dy := vw.s.Projection()
	z[dx] = x
	if dy != dx {
		z[dy] = y
	}
	vw.selected = z
	vw.refreshSelection()
}

// ViewRects are the data and latent plot rectangles (device pixels).
func (vw *View) ViewRects() (data, latent image.Rectangle) {
	return vw.dataVP.Pixels, vw.latentVP.Pixels
}

// Decoded is the selected code decoded into data space, or nil.
func (vw *View) Decoded() *render.Point { return vw.v.decoded }

// refreshViews recomputes the views' data at rates that keep the frame
// smooth: codes and decodes often, densities less often while training and
// at full resolution once paused.
func (vw *View) refreshViews(now time.Time) {
	s, v := vw.s, &vw.v
	playing := vw.Playing()
	vw.codesT.Every = vw.kind.codesEvery()
	if playing && !vw.f.Full && !vw.codesT.Due(now) {
		return
	}
	vw.viewVersion = s.Version
	vw.codesT.Done(now)
	vw.computed++
	v.computeCodes(s)
	v.computeComponents(s)
	vw.kind.compute(vw, playing, now)
	res := 128
	every := time.Duration(0)
	if playing {
		res, every = 56, 250*time.Millisecond
	}
	vw.priorT.Every = every
	if vw.f.Full || vw.priorT.Due(now) && (playing || vw.priorRes != res || vw.priorVersion != s.Version) {
		v.computePrior(s, res)
		v.computeAggregate(s, vw.rng)
		vw.priorT.Done(now)
		vw.priorRes, vw.priorVersion = res, s.Version
		vw.priorComputed++
	}
	if vw.f.Full || vw.activityT.Due(now) || !playing {
		v.computeActivity(s)
		vw.activityT.Done(now)
	}
	vw.markViews()
}

// markViews asks for the latent and data panels to be redrawn.
func (vw *View) markViews() { vw.viewsDirty = true }

// interp is the interpolation mode's index (0: off).
func (vw *View) interp() int { return vw.s.Values.Int("interp") }

// views handles the pointer over the views and draws what is due.
func (vw *View) views(in ui.Input, now time.Time) {
	s := vw.s
	if !vw.f.Busy {
		vw.latentInput(in, now)
		vw.kind.input(vw, in)
	}
	vw.f.Hint("latent", vw.f.Layout.Latent, "Latent space: each dot is a data point's code (encoder mean), coloured by class; the background is the prior density log p(z), the white contours the aggregate posterior. Hover a dot for its posterior ellipse; click to decode a point; drag mixture components.")
	vw.f.Hint("data", vw.f.Layout.Data, "Data space: the training data (faint), their reconstructions (class colours) and fresh samples from the model (orange): z from the prior, x from the decoder.")
	vw.f.Hint("loss", vw.f.Layout.Loss, "The loss over training steps: −ELBO = reconstruction loss + KL. The KL is the price, in nats, of the codes' information about the data.")
	vw.f.Hint("kl", vw.f.Layout.KL, "KL per latent dimension. A dimension with almost no KL carries no information: the posterior has collapsed onto the prior there (an inactive unit).")
	vw.kind.hint(vw)
	vw.f.Hint("flow", vw.f.Layout.Flow, "Flow view: the density and a warped grid after each flow layer. Planar layers fold space along a line; radial layers pull it towards or away from a point. Bottom: log|det J| of each layer (orange expands, blue contracts).")
	vw.kind.draw(vw, now)
	charts := vw.f.Full || vw.lossT.Due(now) && (vw.Playing() || vw.lossVersion != s.History.Len())
	if charts {
		vw.lossT.Done(now)
		vw.lossVersion = s.History.Len()
	}
	vw.drawCharts(charts)
}

// dotsDrawn is which of the views' data a view's last two redraws showed.
type dotsDrawn struct{ last, before int }

// layered draws a view's static part (paint, cached in bg) and its dots
// (dots) over it into the frame, and returns the frame's sub-image there
// for the marks. While the views' data change at every redraw or so
// (training: the codes at 30 Hz, as often as the marker moves), the dots
// are drawn straight into the frame; once two redraws in a row find them
// as they were (paused, with the interpolation marker moving, or the
// pointer hovering), the static part with the dots is cached in withDots
// and the frame gets a copy.
func (vw *View) layered(bg, withDots *scene.Panel, drawn *dotsDrawn, key string, r image.Rectangle, paint, dots func(dst *image.RGBA)) *image.RGBA {
	still := drawn.last == vw.computed && drawn.before == vw.computed
	drawn.before, drawn.last = drawn.last, vw.computed
	if !still {
		dst := vw.f.CachedPanel(bg, key, r, paint)
		dots(dst)
		return dst
	}
	return vw.f.CachedPanel(withDots, fmt.Sprint(key, "|dots of ", vw.computed), r, func(img *image.RGBA) {
		bg.Draw(img, r, vw.f.Theme.Key()+"|"+key, paint) // as CachedPanel keys it
		dots(img)
	})
}

// panel fills a view's frame with its title and returns the plot area.
func (vw *View) panel(r image.Rectangle, title string) (*image.RGBA, image.Rectangle) {
	dst := vw.f.Panel(r, title)
	return dst, vw.plotIn(r)
}

// panelFrame fills a panel and writes its title; it returns the plot area.
func (vw *View) panelFrame(dst *image.RGBA, r image.Rectangle, title string) image.Rectangle {
	vw.f.PanelFrame(dst, r, title)
	return vw.plotIn(r)
}

// plotIn is the plot area of a view's panel r: room for the title above,
// the axis labels left and the caption below.
func (vw *View) plotIn(r image.Rectangle) image.Rectangle {
	return vw.f.Inside(r, 30, 10, 40, 40)
}

const helpText = `Train a variational autoencoder on 2-D points and watch it learn.

space  play / pause        .  one step        r  reset (same seed)
?  this help (esc closes)   a / b  set an interpolation end at the pointer (latent view)

Latent view: dots are codes (encoder means) coloured by class, the background is the prior log p(z), white contours the aggregate posterior. Hover a dot: its posterior ellipse. Click: decode that point (red cross in the data view). With a mixture prior, drag a component's centre or its handles.
Data view: grey data, coloured reconstructions, orange samples from the model. Tools: inspect (click a point), draw, erase.
Controls: settings marked 'changes live' act at the next step; the others start a new model. Hover any control or view for what it does.
Files: drop a checkpoint (.vae) or a CSV of x,y[,label] on the window. Copy link reproduces this run.`

// Components are the mixture prior's components as the latent view draws
// them (in the shown dimensions; none for other priors).
func (vw *View) Components() []render.Component { return vw.v.comps }

// SheetLayout is the VAE's sheet on a phone (scene.Layout.Sheet): an image
// set's bottom view is taller.
func (vw *View) SheetLayout(l scene.Layout, views []string) scene.Layout {
	return l.Sheet(session.IsImageSet(vw.s.Values.Choice("data")), views)
}
