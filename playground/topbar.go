package playground

import (
	"image"
	"slices"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/lessons"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// topItem is one of the top bar's right-hand buttons. A bar with no room
// for them (a narrow window, a phone) folds them, in the same order, into
// its menu ("More"). New buttons are new entries of topItems.
type topItem struct {
	id           string
	label, short string  // the button's label on a wide bar and on a narrower one (the menu shows label)
	w, shortW    float64 // the button's width with each label, CSS pixels
	help         string
	act          func()
}

// topItems are the right-hand buttons of the scene shown, left to right.
func (sc *Screen) topItems() []topItem {
	saving := sc.current().SaveButtons()
	request := func(r Request) func() { return func() { sc.Requests = append(sc.Requests, r) } }
	items := []topItem{}
	lessonsLabel, lessonsShort := lessons.T(sc.lang(), "ui.lessons"), lessons.T(sc.lang(), "ui.lessons")
	if sc.lesson != nil {
		lessonsLabel = "● " + lessonsLabel
	}
	items = append(items, topItem{id: "lessons", label: lessonsLabel, short: lessonsShort, w: 96, shortW: 64,
		help: "Lessons: a column of steps beside the views, each with its settings, what to do and what to notice, checked live on the running model (link: lesson=…&step=…). Press again to close it.",
		act:  sc.ShowLessons})
	// Compare: a second model beside the first (the VAE's mode only).
	if sc.S.Values.Choice("mode") == "vae" {
		label := "Compare"
		if sc.cmp != nil {
			label = "● Compare"
		}
		items = append(items, topItem{id: "compare", label: label, short: label, w: 96, shortW: 96,
			help: "Compare: a second model B beside A, on the same data and seed; the controls edit A or B, both train step for step, a table compares them (link: compare=). Press again for A alone.",
			act: func() {
				if err := sc.SetCompare(sc.cmp == nil); err != nil {
					sc.S.Message = err.Error()
				}
				sc.f.ControlsDirty = true
			}})
	}
	save := topItem{id: "save", label: "Save model", short: "Save", w: 96, shortW: 56,
		help: "Save the model checkpoint (drop a checkpoint or a .safetensors file on the window to load one).", act: request(SaveCheckpoint)}
	if saving.Label != "" {
		save.label = saving.Label
	}
	if saving.Hint != "" {
		save.help = saving.Hint
	}
	torch := topItem{id: "torch", label: "Save for PyTorch", short: "PyTorch", w: 132, shortW: 72,
		help: "Save the model as a .safetensors file for PyTorch (python/vae_playground.py loads it; drop one trained on there back on the window to load it).", act: request(SaveSafetensors)}
	if saving.TorchHint != "" {
		torch.help = saving.TorchHint
	}
	lang := i18n.Names[i18n.Current()]
	return append(items,
		topItem{id: "language", label: lang, short: lang, w: 36, shortW: 30,
			help: "Language of the interface: English or Tiếng Việt (link: lang=).", act: sc.nextLanguage},
		topItem{id: "help", label: "? Help", short: "?", w: 72, shortW: 36, help: "Shortcuts and what the views show (key ?).",
			act: func() { sc.help = !sc.help; sc.OverlayDirty = true }},
		topItem{id: "link", label: "Copy link", short: "Link", w: 96, shortW: 56,
			help: "Copy a link that reopens these settings (and seed): the same run.", act: request(CopyLink)},
		topItem{id: "png", label: "Save PNG", short: "PNG", w: 96, shortW: 52, help: "Save a picture of the current views.", act: request(SavePNG)},
		topItem{id: "record", label: sc.recordLabel(false), short: sc.recordLabel(true), w: 88, shortW: 56, help: sc.recordHelp(),
			act: func() { sc.rec.toggle = true }},
		topItem{id: "export", label: "Export data", short: "CSV", w: 84, shortW: 48, help: exportHelp, act: request(ExportData)},
		save, torch)
}

// topRow lays out buttons left to right from x in the top bar's row.
type topRow struct {
	sc     *Screen
	x      int
	y0, y1 int
}

func (t *topRow) button(id, label, help string, w float64) bool {
	sc := t.sc
	r := image.Rect(t.x, t.y0, t.x+sc.px(w), t.y1)
	t.x += sc.px(w) + sc.px(6)
	sc.topRects[id] = r
	return sc.topCtx.Button(id, r, label, help)
}

// The widths of the menu button and of a phone's controls button (CSS
// pixels).
const (
	menuW     = 56
	controlsW = 80
)

// drawTop runs and, when due, draws the top bar: the title, the transport,
// the status line of the scene and the right-hand buttons (or the menu
// holding them).
func (sc *Screen) drawTop(in ui.Input, now time.Time) {
	if sc.shown.embed {
		sc.drawEmbedTop(in, now)
		return
	}
	r := sc.L.Top
	th, c := sc.th, sc.topCtx
	if sc.topRects == nil {
		sc.topRects = map[string]image.Rectangle{}
	}
	status := sc.topRects["status"] // kept when the bar is not redrawn
	clear(sc.topRects)
	sc.topRects["status"] = status
	dst := sc.beginTop(in, now, c.Open())
	l := sc.L
	y0 := r.Min.Y + sc.px(8)
	y1 := y0 + sc.px(l.BarButton())
	row := &topRow{sc: sc, x: r.Min.X + sc.px(12), y0: y0, y1: y1}
	items := sc.topItems()
	// The transport's widths: a phone's are tighter, so that the controls
	// and the menu fit beside them on a 360 px screen.
	resetW, playW, stepW := 64.0, 76.0, 56.0
	if l.Compact {
		row.x = r.Min.X + sc.px(8)
		resetW, playW, stepW = 56, 68, 52
	}
	// The right-hand buttons start at rightX, with short labels where the
	// window is too narrow for the long ones beside the transport and some
	// status, folded into the menu where even the short ones leave too
	// little (always on a phone, where the controls' button comes first).
	// The title shows only where there is room for it as well.
	rightW := func(short bool) int {
		w := float64(6 * (len(items) - 1))
		for _, b := range items {
			w += map[bool]float64{false: b.w, true: b.shortW}[short]
		}
		return sc.px(w)
	}
	leftEnd := row.x + sc.px(resetW+playW+stepW+2*6)
	// The language switch stands in the bar (or its menu) unless it alone
	// would fold the others into the menu; then the column's language row
	// switches.
	folds := func() bool { return r.Max.X-sc.px(12)-rightW(true)-leftEnd < sc.px(120) }
	if i := slices.IndexFunc(items, func(b topItem) bool { return b.id == "language" }); i >= 0 && !l.Compact && folds() {
		without := slices.Delete(slices.Clone(items), i, i+1)
		with := items
		if items = without; folds() {
			items = with // folded either way: the menu holds it
		}
	}
	short := r.Max.X-sc.px(12)-rightW(false)-leftEnd < sc.px(160)
	folded := l.Compact || short && r.Max.X-sc.px(12)-rightW(true)-leftEnd < sc.px(120)
	rightX := r.Max.X - sc.px(12) - rightW(short)
	switch {
	case l.Compact:
		rightX = r.Max.X - sc.px(8+menuW+6+controlsW)
	case folded:
		rightX = r.Max.X - sc.px(12+menuW)
	}
	if leftEnd+sc.px(140+100) <= rightX { // the title, and still some status
		if dst != nil {
			render.DrawText(dst, th.Title, row.x, (y0+y1)/2, i18n.T("VAE playground"), th.Text, render.AlignLeft, render.AlignMiddle)
		}
		row.x += sc.px(140)
	}
	// The transport is the scene's (the VAE's training, the lab's fit).
	if row.button("reset", "Reset", "Start again from a new model with the same seed (key r).", resetW) {
		sc.sceneKey(scene.KeyReset, in)
	}
	label := "► Play"
	if sc.current().Playing() {
		label = "Pause"
	}
	if row.button("play", label, "Train or pause (space).", playW) {
		sc.sceneKey(scene.KeySpace, in)
	}
	if row.button("step", "Step", "One training step on one mini-batch (key .).", stepW) {
		sc.sceneKey(scene.KeyStep, in)
	}
	if dst != nil {
		// Only what fits before the right-hand buttons (it ran under
		// them), or in a phone's second row.
		at := image.Rect(row.x+sc.px(10), y0, rightX-sc.px(10), y1)
		if !l.StatusRow.Empty() {
			at = l.StatusRow
		}
		text := scene.FitText(th.Label, at.Dx(), sc.current().Status(sc.FPS)...)
		sc.topRects["status"] = render.DrawText(dst, th.Label, at.Min.X, (at.Min.Y+at.Max.Y)/2, text, th.Text, render.AlignLeft, render.AlignMiddle)
	}
	row.x = rightX
	if l.Compact && (sc.shown.controls == nil || len(sc.shown.controls) > 0) { // none offered: no panel to open
		label := "Controls"
		if sc.sheet.open {
			label = "Views"
		}
		if row.button("controls", label, "Show the controls over the views, or the views again.", controlsW) {
			sc.ShowControls(!sc.sheet.open)
		}
	}
	if folded {
		sc.topMenu(row, items)
		return
	}
	for _, b := range items {
		label, w := b.label, b.w
		if short {
			label, w = b.short, b.shortW
		}
		if row.button(b.id, label, b.help, w) {
			b.act()
		}
	}
}

// topMenu is the menu button holding the right-hand buttons; while its
// list is open, each item's row is recorded as that button's place.
func (sc *Screen) topMenu(row *topRow, items []topItem) {
	labels := make([]string, len(items))
	for i, b := range items {
		labels[i] = b.label
	}
	r := image.Rect(row.x, row.y0, row.x+sc.px(menuW), row.y1)
	sc.topRects["menu"] = r
	picked := sc.topCtx.Menu("menu", r, "More", labels, "More: help, link, saving, compare…", sc.L.Window)
	if picked >= 0 {
		items[picked].act()
		sc.OverlayDirty = true
	}
	if p := sc.topCtx.PopupRect(); !p.Empty() {
		h := p.Dy() / len(items)
		for i, b := range items {
			sc.topRects[b.id] = image.Rect(p.Min.X, p.Min.Y+i*h, p.Max.X, p.Min.Y+(i+1)*h)
		}
	}
}

// nextLanguage switches the interface to the next language (the link
// follows, as for any setting).
func (sc *Screen) nextLanguage() {
	langs := i18n.Languages
	next := langs[(slices.Index(langs, sc.S.Values.Choice("lang"))+1)%len(langs)]
	if x, err := sc.S.Values.Parse("lang", next); err == nil {
		if err := sc.S.SetValue("lang", x); err != nil {
			sc.S.Message = err.Error()
		}
	}
}

// beginTop starts the top bar's frame (the full bar's and the embed's): it
// clears and returns the bar's image when the bar is due for a redraw (nil
// otherwise) and begins the bar's widgets on the input. The status text
// changes every step: 10 redraws a second are plenty, unless the pointer or
// the keys act on the bar (or busy says it is in use).
func (sc *Screen) beginTop(in ui.Input, now time.Time, busy bool) *image.RGBA {
	r := sc.L.Top
	active := in.In(r) && (in.Pressed || in.X != sc.prevIn.X || in.Y != sc.prevIn.Y) || prevInside(sc.prevIn, r) && !in.In(r) || len(sc.kb.keysFor(sc.topCtx)) > 0 || busy
	var dst *image.RGBA
	if active || sc.f.Full || sc.topT.Due(now) {
		dst = sc.Frame.SubImage(r).(*image.RGBA)
		render.FillRect(dst, r, sc.th.Background)
		sc.topT.Done(now)
		sc.Dirty = append(sc.Dirty, r)
	}
	tin := in
	tin.Keys = sc.kb.keysFor(sc.topCtx)
	if sc.help || sc.ctx.Open() {
		tin.Pressed = false
	}
	sc.topCtx.Begin(tin, dst)
	return dst
}
