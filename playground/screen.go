package playground

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// Request is something the screen asks the platform to do (files, the
// clipboard): the desktop and the browser do it their own way.
type Request int

const (
	SavePNG Request = iota
	SaveCheckpoint
	CopyLink
	// SaveSafetensors saves the model for PyTorch (Session.SaveSafetensors).
	SaveSafetensors
)

// Tools of the data view.
var tools = []string{"inspect", "draw", "erase"}

// Screen is the playground's whole interface drawn into Frame (and the
// tooltips, open lists and help into Overlay), driven by plain input. It
// redraws only what changed and lists those rectangles in Dirty.
type Screen struct {
	S       *session.Session
	Frame   *image.RGBA
	Overlay *image.RGBA
	// Dirty are the rectangles of Frame redrawn since the platform last
	// took them; OverlayDirty says Overlay changed since. The platform
	// empties Dirty and clears OverlayDirty once it has drawn them: when
	// frames run late Ebitengine runs several Updates before one Draw, and
	// what each of them redrew must reach the screen (clearing them in
	// Update left stale controls and tooltips on a slow page).
	Dirty        []image.Rectangle
	OverlayDirty bool
	Requests     []Request
	// FPS is shown in the top bar (the platform measures it).
	FPS   float64
	Scale float64
	L     Layout

	th  *render.Theme
	ctx *ui.Context
	v   viewData
	rng *rand.Rand

	// What the views last computed from: the session's versions, the
	// prior grid's resolution and how often it was computed.
	viewVersion, dataVersion int
	flowVersion, lossVersion int
	priorVersion, priorRes   int
	priorComputed            int
	// How often the views' parts are recomputed or redrawn.
	codesT, priorT, activityT scene.Throttle
	animT, bottomT, lossT     scene.Throttle
	flowT, topT, dragT        scene.Throttle
	latentPanel, dataPanel    scene.Panel // the views' static parts
	statusKey, overlayKey     scene.Key
	steps                     scene.Rate // training steps per second
	fullRedraw                bool
	controlsDirty             bool
	prevIn                    ui.Input
	scroll, contentH          int
	help                      bool

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

	viewsDirty  bool
	pending     *pendingSet                // a rebuild slider's value, applied on release
	topRects    map[string]image.Rectangle // the top bar's buttons and status text, as last laid out
	decoderMap  bool                       // the flow view shows the decoder map (no flow)
	topCtx      *ui.Context
	queued      []string
	mode        string
	lab         *flowLab   // the flow lab's state (mode "flowlab")
	iv          imageViews // the views of an image set
	padDown     bool
	padLast     render.Point
	controlRect map[string]image.Rectangle
}

// PopupRect is the open dropdown list (empty when none is open).
func (sc *Screen) PopupRect() image.Rectangle { return sc.ctx.PopupRect() }

// ControlRect is where the control of setting key was last laid out
// (empty when hidden or scrolled away).
func (sc *Screen) ControlRect(key string) image.Rectangle { return sc.controlRect[key] }

// QueueKey handles key k at the next Update (hooks and tests).
func (sc *Screen) QueueKey(k string) { sc.queued = append(sc.queued, k) }

// SelectLatent selects the code with (x, y) in the shown dimensions (the
// others 0), as a click in the latent view does.
func (sc *Screen) SelectLatent(x, y float64) {
	z := make([]float64, sc.S.Config.LatentDim)
	dx, dy := sc.S.Projection()
	z[dx] = x
	if dy != dx {
		z[dy] = y
	}
	sc.selected = z
	sc.refreshSelection()
}

// NewScreen lays out a screen of w×h device pixels for session s.
func NewScreen(s *session.Session, w, h int, scale float64) *Screen {
	sc := &Screen{S: s, hover: -1, dragComp: -1, rng: rand.New(rand.NewPCG(7, 7))}
	sc.activityT.Every = time.Second
	sc.animT.Every = 33 * time.Millisecond // the moving interpolation marker: 30 Hz
	sc.bottomT.Every = 100 * time.Millisecond
	sc.lossT.Every = 200 * time.Millisecond
	sc.topT.Every = 100 * time.Millisecond
	sc.dragT.Every = 100 * time.Millisecond
	sc.Resize(w, h, scale)
	return sc
}

// Resize changes the window size or device scale.
func (sc *Screen) Resize(w, h int, scale float64) {
	if scale <= 0 {
		scale = 1
	}
	if sc.Frame != nil && sc.Frame.Bounds().Dx() == w && sc.Frame.Bounds().Dy() == h && sc.Scale == scale {
		return
	}
	sc.Scale = scale
	sc.L = NewLayout(w, h, scale)
	b := sc.L.Window
	sc.Frame = image.NewRGBA(b)
	sc.Overlay = image.NewRGBA(b)
	sc.th = scaledTheme(scale)
	sc.ctx = ui.NewContext(sc.th, scale)
	sc.topCtx = ui.NewContext(sc.th, scale)
	sc.fullRedraw = true
	sc.latentPanel.Reset()
	sc.dataPanel.Reset()
	sc.OverlayDirty = true
}

func scaledTheme(s float64) *render.Theme {
	th := render.DarkTheme()
	th.Small = render.NewFace(11*s, false)
	th.Label = render.NewFace(13*s, false)
	th.Title = render.NewFace(14*s, true)
	return th
}

func (sc *Screen) px(v float64) int { return int(math.Round(v * sc.Scale)) }

// Key names the screen understands (the platform maps its keys to these).
const (
	KeySpace  = "space"
	KeyStep   = "."
	KeyReset  = "r"
	KeyHelp   = "?"
	KeyEscape = "escape"
	KeyA      = "a"
	KeyB      = "b"
)

// Update handles one frame: input, training, views, drawing.
func (sc *Screen) Update(in ui.Input, keys []string, now time.Time) {
	if sc.start.IsZero() {
		sc.start = now
	}
	in.Now = now
	if len(sc.Dirty) > 64 { // nobody took them for a while: all of it
		sc.Dirty = append(sc.Dirty[:0], sc.L.Window)
	}
	if sc.fullRedraw {
		render.FillRect(sc.Frame, sc.Frame.Bounds(), sc.th.Background)
	}
	s := sc.S
	for _, k := range append(sc.queued, keys...) {
		sc.key(k, in)
	}
	sc.queued = sc.queued[:0]
	changed := s.Tick(now)
	sc.steps.Observe(now, s.Steps())
	if s.DataVersion != sc.dataVersion {
		sc.dataVersion = s.DataVersion
		sc.v.prepareRows(s)
		if sc.images() {
			sc.iv.prepare(s.Data, s.Test)
		}
		sc.v.latentBox = 0
		sc.hover = -1
		if sc.selectedRow >= s.Data.N {
			sc.selectedRow = 0
		}
		sc.defaultPath()
		sc.fullRedraw = true
	}
	if len(sc.selected) != s.Config.LatentDim {
		sc.selected = nil
		sc.defaultPath()
	}
	if mode := s.Values.Choice("mode"); mode != sc.mode {
		sc.mode, sc.fullRedraw = mode, true
		render.FillRect(sc.Frame, sc.Frame.Bounds(), sc.th.Background)
	}
	if sc.mode == "flowlab" {
		// The flow lab has the column and the views; the top bar stays.
		sc.controls(in)
		sc.updateLab(in, keys, now)
	} else {
		if changed || s.Version != sc.viewVersion || sc.fullRedraw {
			sc.refreshViews(now)
		}
		sc.controls(in)
		sc.views(in, now)
	}
	sc.drawTop(in, now)
	sc.drawStatus()
	sc.overlay(in)
	sc.prevIn = in
	if sc.fullRedraw {
		sc.Dirty = append(sc.Dirty[:0], sc.L.Window)
		sc.fullRedraw = false
	}
}

func (sc *Screen) playing() bool { return sc.S.Playing }

// refreshViews recomputes the views' data at rates that keep the frame
// smooth: codes and decodes often, densities less often while training and
// at full resolution once paused.
func (sc *Screen) refreshViews(now time.Time) {
	s, v := sc.S, &sc.v
	playing := sc.playing()
	codesEvery := 33 * time.Millisecond
	if sc.images() {
		codesEvery = 150 * time.Millisecond // image views encode and decode hundreds of images
	}
	sc.codesT.Every = codesEvery
	if playing && !sc.fullRedraw && !sc.codesT.Due(now) {
		return
	}
	sc.viewVersion = s.Version
	sc.codesT.Done(now)
	v.computeCodes(s)
	v.computeComponents(s)
	var sel *[]float64
	if sc.selected != nil {
		sel = &sc.selected
	}
	var a, b []float64
	if sc.interp() > 0 {
		a, b = sc.pathA, sc.pathB
	}
	if sc.images() {
		gridEvery := time.Duration(0)
		if playing {
			gridEvery = 500 * time.Millisecond
		}
		sc.iv.compute(s, v, sc.selected, gridEvery, now, sc.rng)
	} else {
		v.computeDataSpace(s, sel, a, b, sc.rng)
	}
	res := 128
	every := time.Duration(0)
	if playing {
		res, every = 56, 250*time.Millisecond
	}
	sc.priorT.Every = every
	if sc.fullRedraw || sc.priorT.Due(now) && (playing || sc.priorRes != res || sc.priorVersion != s.Version) {
		v.computePrior(s, res)
		v.computeAggregate(s, sc.rng)
		sc.priorT.Done(now)
		sc.priorRes, sc.priorVersion = res, s.Version
		sc.priorComputed++
	}
	if sc.fullRedraw || sc.activityT.Due(now) || !playing {
		v.computeActivity(s)
		sc.activityT.Done(now)
	}
	sc.markViews()
}

// markViews asks for the latent and data panels to be redrawn.
func (sc *Screen) markViews() { sc.viewsDirty = true }

func (sc *Screen) key(k string, in ui.Input) {
	s := sc.S
	switch k {
	case KeySpace: // the lab's transport in the lab mode, the VAE's otherwise
		sc.transportToggle()
	case KeyStep:
		sc.transportStep()
	case KeyReset:
		sc.transportReset()
	case KeyHelp:
		sc.help = !sc.help
		sc.OverlayDirty = true
	case KeyEscape:
		if sc.help {
			sc.help = false
			sc.OverlayDirty = true
		}
		if sc.ctx.Open() { // escape closes an open list too (it stayed open)
			sc.ctx.Close()
			sc.controlsDirty, sc.OverlayDirty = true, true
		}
	case KeyA, KeyB:
		z := sc.latentAt(in)
		if z == nil {
			z = sc.selected
		}
		if z == nil {
			return
		}
		if k == KeyA {
			sc.pathA = z
		} else {
			sc.pathB = z
		}
		if sc.interp() == 0 {
			_ = s.SetValue("interp", 1)
		}
		s.Message = fmt.Sprintf("interpolation end %s set", strings.ToUpper(k))
		sc.fullRedraw = true
	}
}

// latentAt is the full latent code under the pointer in the latent view
// (shown dimensions from the pointer, the others from the selected code or
// 0), or nil when the pointer is elsewhere.
func (sc *Screen) latentAt(in ui.Input) []float64 {
	if !in.In(sc.latentVP.Pixels) {
		return nil
	}
	p := sc.latentVP.ToData(float64(in.X)+0.5, float64(in.Y)+0.5)
	z := make([]float64, sc.S.Config.LatentDim)
	if sc.selected != nil {
		copy(z, sc.selected)
	}
	z[sc.v.dimX] = p.X
	if sc.v.dimY != sc.v.dimX {
		z[sc.v.dimY] = p.Y
	}
	return z
}

// defaultPath sets the interpolation ends to the codes of two data rows
// of different classes (or far apart).
func (sc *Screen) defaultPath() {
	s := sc.S
	if s.Data == nil || s.Data.N == 0 {
		return
	}
	i, j := 0, s.Data.N-1
	for k := 0; k < s.Data.N; k++ {
		if s.Data.Label(k) != s.Data.Label(0) {
			j = k
			break
		}
	}
	codeOf := func(r int) []float64 {
		x := mat.NewDense(1, s.Data.D, append([]float64(nil), s.X.RawRowView(r)...))
		var mu mat.Dense
		s.Model.Encode(&mu, nil, x)
		return mu.RawRowView(0)
	}
	sc.pathA, sc.pathB = codeOf(i), codeOf(j)
}

// rows of a setting in the controls column.
func (sc *Screen) rowH() int { return sc.px(30) }

// controls runs and, when something changed, draws the controls column.
func (sc *Screen) controls(in ui.Input) {
	r := sc.L.Controls
	c := sc.ctx
	inside := in.In(r) || sc.ctx.Open() || sc.ctx.Busy()
	// Redraw on any pointer change over the column (hover highlights) or
	// after a value changed elsewhere.
	moved := in.X != sc.prevIn.X || in.Y != sc.prevIn.Y || in.Down != sc.prevIn.Down
	if in.In(r) && in.Wheel != 0 && !c.Open() {
		sc.scroll = max(0, min(sc.scroll-int(in.Wheel*float64(sc.px(40))), max(0, sc.contentH-r.Dy())))
		sc.controlsDirty = true
	}
	draw := sc.fullRedraw || sc.controlsDirty || (inside && moved) || (prevInside(sc.prevIn, r) && !in.In(r))
	var dst *image.RGBA
	if draw {
		dst = sc.Frame.SubImage(r).(*image.RGBA)
		render.FillRect(dst, r, sc.th.Panel)
	}
	cin := in
	cin.Wheel = 0
	if !inside && !c.Busy() {
		cin.Pressed = false
	}
	c.Begin(cin, dst)
	pad := sc.px(12)
	x0, x1 := r.Min.X+pad, r.Max.X-pad
	y := r.Min.Y + sc.px(6) - sc.scroll
	rh := sc.rowH()
	row := func(h int) image.Rectangle {
		rr := image.Rect(x0, y, x1, y+h)
		y += h + sc.px(4)
		return rr
	}
	section := ""
	s := sc.S
	for _, st := range s.Values.Visible() {
		if st.Section != section {
			if section == "Data" {
				sc.dataTools(c, row, rh)
			}
			if section == "Prior" {
				sc.priorTools(c, row, rh)
			}
			section = st.Section
			y += sc.px(6)
			c.Section(row(sc.px(24)), st.Section)
		}
		cr := row(rh)
		if sc.controlRect == nil {
			sc.controlRect = map[string]image.Rectangle{}
		}
		sc.controlRect[st.Key] = cr.Intersect(r)
		sc.control(c, st, cr)
	}
	sc.contentH = y + sc.scroll - r.Min.Y + sc.px(20)
	if draw {
		sc.Dirty = append(sc.Dirty, r)
		sc.controlsDirty = false
	}
	if c.Changed {
		sc.controlsDirty = true
	}
}

func prevInside(in ui.Input, r image.Rectangle) bool { return in.In(r) }

// control declares the widget of one setting and applies a change.
func (sc *Screen) control(c *ui.Context, st *session.Setting, r image.Rectangle) {
	s := sc.S
	v := s.Values.Get(st.Key)
	help := st.Help
	switch st.Effect {
	case session.Live:
		help += " (changes live)"
	case session.Rebuild:
		help += " (starts a new model)"
	}
	apply := func(x float64) {
		if err := s.SetValue(st.Key, x); err != nil {
			s.Message = err.Error()
		}
		sc.controlsDirty = true
	}
	switch st.Kind {
	case session.Choice:
		i := int(v)
		if c.Dropdown(st.Key, r, st.Label, st.Choices, &i, help) {
			apply(float64(i))
		}
	case session.Bool:
		on := v != 0
		if c.Toggle(st.Key, r, st.Label, &on, help) {
			apply(map[bool]float64{false: 0, true: 1}[on])
		}
	case session.Int:
		if st.Max-st.Min <= 64 && !st.LogScale {
			i := int(v)
			if c.Stepper(st.Key, r, st.Label, &i, int(st.Min), int(st.Max), help) {
				apply(float64(i))
			}
			return
		}
		fallthrough
	default:
		x := v
		if p := sc.pending; p != nil && p.key == st.Key {
			x = p.value // the drag's value, not yet applied
		}
		spec := ui.SliderSpec{Min: st.Min, Max: st.Max, Log: st.LogScale, Integer: st.Kind == session.Int, Format: st.Format}
		if st.LogScale && st.Min <= 0 {
			spec.Log = false
		}
		// Rebuilding on every pixel of a drag would start dozens of models:
		// rebuild settings apply when the drag ends.
		if c.Slider(st.Key, r.Add(image.Pt(0, 0)), st.Label, &x, spec, help) {
			if st.Effect == session.Rebuild {
				// Shown at once, applied on release: the settings (and the
				// link) change only if the rebuild succeeds.
				sc.pending = &pendingSet{key: st.Key, value: x}
			} else {
				apply(x)
			}
		}
	}
}

type pendingSet struct {
	key   string
	value float64
}

// dataTools are the data view's tools (draw, erase, class) in the Data
// section.
func (sc *Screen) dataTools(c *ui.Context, row func(int) image.Rectangle, rh int) {
	if c.Dropdown("tool", row(rh), "data view tool", tools, &sc.tool,
		"inspect: click a point to select its code. draw: click or drag in the data view to add points of the chosen class. erase: drag to remove drawn points.") {
		if sc.tool > 0 && sc.S.Values.Choice("data") != session.DrawnSet {
			sc.S.Message = "drawing: points you add form the 'drawn' dataset"
		}
	}
	if sc.tool == 1 {
		// Shown from 1, as the legend names the classes ("class 1" is 0).
		k := sc.class + 1
		cr := row(rh)
		sc.controlRect["class"] = cr.Intersect(sc.L.Controls)
		if c.Stepper("class", cr, "draw class", &k, 1, 10, "The class (colour) of the points you draw.") {
			sc.class = k - 1
		}
	}
	if sc.S.Drawn.Len() > 0 && c.Button("clear", row(rh), fmt.Sprintf("clear drawing (%d points)", sc.S.Drawn.Len()), "Remove every drawn point (the model keeps its last data until you draw again).") {
		sc.S.ClearDrawing()
		sc.controlsDirty = true
	}
}

// className is how the controls name a drawn class: as the legend does
// (the canvas names label 0 "class 1"; the stepper said 0).
func className(k int) string { return fmt.Sprintf("class %d", k+1) }

// images reports whether the session trains on an image set.
func (sc *Screen) images() bool { return sc.S.Data != nil && sc.S.Data.Kind == datasets.Image }

// priorTools: the two-stage prior's second fit.
func (sc *Screen) priorTools(c *ui.Context, row func(int) image.Rectangle, rh int) {
	s := sc.S
	if s.Config.Prior.Kind != "two-stage" {
		return
	}
	label := "fit the second stage"
	if st := s.Stage2; st != nil && !st.Ready() {
		label = fmt.Sprintf("fitting: %d / %d", st.Steps, st.Target)
		sc.controlsDirty = true // the count moves
	} else if st.Ready() {
		label = fmt.Sprintf("refit (fitted at step %d)", st.AtStep)
	}
	if c.Button("stage2", row(rh), label, "Two-stage VAE: once stage one has trained, fit a second small VAE to its codes. Its density then replaces N(0, I) in the latent view and generates the samples: it covers the codes where N(0, I) does not.") {
		if err := s.FitSecondStage(); err != nil {
			s.Message = err.Error()
		}
		sc.controlsDirty = true
	}
}

// interp is the interpolation mode's index (0: off).
func (sc *Screen) interp() int { return sc.S.Values.Int("interp") }

// views handles the pointer over the data and latent views and draws them.
func (sc *Screen) views(in ui.Input, now time.Time) {
	s := sc.S
	if sc.pending != nil && !in.Down {
		p := sc.pending
		sc.pending = nil
		if err := s.SetValue(p.key, p.value); err != nil {
			s.Message = err.Error()
		}
		sc.controlsDirty = true
	}
	busy := sc.ctx.Busy() || sc.help
	if !busy {
		sc.latentInput(in, now)
		if sc.images() {
			sc.imageInput(in)
		} else {
			sc.dataInput(in)
		}
	}
	sc.ctx.Hint("latent", sc.L.Latent, "Latent space: each dot is a data point's code (encoder mean), coloured by class; the background is the prior density log p(z), the white contours the aggregate posterior. Hover a dot for its posterior ellipse; click to decode a point; drag mixture components.")
	sc.ctx.Hint("data", sc.L.Data, "Data space: the training data (faint), their reconstructions (class colours) and fresh samples from the model (orange): z from the prior, x from the decoder.")
	sc.ctx.Hint("loss", sc.L.Loss, "The loss over training steps: −ELBO = reconstruction loss + KL. The KL is the price, in nats, of the codes' information about the data.")
	sc.ctx.Hint("kl", sc.L.KL, "KL per latent dimension. A dimension with almost no KL carries no information: the posterior has collapsed onto the prior there (an inactive unit).")
	if sc.images() {
		sc.ctx.Hint("flow", sc.L.Flow, "Left: the decoder's images over the latent plane (2-D latent) or one row per latent dimension swept over ±3. Middle: draw an image — its posterior (red ellipse in the latent view) and reconstruction follow as you draw. Right: the decoded paths between two test images, straight and along a great circle.")
	}
	if sc.decoderMap { // the view's hint says what the view shows
		sc.ctx.Hint("flow", sc.L.Flow, "Decoder map: this model has no flow, so the view shows the latent view's grid lines decoded into data space. Choose prior → flow or a posterior flow to see a flow's layers here.")
	}
	sc.ctx.Hint("flow", sc.L.Flow, "Flow view: the density and a warped grid after each flow layer. Planar layers fold space along a line; radial layers pull it towards or away from a point. Bottom: log|det J| of each layer (orange expands, blue contracts).")
	// The moving interpolation marker redraws the views at 30 Hz.
	animating := sc.interp() > 0 && sc.pathA != nil && sc.pathB != nil && sc.animT.Due(now)
	if sc.images() {
		// Images: the latent view, the inputs and samples, and below them
		// the manifold, the pad and the interpolation strips (whose moving
		// frame redraws them ten times a second).
		if sc.viewsDirty || sc.fullRedraw {
			sc.drawLatent(now)
			sc.drawImageData()
		}
		if sc.viewsDirty || sc.fullRedraw || sc.bottomT.Due(now) {
			sc.drawImageBottom(now)
			sc.bottomT.Done(now)
		}
		sc.viewsDirty = false
	} else if sc.viewsDirty || sc.fullRedraw || animating {
		sc.animT.Done(now)
		sc.drawLatent(now)
		sc.drawData(now)
		sc.viewsDirty = false
	}
	if sc.fullRedraw || sc.lossT.Due(now) && (sc.playing() || sc.lossVersion != s.History.Len()) {
		sc.drawCharts()
		sc.lossT.Done(now)
		sc.lossVersion = s.History.Len()
	}
	sc.flowT.Every = 0
	if sc.playing() {
		sc.flowT.Every = 500 * time.Millisecond
	}
	if !sc.images() && (sc.fullRedraw || s.Version != sc.flowVersion && sc.flowT.Due(now)) {
		sc.drawFlow()
		sc.flowT.Done(now)
		sc.flowVersion = s.Version
	}
}

// latentInput: hover, click to decode, mixture drags.
func (sc *Screen) latentInput(in ui.Input, now time.Time) {
	s, vp := sc.S, sc.latentVP
	if vp.Pixels.Empty() {
		return
	}
	inside := in.In(vp.Pixels)
	px, py := float64(in.X)+0.5, float64(in.Y)+0.5
	if in.Pressed && inside {
		sc.pressAt = image.Pt(in.X, in.Y)
		sc.dragComp, sc.dragAxis = -1, -1
		if len(sc.v.comps) > 0 {
			if k := render.HitHandle(vp, sc.v.comps, px, py); k >= 0 {
				sc.dragComp, sc.dragAxis = k, -1
			} else if k, ax := render.HitCovHandle(vp, sc.v.comps, px, py); k >= 0 {
				sc.dragComp, sc.dragAxis = k, ax
			}
		}
	}
	if sc.dragComp >= 0 && sc.dragComp < len(sc.v.comps) {
		c := &sc.v.comps[sc.dragComp]
		p := vp.ToData(px, py)
		if in.Down {
			if sc.dragAxis < 0 {
				c.Mean = p
			} else {
				c.Cov = render.DragCovHandle(*c, sc.dragAxis, p)
			}
			sc.markViews()
			if sc.dragT.Due(now) {
				sc.applyComponent(*c)
				sc.dragT.Done(now)
			}
		}
		if in.Released {
			sc.applyComponent(*c)
			sc.dragComp = -1
			s.Message = "prior component moved: training goes on from the moved prior"
		}
		return
	}
	// Hover: the nearest code within reach.
	old := sc.hover
	sc.hover = -1
	if inside {
		best := math.Pow(float64(sc.px(8)), 2)
		for i, p := range sc.v.codes {
			x, y := vp.ToPixel(p)
			if d := (x-px)*(x-px) + (y-py)*(y-py); d < best {
				best, sc.hover = d, i
			}
		}
	}
	if sc.hover != old {
		sc.markViews()
	}
	if in.Released && inside && absInt(in.X-sc.pressAt.X)+absInt(in.Y-sc.pressAt.Y) < sc.px(5) {
		if sc.hover >= 0 {
			sc.selectRow(sc.v.rows[sc.hover])
		} else {
			sc.selected = sc.latentAt(in)
		}
		sc.refreshSelection()
	}
}

func (sc *Screen) selectRow(r int) {
	sc.selectedRow = r
	mu := make([]float64, sc.S.Config.LatentDim)
	for i, vr := range sc.v.rows {
		if vr == r {
			copy(mu, sc.v.mu.RawRowView(i))
		}
	}
	sc.selected = mu
}

func (sc *Screen) refreshSelection() {
	sc.S.Version++ // recompute the decodes now
	sc.flowVersion = -1
}

func absInt(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// applyComponent writes a dragged component back into the prior (the
// shown dimensions; the others keep their values).
func (sc *Screen) applyComponent(c render.Component) {
	s := sc.S
	mix, ok := s.Model.Prior.(*core.Mixture)
	if !ok || sc.dragComp >= mix.K() {
		return
	}
	full := mix.Components()[sc.dragComp]
	mean := append([]float64(nil), full.Mean...)
	vars := append([]float64(nil), full.Var...)
	mean[sc.v.dimX], mean[sc.v.dimY] = c.Mean.X, c.Mean.Y
	vars[sc.v.dimX], vars[sc.v.dimY] = math.Max(1e-4, c.Cov.XX), math.Max(1e-4, c.Cov.YY)
	if err := s.SetMixtureComponent(sc.dragComp, mean, vars); err != nil {
		s.Message = err.Error()
	}
}

// dataInput: select a data point, draw, erase.
func (sc *Screen) dataInput(in ui.Input) {
	s, vp := sc.S, sc.dataVP
	if vp.Pixels.Empty() || !in.In(vp.Pixels) {
		return
	}
	p := vp.ToData(float64(in.X)+0.5, float64(in.Y)+0.5)
	switch tools[sc.tool] {
	case "inspect":
		if in.Pressed {
			best, row := math.Pow(float64(sc.px(8)), 2), -1
			for i, q := range sc.v.dataPts {
				x, y := vp.ToPixel(q)
				if d := (x-float64(in.X))*(x-float64(in.X)) + (y-float64(in.Y))*(y-float64(in.Y)); d < best {
					best, row = d, sc.v.rows[i]
				}
			}
			if row >= 0 {
				sc.selectRow(row)
				sc.refreshSelection()
				s.Message = fmt.Sprintf("selected data point %d", row)
			}
		}
	case "draw":
		step := sc.v.dataBox.Dx() / 60
		if in.Pressed || in.Down && math.Hypot(p.X-sc.lastDrawPt.X, p.Y-sc.lastDrawPt.Y) > step {
			if err := s.AddPoint(p.X, p.Y, sc.class); err != nil {
				s.Message = err.Error()
			}
			sc.lastDrawPt = p
			sc.controlsDirty = true
		}
	case "erase":
		if in.Down {
			if n := s.ErasePoints(p.X, p.Y, sc.v.dataBox.Dx()/25); n > 0 {
				sc.controlsDirty = true
			}
		}
	}
}

// panel fills a view's frame with its title and returns the plot area.
func (sc *Screen) panel(r image.Rectangle, title string) (*image.RGBA, image.Rectangle) {
	dst := sc.Frame.SubImage(r).(*image.RGBA)
	render.FillRect(dst, r, sc.th.Panel)
	title = scene.FitText(sc.th.Title, r.Dx()-sc.px(20), title)
	render.DrawText(dst, sc.th.Title, r.Min.X+sc.px(10), r.Min.Y+sc.px(14), title, sc.th.Text, render.AlignLeft, render.AlignMiddle)
	sc.Dirty = append(sc.Dirty, r)
	return dst, image.Rect(r.Min.X+sc.px(40), r.Min.Y+sc.px(30), r.Max.X-sc.px(10), r.Max.Y-sc.px(40))
}

// pathPoint is the moving marker's place on the path (0…1), a 4 s loop
// that goes there and back.
func (sc *Screen) pathT(now time.Time) float64 {
	t := math.Mod(now.Sub(sc.start).Seconds()/4, 1)
	return 1 - math.Abs(1-2*t)
}

// cachedPanel draws panel p's static part with paint when key changed (see
// scene.Panel) and marks it dirty.
func (sc *Screen) cachedPanel(p *scene.Panel, key string, r image.Rectangle, paint func(dst *image.RGBA)) *image.RGBA {
	dst, dirty := p.Draw(sc.Frame, r, key, paint)
	sc.Dirty = append(sc.Dirty, dirty)
	return dst
}

// panelFrame fills a panel and writes its title; it returns the plot area.
func (sc *Screen) panelFrame(dst *image.RGBA, r image.Rectangle, title string) image.Rectangle {
	render.FillRect(dst, r, sc.th.Panel)
	title = scene.FitText(sc.th.Title, r.Dx()-sc.px(20), title)
	render.DrawText(dst, sc.th.Title, r.Min.X+sc.px(10), r.Min.Y+sc.px(14), title, sc.th.Text, render.AlignLeft, render.AlignMiddle)
	return image.Rect(r.Min.X+sc.px(40), r.Min.Y+sc.px(30), r.Max.X-sc.px(10), r.Max.Y-sc.px(40))
}

func (sc *Screen) drawLatent(now time.Time) {
	s, v, th := sc.S, &sc.v, sc.th
	title := "Latent space"
	if s.Config.LatentDim > 2 {
		title = fmt.Sprintf("Latent space: z%d, z%d (other dims 0 in the density)", v.dimX, v.dimY)
	}
	r := sc.L.Latent
	if s.Config.LatentDim > 2 {
		title = scene.FitText(sc.th.Title, r.Dx()-sc.px(20), title, fmt.Sprintf("Latent space: z%d, z%d (others at 0)", v.dimX, v.dimY), fmt.Sprintf("Latent: z%d, z%d", v.dimX, v.dimY))
	}
	plot := scene.SquareIn(sc.panelFrame(image.NewRGBA(image.Rectangle{}), r, title))
	vp := render.FitViewport(v.latentRect(), plot)
	sc.latentVP = vp
	// The density layer changes at its own, slower rate (bgVersion).
	key := fmt.Sprint(title, vp, sc.priorVersion, sc.priorComputed, len(s.Data.LabelNames))
	dst := sc.cachedPanel(&sc.latentPanel, key, r, func(bg *image.RGBA) {
		sc.panelFrame(bg, r, title)
		if len(v.prior.Values) > 0 {
			render.Heatmap(bg, vp, v.prior, render.Viridis, v.priorRange, th.NoData)
			if len(v.aggregate.Values) > 0 {
				peak := math.Inf(-1)
				for _, x := range v.aggregate.Values {
					peak = math.Max(peak, x)
				}
				render.Contours(bg, vp, v.aggregate, render.GaussianLevels(peak, 3), render.WithAlpha(th.Overlay, 0.8), 1.2*sc.Scale)
			}
		}
		render.DrawAxes(bg, vp, th)
		caption := scene.FitText(th.Small, plot.Max.X-r.Min.X-sc.px(10), "background: log p(z) · contours: aggregate posterior", "log p(z) · contours: aggregate posterior", "log p(z) · contours: q(z)")
		render.DrawText(bg, th.Small, plot.Max.X, r.Max.Y-sc.px(6), caption, th.MutedText, render.AlignRight, render.AlignBottom)
	})
	render.Scatter(dst, vp, v.codes, render.ClassColors(v.classes, th.Palette, 0.8), 2.2*sc.Scale)
	if len(v.comps) > 0 {
		render.MixtureComponents(dst, vp, v.comps, sc.dragComp, th)
	}
	if sc.hover >= 0 && sc.hover < len(v.codes) {
		render.PosteriorEllipse(dst, vp, v.codes[sc.hover], v.sigmas[sc.hover], th.Overlay)
	}
	if sc.selected != nil {
		sc.marker(dst, vp, render.Point{X: sc.selected[v.dimX], Y: sc.selected[v.dimY]}, th.Selection)
	}
	if sc.images() && sc.iv.padActive {
		// The drawing's posterior, moving as it is drawn.
		render.PosteriorEllipse(dst, vp, sc.iv.padMu, sc.iv.padSigma, th.Selection)
	}
	if !sc.images() && sc.interp() > 0 && sc.pathA != nil && sc.pathB != nil {
		t := sc.pathT(now)
		for _, sph := range sc.pathModes() {
			codes := render.InterpolationCodes(sc.pathA, sc.pathB, pathSteps, sph)
			line := make([]render.Point, len(codes))
			for i, c := range codes {
				line[i] = render.Point{X: c[v.dimX], Y: c[v.dimY]}
			}
			render.Polylines(dst, vp, [][]render.Point{line}, pathColor(th, sph), 1.5*sc.Scale)
			z := make([]float64, len(sc.pathA))
			if sph {
				render.Slerp(z, sc.pathA, sc.pathB, t)
			} else {
				render.Lerp(z, sc.pathA, sc.pathB, t)
			}
			sc.marker(dst, vp, render.Point{X: z[v.dimX], Y: z[v.dimY]}, pathColor(th, sph))
		}
	}
	render.ClassLegend(dst, plot, s.Data.LabelNames, th.Palette, th)
}

func (sc *Screen) pathModes() []bool {
	switch session.InterpModes[sc.interp()] {
	case "linear":
		return []bool{false}
	case "spherical":
		return []bool{true}
	case "both":
		return []bool{false, true}
	}
	return nil
}

func pathColor(th *render.Theme, spherical bool) color.RGBA {
	if spherical {
		return th.PathSpherical
	}
	return th.PathLinear
}

// marker draws a ringed cross at p.
func (sc *Screen) marker(dst *image.RGBA, vp render.Viewport, p render.Point, c color.RGBA) {
	x, y := vp.ToPixel(p)
	r := 6 * sc.Scale
	render.Polylines(dst, vp, [][]render.Point{
		{vp.ToData(x-r, y), vp.ToData(x+r, y)},
		{vp.ToData(x, y-r), vp.ToData(x, y+r)},
	}, c, 2*sc.Scale)
	sx, sy := vp.Scale()
	render.DrawEllipse(dst, vp, p, render.DiagCov(r/math.Abs(sx), r/math.Abs(sy)), 1, c, 1.5*sc.Scale, color.RGBA{})
}

func (sc *Screen) drawData(now time.Time) {
	s, v, th := sc.S, &sc.v, sc.th
	title := "Data space"
	if tools[sc.tool] != "inspect" {
		title += " — " + tools[sc.tool] + " (click or drag)"
	}
	r := sc.L.Data
	plot := scene.SquareIn(sc.panelFrame(image.NewRGBA(image.Rectangle{}), r, title))
	vp := render.FitViewport(v.dataBox, plot)
	sc.dataVP = vp
	// The legend in as many words as the panel holds.
	legends := []string{"grey: data · colours: reconstructions · orange: samples", "grey: data · colours: recon. · orange: samples", "data · recon. · samples"}
	if s.Config.Bayes.Decoder {
		legends = []string{"grey: data · colours: reconstructions · orange: samples · white: decoder draws", "grey: data · colours: recon. · orange: samples · white: draws", "data · recon. · samples · draws"}
	}
	legend := scene.FitText(th.Small, plot.Max.X-r.Min.X-sc.px(10), legends...)
	key := fmt.Sprint(title, vp, sc.dataVersion, legend)
	dst := sc.cachedPanel(&sc.dataPanel, key, r, func(bg *image.RGBA) {
		sc.panelFrame(bg, r, title)
		render.FillRect(bg, plot, th.Background)
		render.DrawAxes(bg, vp, th)
		render.Scatter(bg, vp, v.dataPts, []color.RGBA{render.WithAlpha(th.MutedText, 0.35)}, 2.4*sc.Scale)
		render.DrawText(bg, th.Small, plot.Max.X, r.Max.Y-sc.px(6), legend, th.MutedText, render.AlignRight, render.AlignBottom)
	})
	render.Scatter(dst, vp, v.samples, []color.RGBA{render.WithAlpha(th.Sample, 0.55)}, 1.8*sc.Scale)
	render.Scatter(dst, vp, v.recon, render.ClassColors(v.classes, th.Palette, 0.7), 1.6*sc.Scale)
	if len(v.cloud) > 0 {
		render.Scatter(dst, vp, v.cloud, []color.RGBA{render.WithAlpha(th.Overlay, 0.5)}, 1.6*sc.Scale)
	}
	if v.decoded != nil {
		sc.marker(dst, vp, *v.decoded, th.Selection)
	}
	if sc.interp() > 0 && len(v.pathLin) > 0 {
		t := sc.pathT(now)
		for _, sph := range sc.pathModes() {
			path := v.pathLin
			if sph {
				path = v.pathSph
			}
			render.Polylines(dst, vp, [][]render.Point{path}, pathColor(th, sph), 1.5*sc.Scale)
			f := t * float64(len(path)-1)
			i := min(len(path)-2, int(f))
			p := render.Lerp(nil, []float64{path[i].X, path[i].Y}, []float64{path[i+1].X, path[i+1].Y}, f-float64(i))
			sc.marker(dst, vp, render.Point{X: p[0], Y: p[1]}, pathColor(th, sph))
		}
	}
	if s.Values.Choice("data") == session.DrawnSet || tools[sc.tool] == "draw" {
		render.DrawText(dst, th.Small, plot.Min.X+sc.px(6), plot.Max.Y-sc.px(6), fmt.Sprintf("%d drawn points, %s", s.Drawn.Len(), className(sc.class)), th.ClassColor(sc.class), render.AlignLeft, render.AlignBottom)
	}
}

// klTitle is the KL panel's title: the active units once training has
// begun (before, an untrained encoder's spread counted every unit active
// beside "train a step to see the KL").
func (sc *Screen) klTitle() string {
	if sc.S.History.Len() == 0 {
		return "KL per latent dim"
	}
	return fmt.Sprintf("KL per latent dim · active units %d/%d", sc.v.active, len(sc.v.activity))
}

func (sc *Screen) drawCharts() {
	s, th := sc.S, sc.th
	h := &s.History
	dst, _ := sc.panel(sc.L.Loss, "Loss (nats per point)")
	r := sc.L.Loss
	plot := image.Rect(r.Min.X+sc.px(4), r.Min.Y+sc.px(26), r.Max.X-sc.px(6), r.Max.Y-sc.px(4))
	if len(h.Step) > 1 {
		render.LineChart(dst, plot, []render.Series{
			{Name: "−ELBO", X: h.Step, Y: h.Loss, Width: 2 * sc.Scale},
			{Name: "reconstruction", X: h.Step, Y: h.Recon, Width: 1.2 * sc.Scale},
			{Name: "KL", X: h.Step, Y: h.KL, Width: 1.2 * sc.Scale},
		}, render.ChartOptions{XLabel: "step"}, th)
	} else {
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "press Play (space) to train", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
	v := &sc.v
	kl := h.Last.KLPerDim
	dst, _ = sc.panel(sc.L.KL, sc.klTitle())
	r = sc.L.KL
	plot = image.Rect(r.Min.X+sc.px(6), r.Min.Y+sc.px(30), r.Max.X-sc.px(6), r.Max.Y-sc.px(22))
	switch {
	case len(kl) > 0:
		drawBars(dst, plot, kl, 0.05, th, sc.Scale)
		caption := scene.FitText(th.Small, r.Dx()-sc.px(20), "nats per dim on the last batch; dashed: 0.05 (below: collapsed)", "nats, last batch; below the dashed 0.05: collapsed", "below 0.05 nats: collapsed")
		render.DrawText(dst, th.Small, r.Min.X+sc.px(10), r.Max.Y-sc.px(6), caption, th.MutedText, render.AlignLeft, render.AlignBottom)
	case s.Model.KLMode() == core.KLAnalytic:
		render.DrawText(dst, th.Label, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, "train a step to see the KL per dimension", th.MutedText, render.AlignCenter, render.AlignMiddle)
	case len(v.activity) > 0:
		drawBars(dst, plot, v.activity, core.ActiveUnitThreshold, th, sc.Scale)
		caption := scene.FitText(th.Small, r.Dx()-sc.px(20), "Monte Carlo KL has no per-dim split: bars show Var_x E[z_j] (active > 0.01)", "bars: Var_x E[z_j] (Monte Carlo KL; active > 0.01)", "Var_x E[z_j]; active > 0.01")
		render.DrawText(dst, th.Small, r.Min.X+sc.px(10), r.Max.Y-sc.px(6), caption, th.MutedText, render.AlignLeft, render.AlignBottom)
	}
}

func (sc *Screen) drawFlow() {
	s, th := sc.S, sc.th
	res := 96
	if sc.playing() {
		res = 48
	}
	stages, box, title := flowStages(s, sc.selectedRow, res, sc.rng)
	sc.decoderMap = len(stages) == 0
	if len(stages) == 0 {
		title = "Decoder map (no flow in this model)"
	} else {
		title = "Flow view — " + title
	}
	dst, _ := sc.panel(sc.L.Flow, title)
	r := sc.L.Flow
	if len(stages) == 0 {
		// No flow to show: the decoder's map instead — the latent view's
		// grid pushed through the decoder into data space.
		plot := scene.SquareIn(image.Rect(r.Min.X+sc.px(40), r.Min.Y+sc.px(30), r.Min.X+r.Dx()/2, r.Max.Y-sc.px(24)))
		vp := render.FitViewport(sc.v.dataBox, plot)
		render.FillRect(dst, plot, th.Background)
		render.DrawAxes(dst, vp, th)
		render.Scatter(dst, vp, sc.v.dataPts, []color.RGBA{render.WithAlpha(th.MutedText, 0.25)}, 1.6*sc.Scale)
		render.Polylines(dst, vp, sc.decoderGrid(), render.WithAlpha(th.Palette[3], 0.9), 1.2*sc.Scale)
		text := "Decoder map: the latent view's grid lines, decoded into data space. Where lines crowd, the decoder squeezes much of the latent plane into little data space.\n\n" + flowHelp
		render.DrawParagraph(dst, th.Label, image.Rect(r.Min.X+r.Dx()/2+sc.px(16), r.Min.Y+sc.px(36), r.Max.X-sc.px(10), r.Max.Y), text, th.MutedText)
		return
	}
	render.FlowView(dst, image.Rect(r.Min.X+sc.px(4), r.Min.Y+sc.px(26), r.Max.X-sc.px(4), r.Max.Y-sc.px(4)), box, stages, th)
}

// decoderGrid decodes the latent view's grid lines (other dimensions 0).
func (sc *Screen) decoderGrid() [][]render.Point {
	s, v := sc.S, &sc.v
	return mapLines(render.GridLines(v.latentRect(), 11, 40), func(pts []render.Point) *mat.Dense {
		var z, d mat.Dense
		planeRows(&z, pts, s.Config.LatentDim, v.dimX, v.dimY)
		s.Model.Decode(&d, &z)
		return &d
	})
}

const flowHelp = "A normalizing flow bends a simple density into a complex one through invertible layers, keeping track of how each layer stretches space (its log-determinant). " +
	"Choose prior → flow to learn p(z) as N(0, I) pushed through planar or radial layers, or posterior flow → planar/radial to make q(z|x) more flexible than an ellipse. This view then shows each layer's density and warped grid."

func (sc *Screen) drawTop(in ui.Input, now time.Time) {
	r := sc.L.Top
	s, th, c := sc.S, sc.th, sc.topCtx
	if sc.topRects == nil {
		sc.topRects = map[string]image.Rectangle{}
	}
	// The status text changes every step: 10 redraws a second are plenty,
	// unless the pointer acts on the bar.
	active := in.In(r) && (in.Pressed || in.X != sc.prevIn.X || in.Y != sc.prevIn.Y) || prevInside(sc.prevIn, r) && !in.In(r)
	var dst *image.RGBA
	if active || sc.fullRedraw || sc.topT.Due(now) {
		dst = sc.Frame.SubImage(r).(*image.RGBA)
		render.FillRect(dst, r, th.Background)
		sc.topT.Done(now)
		sc.Dirty = append(sc.Dirty, r)
	}
	tin := in
	if sc.help || sc.ctx.Open() {
		tin.Pressed = false
	}
	c.Begin(tin, dst)
	y0, y1 := r.Min.Y+sc.px(8), r.Max.Y-sc.px(8)
	x := r.Min.X + sc.px(12)
	// The buttons on the right start at rightX, with short labels where the
	// window is too narrow for the long ones beside the left group and some
	// status. A narrow window (700 px wide) has no room for the title too:
	// the two groups overlapped.
	right := []struct {
		id, label, short, help string
		w, shortW              float64
	}{
		{"help", "? Help", "?", "Shortcuts and what the views show (key ?).", 96, 36},
		{"link", "Copy link", "Link", "Copy a link that reopens these settings (and seed): the same run.", 96, 56},
		{"png", "Save PNG", "PNG", "Save a picture of the current views.", 96, 52},
		{"save", "Save model", "Save", "Save the model checkpoint (drop a checkpoint or a .safetensors file on the window to load one).", 96, 56},
		{"torch", "Save for PyTorch", "PyTorch", "Save the model as a .safetensors file for PyTorch (python/vae_playground.py loads it; drop one trained on there back on the window to load it).", 132, 72},
	}
	if sc.inLab() { // the button saves the VAE there too: say so
		right[3].label, right[3].help = "Save VAE", "Save the VAE's checkpoint (the flow lab's fit is not saved; Copy link keeps its settings)."
		right[4].help = "Save the VAE as a .safetensors file for PyTorch (the flow lab's fit is not saved)."
	}
	rightW := func(short bool) int {
		w := float64(6 * (len(right) - 1))
		for _, b := range right {
			w += map[bool]float64{false: b.w, true: b.shortW}[short]
		}
		return sc.px(w)
	}
	leftEnd := x + sc.px(64+76+56+3*6)
	short := r.Max.X-sc.px(12)-rightW(false)-leftEnd < sc.px(160)
	rightX := r.Max.X - sc.px(12) - rightW(short)
	if x+sc.px(140+64+76+56+3*6+100) <= rightX { // the title, and still some status

		if dst != nil {
			render.DrawText(dst, th.Title, x, (y0+y1)/2, "VAE playground", th.Text, render.AlignLeft, render.AlignMiddle)
		}
		x += sc.px(140)
	}
	btn := func(id, label, help string, w float64) bool {
		rr := image.Rect(x, y0, x+sc.px(w), y1)
		x += sc.px(w) + sc.px(6)
		sc.topRects[id] = rr
		return c.Button(id, rr, label, help)
	}
	if btn("reset", "Reset", "Start again from a new model with the same seed (key r).", 64) {
		sc.transportReset()
	}
	label := "► Play"
	if sc.transportPlaying() {
		label = "Pause"
	}
	if btn("play", label, "Train or pause (space).", 76) {
		sc.transportToggle()
	}
	if btn("step", "Step", "One training step on one mini-batch (key .).", 56) {
		sc.transportStep()
	}
	elbo := "—"
	if s.History.Len() > 0 {
		elbo = fmt.Sprintf("%.3f", s.History.Ema)
	}
	status := []string{
		fmt.Sprintf("step %d · epoch %d · ELBO %s · %.0f steps/s · %.0f fps", s.Steps(), s.Epoch(), elbo, sc.steps.PerSec, sc.FPS),
		fmt.Sprintf("step %d · ELBO %s · %.0f steps/s", s.Steps(), elbo, sc.steps.PerSec),
		fmt.Sprintf("step %d", s.Steps()),
		fmt.Sprint(s.Steps()),
	}
	if sc.inLab() {
		full := sc.labStatus()
		short, _, _ := strings.Cut(full, " · ")
		status = []string{full, short}
	}
	if dst != nil {
		// Only what fits before the right-hand buttons (it ran under them).
		text := scene.FitText(th.Label, rightX-x-sc.px(20), status...)
		sc.topRects["status"] = render.DrawText(dst, th.Label, x+sc.px(10), (y0+y1)/2, text, th.Text, render.AlignLeft, render.AlignMiddle)
	}
	x = rightX
	for _, b := range right {
		label, w := b.label, b.w
		if short {
			label, w = b.short, b.shortW
		}
		if !btn(b.id, label, b.help, w) {
			continue
		}
		switch b.id {
		case "help":
			sc.help = !sc.help
			sc.OverlayDirty = true
		case "link":
			sc.Requests = append(sc.Requests, CopyLink)
		case "png":
			sc.Requests = append(sc.Requests, SavePNG)
		case "save":
			sc.Requests = append(sc.Requests, SaveCheckpoint)
		case "torch":
			sc.Requests = append(sc.Requests, SaveSafetensors)
		}
	}
}

func (sc *Screen) drawStatus() {
	r := sc.L.Status
	s, th := sc.S, sc.th
	text, col := s.Message, th.MutedText
	if len(s.Notes) > 0 && text == "" {
		text, col = "from the link: "+strings.Join(s.Notes, "; "), th.Notice
	}
	if s.Diverged != "" {
		text, col = s.Diverged, th.Error
	}
	frac := -1.0
	if l := s.Loading; l != nil {
		done, total := l.Progress()
		text, col = fmt.Sprintf("loading %s: %.1f MB", l.Set, float64(done)/1e6), th.Text
		if total > 0 {
			frac = math.Min(1, float64(done)/float64(total))
			text += fmt.Sprintf(" of %.1f MB (%.0f%%) — training goes on meanwhile", float64(total)/1e6, 100*frac)
		}
	}
	if text != "" {
		// A long message is cut to the line's width: hovering shows all of it.
		sc.ctx.Hint("status", r, text)
	}
	if !sc.statusKey.Changed(text+fmt.Sprint(col)) && !sc.fullRedraw {
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
		text = string(rs[:160]) + "…"
	}
	render.DrawText(dst, th.Label, x, (r.Min.Y+r.Max.Y)/2, scene.FitText(th.Label, r.Max.X-x, text), col, render.AlignLeft, render.AlignMiddle)
	sc.Dirty = append(sc.Dirty, r)
}

// overlay draws the open dropdown list, the tooltip and the help.
func (sc *Screen) overlay(in ui.Input) {
	tip, at := sc.ctx.Tooltip()
	if t, a := sc.topCtx.Tooltip(); t != "" {
		tip, at = t, a
	}
	pop := sc.ctx.PopupRect()
	key := fmt.Sprint(tip, at, pop, sc.help, sc.ctx.Open())
	if sc.ctx.Open() {
		key += fmt.Sprint(in.X, in.Y) // hover highlight in the list
	}
	// The key alone decides (OverlayDirty may wait for the platform's Draw
	// over several Updates: the overlay is not redrawn for it each time).
	if !sc.overlayKey.Changed(key) && !sc.fullRedraw {
		return
	}
	sc.OverlayDirty = true
	clear(sc.Overlay.Pix)
	sc.ctx.DrawPopup(sc.Overlay)
	if tip != "" {
		sc.ctx.DrawTooltip(sc.Overlay, tip, at)
	}
	if sc.help {
		sc.drawHelp()
	}
}

const helpText = `Train a variational autoencoder on 2-D points and watch it learn.

space  play / pause        .  one step        r  reset (same seed)
?  this help (esc closes)   a / b  set an interpolation end at the pointer (latent view)

Latent view: dots are codes (encoder means) coloured by class, the background is the prior log p(z), white contours the aggregate posterior. Hover a dot: its posterior ellipse. Click: decode that point (red cross in the data view). With a mixture prior, drag a component's centre or its handles.
Data view: grey data, coloured reconstructions, orange samples from the model. Tools: inspect (click a point), draw, erase.
Controls: settings marked 'changes live' act at the next step; the others start a new model. Hover any control or view for what it does.
Files: drop a checkpoint (.vae) or a CSV of x,y[,label] on the window. Copy link reproduces this run.`

func (sc *Screen) drawHelp() {
	b := sc.Overlay.Bounds()
	render.FillRect(sc.Overlay, b, sc.th.Scrim)
	w, h := min(b.Dx()-sc.px(40), sc.px(720)), min(b.Dy()-sc.px(40), sc.px(380))
	r := image.Rect((b.Dx()-w)/2, (b.Dy()-h)/2, (b.Dx()+w)/2, (b.Dy()+h)/2)
	render.FillRect(sc.Overlay, r, sc.th.Panel)
	render.StrokeRect(sc.Overlay, r, sc.th.Frame)
	render.DrawText(sc.Overlay, sc.th.Title, r.Min.X+sc.px(16), r.Min.Y+sc.px(20), "Help", sc.th.Text, render.AlignLeft, render.AlignMiddle)
	text := helpText
	if sc.inLab() {
		text = labHelpText
	}
	render.DrawParagraph(sc.Overlay, sc.th.Label, image.Rect(r.Min.X+sc.px(16), r.Min.Y+sc.px(40), r.Max.X-sc.px(16), r.Max.Y-sc.px(10)), text, sc.th.Text)
}

// Help reports whether the help overlay is open.
func (sc *Screen) Help() bool { return sc.help }

// ViewRects are the data and latent plot rectangles (device pixels).
func (sc *Screen) ViewRects() (data, latent image.Rectangle) {
	return sc.dataVP.Pixels, sc.latentVP.Pixels
}

// Decoded is the selected code decoded into data space, or nil.
func (sc *Screen) Decoded() *render.Point { return sc.v.decoded }
