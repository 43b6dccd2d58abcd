//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/lessons"
	"github.com/vaeplayground/vae/playground"
	"github.com/vaeplayground/vae/session"
)

func main() {
	// The reproducible product (the SIMD kernel, or pure Go of the same
	// order): a link trains to the same bits as on the desktop.
	fastblas.Install()
	// A link without lang= opens in the browser's language.
	session.SetDefaultLanguage(i18n.Preferred(browserLanguages()...))
	hash := js.Global().Get("location").Get("hash").String()
	// The question asked before the game starts (resume the saved session?)
	// speaks the link's language already, as the loader around it does.
	linked, _, _ := session.Decode(hash)
	i18n.Set(linked.Choice("lang"))
	s, notes := startSession(hash)
	if s == nil {
		return
	}
	s.Notes = append(s.Notes, notes...)
	if len(notes) > 0 {
		s.Message = notes[0]
	}
	p := &browser{}
	saver := &autosaver{}
	// A coarse pointer (a phone, a tablet) gets rows for a finger from the
	// first frame.
	coarse := js.Global().Call("matchMedia", "(pointer: coarse)").Get("matches").Truthy()
	opt := app.Options{Autosave: saver.put, Touch: coarse}
	if s.Shown.Embed {
		// An embed neither autosaves nor resumes: an article's figure is not
		// the reader's session (and a sandboxed frame may have no storage).
		opt.Autosave = nil
	}
	g := app.New(s, p, opt)
	p.game, saver.game = g, g
	if opt.Autosave != nil {
		saver.watchHidden()
		autosave = saver
	}
	exposeHooks(g)
	if canvas := js.Global().Get("document").Call("querySelector", "canvas"); canvas.Truthy() {
		listenPointer(g, canvas)
		listenKeys(g, canvas)
		followColorScheme(g)
		preparePage(g, canvas)
		if s.Shown.Embed {
			keepOpenLink(g, canvas)
		}
	}
	ebiten.SetWindowTitle(i18n.T("VAE playground"))
	ebiten.SetScreenClearedEveryFrame(false)
	if err := ebiten.RunGame(g); err != nil {
		showError(err)
	}
}

func showError(err error) {
	if f := js.Global().Get("vaeError"); f.Type() == js.TypeFunction {
		f.Invoke(err.Error())
		return
	}
	js.Global().Get("console").Call("error", "VAE playground: "+err.Error())
}

// browser does the platform's part with the page's APIs.
type browser struct {
	game       *app.Game
	firstDone  bool
	workerOnce sync.Once
	// The comparison's B worker (compareWorker): started once A's has
	// (workerStarted), for the comparison workerFor.
	workerStarted bool
	workerFor     *session.Compare
	bWorker       js.Value
}

// SaveFile offers the bytes as a download.
func (b *browser) SaveFile(name string, data []byte) (string, error) {
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := js.Global().Get("Blob").New([]any{arr})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	doc := js.Global().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	js.Global().Call("setTimeout", js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 1000)
	return name + " (download)", nil
}

func (b *browser) link(hash string) string {
	loc := js.Global().Get("location")
	return loc.Get("origin").String() + loc.Get("pathname").String() + "#" + hash
}

// CopyLink writes the link to the clipboard where the page may.
func (b *browser) CopyLink(hash string) string {
	link := b.link(hash)
	nav := js.Global().Get("navigator")
	if cb := nav.Get("clipboard"); cb.Truthy() {
		cb.Call("writeText", link).Call("catch", js.FuncOf(func(js.Value, []js.Value) any { return nil }))
		return "link copied: " + link
	}
	return "link: " + link
}

// OpenPlayground opens the full playground with the settings of hash in a
// new tab. A sandboxed frame may forbid it (no allow-popups): the message
// then gives the link.
func (b *browser) OpenPlayground(hash string) string {
	link := b.link(hash)
	w := js.Global().Call("open", link, "_blank")
	if w.IsNull() || w.IsUndefined() {
		return "the page may not open a tab (a sandboxed frame?): " + link
	}
	// The new tab must not reach back into this page.
	func() {
		defer func() { _ = recover() }()
		w.Set("opener", js.Null())
	}()
	return "opened the playground in a new tab"
}

// SettingsChanged keeps the address bar's hash in step, without a new
// history entry per slider move.
func (b *browser) SettingsChanged(hash string) {
	js.Global().Get("history").Call("replaceState", js.Null(), "", "#"+hash)
	b.compareWorker()
}

func (b *browser) FirstFrame() {
	if f := js.Global().Get("vaeFirstFrame"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	b.workerOnce.Do(func() { startWorker(b.game) })
	b.workerStarted = true
	b.compareWorker()
}

// exposeHooks defines globalThis.vae.
func exposeHooks(g *app.Game) {
	vae := js.Global().Get("Object").New()
	vae.Set("state", js.FuncOf(func(js.Value, []js.Value) any {
		var out map[string]any
		g.Do(func() { out = state(g) })
		return out
	}))
	vae.Set("do", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return "want a command string"
		}
		var out string
		g.Do(func() { out = command(g, args[0].String()) })
		return out
	}))
	vae.Set("loadFile", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 || args[0].Type() != js.TypeString {
			return "want (name, Uint8Array)"
		}
		n := args[1].Get("length").Int()
		if n > 64<<20 {
			return "file too large"
		}
		data := make([]byte, n)
		js.CopyBytesToGo(data, args[1])
		var out string
		g.Do(func() {
			if err := g.LoadFile(args[0].String(), bytes.NewReader(data)); err != nil {
				out = err.Error()
			} else {
				out = "ok"
			}
		})
		return out
	}))
	js.Global().Set("vae", vae)
}

func strings2any(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func num(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

// state describes the session for tests (CSS pixels for rectangles).
func state(g *app.Game) map[string]any {
	s, sc := g.S, g.Screen
	elbo := math.NaN()
	if s.History.Len() > 0 {
		elbo = s.History.Last.ELBO
	}
	notes := make([]any, len(s.Notes))
	for i, n := range s.Notes {
		notes[i] = n
	}
	out := map[string]any{
		"step":    s.Steps(),
		"epoch":   s.Epoch(),
		"playing": s.Playing,
		"elbo":    num(elbo),
		"elboAvg": num(s.History.Ema),
		"frames":  g.Frames(),
		// Pointer events or keys not yet taken by a frame.
		"inputPending": g.InputPending(),
		"fps":          ebiten.ActualFPS(),
		"tps":          ebiten.ActualTPS(),
		"notes":        notes,
		"message":      s.Message,
		"diverged":     s.Diverged,
		"config":       s.Hash(),
		"dataset":      s.Values.Choice("data"),
		"prior":        s.Values.Choice("prior"),
		"points":       s.Data.N,
		"drawn":        s.Drawn.Len(),
		"help":         false,
		"decoded":      nil,
		"updateMs":     g.UpdateMs,
		"drawMs":       g.DrawMs,
		// Where training runs ("worker" or "inline"), and why not in the
		// worker when it was given up or never started.
		"trainer":      s.TrainingPlace(),
		"workerError":  s.WorkerError(),
		"workerStatus": workerStatus,
		// The interface's language and a word in it (the e2e check that a
		// link's lang= shows it).
		"lang":  i18n.Current(),
		"title": i18n.T("VAE playground"),
	}
	if sc != nil {
		// CSS pixels are the frame's over the device scale (the layout's
		// own scale is smaller on a phone).
		geo := g.Geometry()
		scale := geo.DeviceScale
		if scale <= 0 {
			scale = 1
		}
		css := func(r image.Rectangle) map[string]any {
			return map[string]any{"x": float64(r.Min.X) / scale, "y": float64(r.Min.Y) / scale, "w": float64(r.Dx()) / scale, "h": float64(r.Dy()) / scale}
		}
		data, latent := sc.ViewRects()
		out["views"] = map[string]any{"data": css(data), "latent": css(latent)}
		controls := map[string]any{}
		for k, r := range sc.Controls() {
			controls[k] = css(r)
		}
		out["controls"] = controls
		// The column's controls in their order, those scrolled out of
		// sight too: a test that looks for one knows which way to swipe.
		var order []any
		for _, k := range sc.ShownControls() {
			order = append(order, k)
		}
		out["columnOrder"] = order
		out["popup"] = nil
		if p := sc.PopupRect(); !p.Empty() {
			out["popup"] = css(p)
		}
		out["column"] = css(sc.L.Controls)
		if !sc.ControlsShown() { // a phone's closed controls panel
			out["column"] = css(image.Rectangle{})
		}
		out["compact"] = sc.L.Compact
		out["controlsOpen"] = sc.ControlsShown()
		sheetOff, sheetLimit := sc.SheetScroll()
		out["sheet"] = map[string]any{"offset": float64(sheetOff) / scale, "max": float64(sheetLimit) / scale, "view": css(sc.L.View)}
		out["layoutTouch"] = sc.Touch()
		off, limit := sc.Scroll()
		out["scroll"] = map[string]any{"offset": float64(off) / scale, "max": float64(limit) / scale}
		out["frame"] = map[string]any{"w": geo.FrameW, "h": geo.FrameH, "deviceScale": geo.DeviceScale, "layoutScale": geo.LayoutScale}
		out["touch"] = g.TouchSeen()
		out["pointerEvents"] = g.PointerEvents()
		out["theme"] = sc.Theme().Name
		out["palette"] = sc.Theme().PaletteName
		out["focused"] = nil
		if w, ok := sc.Focused(); ok {
			out["focused"] = map[string]any{"id": w.ID, "role": w.Role, "label": w.Label, "value": w.Value, "rect": css(w.Rect)}
		}
		buttons := map[string]any{}
		for id, r := range sc.TopButtons() {
			buttons[id] = css(r)
		}
		out["buttons"] = buttons
		out["help"] = sc.Help()
		out["budgetMs"] = float64(s.Budget().Microseconds()) / 1000
		if autosave != nil {
			// The step of the last session stored in IndexedDB (-1 while a
			// write is under way).
			out["savedStep"] = autosave.savedStep()
		}
		if d := sc.Decoded(); d != nil {
			out["decoded"] = []any{d.X, d.Y}
		}
		if cs := sc.Compare(); cs != nil {
			out["compare"] = compareState(cs.C)
		}
		// What the screen shows (views=, controls=, embed=1, or a lesson's
		// step): the current scene's panels and the controls laid out.
		out["shown"] = map[string]any{"views": strings2any(sc.ShownViews()), "controls": strings2any(sc.ShownControls()), "embed": sc.Embed()}
		out["lesson"] = lessonState(sc, css)
		if steps, scored, ok := sc.LabSteps(); ok {
			// The flow lab's fit: its steps and the step of its last score.
			out["lab"] = map[string]any{"steps": steps, "scored": scored}
		}
		out["playgroundLink"] = s.PlaygroundHash()
		on, elapsed := sc.Recording()
		out["recording"] = map[string]any{"on": on, "seconds": elapsed.Seconds(), "saving": sc.RecordSaving(), "rect": css(sc.RecordRect())}
	}
	return out
}

// lessonState describes the lesson column for tests: the lesson and step
// open, the checks' results (in the interface's language) and the
// column's controls; nil without a column.
func lessonState(sc *playground.Screen, css func(image.Rectangle) map[string]any) any {
	rects := sc.LessonRects()
	if len(rects) == 0 {
		return nil
	}
	cr := map[string]any{}
	for k, r := range rects {
		cr[k] = css(r)
	}
	out := map[string]any{"rects": cr, "name": "", "step": 0}
	if r := sc.Lesson(); r != nil {
		checks := make([]any, len(r.Results))
		for i, res := range r.Results {
			checks[i] = map[string]any{"id": r.Step().Checks[i].ID, "done": res.Done, "message": r.Message(sc.LessonLang(), i)}
		}
		notes := make([]any, len(r.Notes))
		for i, n := range r.Notes {
			notes[i] = n
		}
		out["name"], out["step"], out["steps"], out["id"] = r.L.Name, r.Index+1, len(r.L.Steps), r.Step().ID
		out["checks"], out["fired"], out["notes"], out["act"] = checks, r.Fired(), notes, r.Step().Act
		if sl := r.Slow(); sl != nil {
			// The slow-motion step: the part shown (from 0, -1 before the
			// first tap), the point's row, the updates shown, and the
			// marks it draws over the views.
			out["slow"] = map[string]any{"part": sl.Part, "parts": lessons.SlowParts, "row": sl.Row, "rounds": sl.Rounds,
				"taken": sl.St != nil && sl.St.Updated, "marks": sc.SlowMarks()}
		}
	}
	return out
}

// compareState describes the comparison for tests: both step counts, B's
// settings, where each trains, and the results table as last completed.
func compareState(c *session.Compare) map[string]any {
	res := c.Results()
	rows := make([]any, len(res.Rows))
	for i, r := range res.Rows {
		rows[i] = map[string]any{"metric": r.Metric, "a": num(r.A), "b": num(r.B), "diff": num(r.Diff()),
			"spread": num(r.Spread), "exceeds": r.Exceeds}
	}
	notes := make([]any, len(c.Notes))
	for i, n := range c.Notes {
		notes[i] = n
	}
	return map[string]any{
		"playing":  c.Playing,
		"steps":    []any{c.A.Steps(), c.B.Steps()},
		"spec":     c.Spec(),
		"notes":    notes,
		"trainers": []any{c.A.TrainingPlace(), c.B.TrainingPlace()},
		// B's own worker: as workerStatus is A's.
		"workerStatus": compareWorkerStatus,
		"elbo":         []any{num(c.A.History.Last.ELBO), num(c.B.History.Last.ELBO)},
		"table": map[string]any{"rows": rows, "n": res.N, "k": res.K, "exact": res.Exact,
			"steps": []any{res.Steps[0], res.Steps[1]}},
	}
}

// command runs one hook command.
func command(g *app.Game, cmd string) string {
	s := g.S
	verb, rest, _ := strings.Cut(strings.TrimSpace(cmd), " ")
	if g.Screen != nil && g.Screen.Compare() != nil && s.Values.Choice("mode") == "vae" {
		cs := g.Screen.Compare()
		// The transport acts on both models while comparing.
		c := cs.C
		switch verb {
		case "play", "pause", "toggle":
			c.Playing = verb == "play" || verb == "toggle" && !c.Playing
			return "ok"
		case "step":
			c.Step()
			return "ok"
		case "steps":
			// Both, step for step (a lesson's comparison step).
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil || n < 1 || n > 5000 {
				return "want steps N (1 to 5000)"
			}
			c.StepN(n)
			return "ok"
		case "reset":
			if err := c.Reset(); err != nil {
				return err.Error()
			}
			return "ok"
		}
	}
	switch verb {
	case "play":
		s.Play()
	case "pause":
		s.Pause()
	case "toggle":
		s.Toggle()
	case "step":
		s.Step()
	case "steps":
		// steps N: N training steps at once, paused (a lesson's test trains
		// to the point where a check fires without waiting for frames).
		n, err := strconv.Atoi(strings.TrimSpace(rest))
		if err != nil || n < 1 || n > 5000 {
			return "want steps N (1 to 5000)"
		}
		// The flow lab's fit, when it is shown (the VAE waits then).
		if g.Screen == nil || !g.Screen.StepLab(n) {
			s.StepN(n)
		}
	case "reset":
		if err := s.Reset(); err != nil {
			return err.Error()
		}
	case "set":
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			return "want set name=value"
		}
		if err := s.Set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return err.Error()
		}
	case "compare":
		// compare on|off: the top bar's Compare.
		if rest != "on" && rest != "off" {
			return "want compare on|off"
		}
		if err := g.Screen.SetCompare(rest == "on"); err != nil {
			return err.Error()
		}
	case "record":
		// record target [fps [seconds]]: what the next recording takes
		// (the column's Record section); the key g or the top bar's
		// Record starts it.
		f := strings.Fields(rest)
		if len(f) < 1 || len(f) > 3 {
			return "want record target [fps [seconds]]"
		}
		var fps float64
		var secs int
		var err error
		if len(f) > 1 {
			if fps, err = strconv.ParseFloat(f[1], 64); err != nil {
				return "record: " + err.Error()
			}
		}
		if len(f) > 2 {
			if secs, err = strconv.Atoi(f[2]); err != nil {
				return "record: " + err.Error()
			}
		}
		if err := g.Screen.SetRecordOptions(f[0], fps, secs); err != nil {
			return err.Error()
		}
	case "copy-link":
		g.Screen.Requests = append(g.Screen.Requests, playground.CopyLink)
	case "key":
		g.Screen.QueueKey(rest)
	case "select":
		// select x y: decode the latent point (data coordinates of the
		// shown dimensions).
		f := strings.Fields(rest)
		if len(f) != 2 {
			return "want select x y"
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			return "want select x y"
		}
		g.Screen.SelectLatent(x, y)
	default:
		return fmt.Sprintf("unknown command %q", verb)
	}
	return "ok"
}

// browserLanguages are the user's languages in order of preference
// (navigator.languages, or navigator.language where that is missing).
func browserLanguages() []string {
	nav := js.Global().Get("navigator")
	var out []string
	if l := nav.Get("languages"); l.Type() == js.TypeObject {
		for i := range l.Length() {
			out = append(out, l.Index(i).String())
		}
	}
	if l := nav.Get("language"); l.Type() == js.TypeString {
		out = append(out, l.String())
	}
	return out
}
