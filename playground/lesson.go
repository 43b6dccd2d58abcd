package playground

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/lessons"
	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/playground/vaeview"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"golang.org/x/image/font"
)

// lessonColumn is the lesson's text column beside the views: the open
// step's text, formula, what to do and what to notice, and its checks'
// live messages; or, before a lesson is chosen, the list of lessons.
type lessonColumn struct {
	r      *lessons.Runner // nil: the list of lessons
	ctx    *ui.Context
	scroll int
	// contentH is the height of the scrolled part as last drawn.
	contentH int
	check    scene.Throttle // the checks look at the session a few times a second
	key      scene.Key      // what the column was last drawn for
	rects    map[string]image.Rectangle
	lang     string
	sub      font.Face       // sub- and superscripts
	tiny     font.Face       // the scripts of a formula drawn small
	sized    float64         // the scale sub was made for
	body     image.Rectangle // the scrolled part of the column, as last drawn
	focus    string          // the focused widget last frame (to scroll a new one into view)
}

// lessonCheckEvery is how often the open step's checks look (each may
// encode and decode a few hundred points).
const lessonCheckEvery = 400 * time.Millisecond

// Lesson is the lesson's runner (nil without a lesson or while its list
// is shown).
func (sc *Screen) Lesson() *lessons.Runner {
	if sc.lesson == nil {
		return nil
	}
	return sc.lesson.r
}

// LessonRects are the lesson column's controls as last laid out (device
// pixels): "column", "close", "prev", "next", "steps", and "lesson:<name>"
// in the list of lessons.
func (sc *Screen) LessonRects() map[string]image.Rectangle {
	out := map[string]image.Rectangle{}
	if sc.lesson != nil {
		for k, r := range sc.lesson.rects {
			out[k] = r
		}
		out["column"] = sc.L.Lesson
	}
	return out
}

// ShowLessons opens the column with the list of lessons (or closes the
// column when it is open): the top bar's Lessons entry.
func (sc *Screen) ShowLessons() {
	if sc.lesson != nil {
		sc.CloseLesson()
		return
	}
	sc.lesson = newLessonColumn(sc)
	sc.relayout()
}

func newLessonColumn(sc *Screen) *lessonColumn {
	lc := &lessonColumn{ctx: ui.NewContext(sc.th, sc.Scale), rects: map[string]image.Rectangle{}}
	lc.check.Every = lessonCheckEvery
	return lc
}

// OpenLesson opens lesson name at step (from 1; clamped into the lesson):
// its configuration is applied, its views and controls shown. "none"
// closes the column.
func (sc *Screen) OpenLesson(name string, step int) error {
	if name == "none" {
		sc.CloseLesson()
		return nil
	}
	l := lessons.Find(name)
	if l == nil {
		return fmt.Errorf("no lesson %q", name)
	}
	if sc.lesson == nil {
		sc.lesson = newLessonColumn(sc)
	}
	if sc.lesson.r == nil || sc.lesson.r.L != l {
		sc.lesson.r = lessons.NewRunner(l)
	}
	return sc.openStep(step - 1)
}

// CloseLesson closes the column: the views and controls come back as the
// link chose them (views=, controls=; all of them without).
func (sc *Screen) CloseLesson() {
	if sc.lesson == nil {
		return
	}
	sc.lesson = nil
	_ = sc.S.Set("lesson", "none")
	_ = sc.S.SetValue("step", 1)
	_ = sc.SetShown(sc.S.Shown.Views, sc.S.Shown.Controls)
	sc.f.Full = true
}

// openStep opens step i (from 0) of the lesson: the runner applies its
// configuration; the comparison follows the step; its views and controls
// are shown.
func (sc *Screen) openStep(i int) error {
	r := sc.lesson.r
	err := r.Open(sc.S, i)
	st := r.Step()
	switch {
	case st.Compare == "" && sc.cmp != nil:
		_ = sc.SetCompare(false)
	case st.Compare != "" && (sc.cmp == nil || sc.cmp.C.Spec() != st.Compare):
		if sc.cmp != nil {
			_ = sc.SetCompare(false)
		}
		if cerr := sc.startCompare(st.Compare); cerr != nil && err == nil {
			err = cerr
		}
	}
	views, controls := st.Views, st.Controls
	if controls == nil {
		controls = []string{} // a step offers what it names, no more
	}
	if serr := sc.SetShown(views, controls); serr != nil && err == nil {
		err = serr
	}
	sc.lesson.scroll = 0
	sc.lesson.check.Done(time.Time{}) // look at once
	sc.f.Full, sc.f.ControlsDirty = true, true
	if err != nil {
		sc.S.Message = err.Error()
	}
	return err
}

// syncLesson follows the "lesson" and "step" settings (a link, a hook):
// the column opens, changes lesson or step, or closes with them.
func (sc *Screen) syncLesson() {
	name := sc.S.Values.Choice("lesson")
	step := sc.S.Values.Int("step")
	switch {
	case name == "none":
		if sc.lesson != nil && sc.lesson.r != nil {
			sc.CloseLesson()
		}
	case sc.lesson == nil || sc.lesson.r == nil || sc.lesson.r.L.Name != name || sc.lesson.r.Index != step-1:
		if err := sc.OpenLesson(name, step); err != nil {
			sc.S.Message = err.Error()
		}
	}
}

// labProbe is the flow lab's scene when it is made (nil otherwise).
func (sc *Screen) labProbe() lessons.LabProbe {
	if lab, ok := sc.scenes["flowlab"].(*flowlab.Lab); ok && sc.S.Values.Choice("mode") == "flowlab" {
		return lab
	}
	return nil
}

// drawLesson runs the checks when due and draws the column when something
// in it changed.
func (sc *Screen) drawLesson(in ui.Input, now time.Time) {
	lc := sc.lesson
	col := sc.L.Lesson
	if lc == nil || col.Empty() {
		return
	}
	if lc.r != nil && lc.check.Due(now) {
		var cmp *session.Compare
		if sc.cmp != nil {
			cmp = sc.cmp.C
		}
		lc.r.Update(sc.S, sc.labProbe(), cmp)
		lc.check.Done(now)
	}
	sc.slowMarks()
	if in.In(col) && in.Wheel != 0 {
		lc.scroll = max(0, min(lc.scroll-int(in.Wheel*float64(sc.px(40))), lc.contentH))
	}
	lang := sc.lang()
	version := -1
	if lc.r != nil {
		version = lc.r.Version
	}
	hot := in.In(col) || prevInside(sc.prevIn, col) || lc.ctx.Open()
	key := fmt.Sprint(version, lang, lc.scroll, col, sc.S.Values.Get("step"))
	if hot {
		key += fmt.Sprint(in.X, in.Y, in.Down)
	}
	keys := sc.kb.keysFor(lc.ctx)
	draw := lc.key.Changed(key) || sc.f.Full || len(keys) > 0 // keys move the focus ring
	var dst *image.RGBA
	if draw {
		dst = sc.Frame.SubImage(col).(*image.RGBA)
		sc.Dirty = append(sc.Dirty, col)
	}
	cin := in
	cin.Wheel, cin.Keys = 0, keys
	if sc.help || sc.ctx.Open() || sc.topCtx.Open() || !in.In(col) && !lc.ctx.Open() {
		cin.Pressed = false
	}
	if lc.ctx.Scale != sc.Scale || lc.ctx.Th != sc.th {
		lc.ctx = ui.NewContext(sc.th, sc.Scale)
	}
	if lc.sized != sc.Scale {
		lc.sub, lc.tiny, lc.sized = render.NewFace(10*sc.Scale, false), render.NewFace(8*sc.Scale, false), sc.Scale
	}
	lc.lang = lang
	c := lc.ctx
	c.Begin(cin, dst)
	if dst != nil {
		render.FillRect(dst, col, sc.th.Panel)
		render.FillRect(dst, image.Rect(col.Min.X, col.Min.Y, col.Min.X+sc.px(1), col.Max.Y), sc.th.Frame)
	}
	if dst != nil {
		clear(lc.rects) // as drawn: the scrolled part is laid out only then
	}
	if lc.r == nil {
		sc.drawLessonList(dst, col)
		return
	}
	sc.drawLessonStep(dst, col)
	sc.scrollLessonToFocus()
}

// scrollLessonToFocus scrolls the lesson's text so that a button in it
// that the keyboard has just focused is in view.
func (sc *Screen) scrollLessonToFocus() {
	lc := sc.lesson
	if lc == nil { // closed by its own button
		return
	}
	w, ok := lc.ctx.Focused()
	if !ok || !lc.ctx.FocusVisible() || w.ID == lc.focus {
		lc.focus = w.ID
		return
	}
	lc.focus = w.ID
	d := 0
	switch {
	case w.Rect.Min.Y < lc.body.Min.Y:
		d = w.Rect.Min.Y - lc.body.Min.Y - sc.px(8)
	case w.Rect.Max.Y > lc.body.Max.Y:
		d = w.Rect.Max.Y - lc.body.Max.Y + sc.px(8)
	}
	lc.scroll = max(0, min(lc.scroll+d, lc.contentH))
}

// drawLessonList is the column before a lesson is chosen: one button per
// lesson.
func (sc *Screen) drawLessonList(dst *image.RGBA, col image.Rectangle) {
	lc, th := sc.lesson, sc.th
	pad := sc.px(12)
	x0, x1 := col.Min.X+pad, col.Max.X-pad
	y := col.Min.Y + sc.px(10)
	if dst != nil {
		render.DrawText(dst, th.Title, x0, y+sc.px(10), lessons.T(lc.lang, "ui.lessons"), th.Text, render.AlignLeft, render.AlignMiddle)
	}
	closeR := image.Rect(x1-sc.lessonRow(30), y, x1, y+sc.lessonRow(28))
	lc.rects["close"] = closeR
	if lc.ctx.Button("lesson-close", closeR, "×", lessons.T(lc.lang, "ui.close")) {
		sc.CloseLesson()
		return
	}
	y = closeR.Max.Y + sc.px(12)
	for _, l := range lessons.All {
		r := image.Rect(x0, y, x1, y+sc.lessonRow(34))
		lc.rects["lesson:"+l.Name] = r
		label := fmt.Sprintf("%s (%d)", l.TitleOf(lc.lang), len(l.Steps))
		if lc.ctx.Button("lesson:"+l.Name, r, label, l.Title(lc.lang, 0)) {
			if err := sc.OpenLesson(l.Name, 1); err != nil {
				sc.S.Message = err.Error()
			}
			return
		}
		y = r.Max.Y + sc.px(8)
	}
}

// lessonRow is a row of the lesson's column v CSS pixels high, in device
// pixels: a finger's (ui.MinTouchTarget) on a touch screen.
func (sc *Screen) lessonRow(v float64) int {
	if sc.touch {
		v = max(v, ui.MinTouchTarget)
	}
	return sc.px(v)
}

// drawLessonStep draws the open step: the lesson's title, the step's
// navigation, then (scrolled) its text, formula, what to do, what to
// notice and the checks.
func (sc *Screen) drawLessonStep(dst *image.RGBA, col image.Rectangle) {
	lc, th, r := sc.lesson, sc.th, sc.lesson.r
	l, lang := r.L, lc.lang
	pad := sc.px(12)
	x0, x1 := col.Min.X+pad, col.Max.X-pad
	y := col.Min.Y + sc.px(8)
	// The header: the lesson's title and the close button.
	closeR := image.Rect(x1-sc.lessonRow(30), y, x1, y+sc.lessonRow(28))
	if dst != nil {
		title := scene.FitText(th.Title, closeR.Min.X-x0-sc.px(10), l.TitleOf(lang))
		render.DrawText(dst, th.Title, x0, (closeR.Min.Y+closeR.Max.Y)/2, title, th.Text, render.AlignLeft, render.AlignMiddle)
	}
	lc.rects["close"] = closeR
	if lc.ctx.Button("lesson-close", closeR, "×", lessons.T(lang, "ui.close")) {
		sc.CloseLesson()
		return
	}
	y = closeR.Max.Y + sc.px(8)
	// The navigation: back, the step list, next.
	navH := sc.lessonRow(30)
	bw := sc.px(72)
	prevR := image.Rect(x0, y, x0+bw, y+navH)
	nextR := image.Rect(x1-bw, y, x1, y+navH)
	stepsR := image.Rect(prevR.Max.X+sc.px(6), y, nextR.Min.X-sc.px(6), y+navH)
	lc.rects["prev"], lc.rects["next"], lc.rects["steps"] = prevR, nextR, stepsR
	n := len(l.Steps)
	target := -1
	// Declared in reading order (the keyboard's): back, the list, next.
	if r.Index > 0 && lc.ctx.Button("lesson-prev", prevR, lessons.T(lang, "ui.prev"), "") {
		target = r.Index - 1
	}
	titles := make([]string, n)
	for i := range l.Steps {
		titles[i] = l.Title(lang, i)
	}
	if i := lc.ctx.Menu("lesson-steps", stepsR, lessons.T(lang, "ui.step", r.Index+1, n), titles, lessons.T(lang, "ui.stepshelp"), sc.L.Window); i >= 0 {
		target = i
	}
	if r.Index < n-1 && lc.ctx.Button("lesson-next", nextR, lessons.T(lang, "ui.next"), "") {
		target = r.Index + 1
	}
	if target >= 0 {
		_ = sc.openStep(target)
		return
	}
	y += navH + sc.px(8)
	// The step, scrolled within the rest of the column.
	body := image.Rect(col.Min.X, y, col.Max.X, col.Max.Y)
	lc.body = body
	if dst == nil {
		// The body is laid out only when drawn: its buttons stay where
		// they were, still in the focus order and still taking taps.
		if r.Slow() != nil && !lc.rects["slow-next"].Empty() {
			sc.slowButtons(lc.rects["slow-next"], lc.rects["slow-other"])
		}
		return
	}
	dst = dst.SubImage(body).(*image.RGBA)
	top := y
	y -= lc.scroll
	w := x1 - x0
	// Paragraphs may hold formula markup (q(z_j|x)): their lines are drawn
	// as formulas, scripts and all.
	para := func(face font.Face, text string, c color.RGBA) {
		lh := render.LineHeight(face)
		for _, line := range wrap(face, text, w) {
			if strings.ContainsAny(line, "_^") {
				drawFormula(dst, face, lc.sub, lc.tiny, x0, y+lh/2, line, c, w)
			} else {
				render.DrawText(dst, face, x0, y, line, c, render.AlignLeft, render.AlignTop)
			}
			y += lh
		}
	}
	para(th.Title, l.Title(lang, r.Index), th.Text)
	y += sc.px(6)
	para(th.Label, l.Body(lang, r.Index), th.Text)
	if f := r.Step().Formula; f != "" {
		y += sc.px(8)
		lines := strings.Split(f, "\n")
		lh := render.LineHeight(th.Label) + sc.px(8)
		box := image.Rect(x0-sc.px(4), y, x1+sc.px(4), y+len(lines)*lh+sc.px(6))
		render.FillRect(dst, box, th.Background)
		y += sc.px(4)
		for _, line := range lines {
			drawFormula(dst, th.Label, lc.sub, lc.tiny, x0+sc.px(2), y+lh/2+sc.px(2), line, th.Text, w)
			y += lh
		}
		y += sc.px(6)
	}
	heading := func(text string) {
		y += sc.px(10)
		render.DrawText(dst, th.Title, x0, y, text, th.Accent, render.AlignLeft, render.AlignTop)
		y += render.LineHeight(th.Title) + sc.px(2)
	}
	heading(lessons.T(lang, "ui.do"))
	para(th.Label, l.Do(lang, r.Index), th.Text)
	heading(lessons.T(lang, "ui.notice"))
	para(th.Label, l.Notice(lang, r.Index), th.Text)
	y += sc.px(6)
	if sl := r.Slow(); sl != nil {
		y += sc.px(6)
		title := lessons.T(lang, "slow.none")
		if sl.St != nil {
			title = lessons.T(lang, "slow.part", sl.Part+1, lessons.SlowParts, sl.PartTitle(lang))
		}
		render.DrawText(dst, th.Title, x0, y, title, th.Selection, render.AlignLeft, render.AlignTop)
		y += render.LineHeight(th.Title) + sc.px(2)
		if sl.St != nil {
			para(th.Label, sl.PartMessage().In(lang), th.Text)
		}
		y += sc.px(6)
		half := (w - sc.px(8)) / 2
		nextR := image.Rect(x0, y, x0+half, y+navH)
		otherR := image.Rect(x1-half, y, x1, y+navH)
		lc.rects["slow-next"], lc.rects["slow-other"] = nextR, otherR
		sc.slowButtons(nextR, otherR)
		y += navH + sc.px(4)
	}
	for i := range r.Step().Checks {
		done := r.Results[i].Done
		mark, c := lessons.T(lang, "ui.waiting"), th.Text
		if done {
			mark, c = lessons.T(lang, "ui.done"), th.Palette[4]
		}
		text := r.Message(lang, i)
		if text == "" {
			text = "…"
		}
		y += sc.px(6)
		y0 := y
		render.DrawText(dst, th.Title, x0, y, mark, c, render.AlignLeft, render.AlignTop)
		x := x0 + sc.px(18)
		for _, line := range wrap(th.Label, text, w-sc.px(18)) {
			render.DrawText(dst, th.Label, x, y, line, c, render.AlignLeft, render.AlignTop)
			y += render.LineHeight(th.Label)
		}
		if done {
			render.FillRect(dst, image.Rect(x0-sc.px(6), y0, x0-sc.px(3), y), th.Palette[4])
		}
	}
	for _, note := range r.Notes {
		y += sc.px(6)
		para(th.Small, note, th.Notice)
	}
	lc.contentH = max(0, y+lc.scroll-top-body.Dy()+sc.px(20))
}

// slowButtons are the slow-motion step's buttons: the next part, another
// point.
func (sc *Screen) slowButtons(nextR, otherR image.Rectangle) {
	lc, r := sc.lesson, sc.lesson.r
	defer lc.ctx.Clip(lc.body)() // scrolled under the navigation: hidden
	if lc.ctx.Button("slow-next", nextR, lessons.T(lc.lang, "slow.next"), "") {
		if err := r.SlowNext(sc.S); err != nil {
			sc.S.Message = err.Error()
		}
	}
	if lc.ctx.Button("slow-other", otherR, lessons.T(lc.lang, "slow.other"), "") {
		if err := r.SlowOther(sc.S); err != nil {
			sc.S.Message = err.Error()
		}
	}
}

// wrap breaks text into lines no wider than width (paragraphs at "\n").
func wrap(face font.Face, text string, width int) []string {
	var lines []string
	for _, p := range strings.Split(text, "\n") {
		words := strings.Fields(p)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur := words[0]
		for _, w := range words[1:] {
			if render.TextWidth(face, cur+" "+w) <= width {
				cur += " " + w
				continue
			}
			lines = append(lines, cur)
			cur = w
		}
		lines = append(lines, cur)
	}
	return lines
}

// drawFormula draws one line of formula markup (lessons.Spans) with its
// baseline's middle at y: sub- and superscripts in the small face, lowered
// or raised; a line wider than width is drawn in the small face whole,
// its scripts in tiny. The Go fonts have no "‖": two bars stand for it.
func drawFormula(dst *image.RGBA, face, small, tiny font.Face, x, y int, text string, c color.RGBA, width int) {
	spans := lessons.Spans(strings.ReplaceAll(text, "‖", "||"))
	measure := func(base, script font.Face) int {
		w := 0
		for _, sp := range spans {
			f := base
			if sp.Shift != lessons.Base {
				f = script
			}
			w += render.TextWidth(f, sp.Text)
		}
		return w
	}
	if measure(face, small) > width {
		face, small = small, tiny
	}
	asc := face.Metrics().Ascent.Ceil()
	for _, sp := range spans {
		f := face
		dy := 0
		switch sp.Shift {
		case lessons.Sub:
			f, dy = small, asc*3/10
		case lessons.Super:
			f, dy = small, -asc*4/10
		}
		r := render.DrawText(dst, f, x, y+dy, sp.Text, c, render.AlignLeft, render.AlignMiddle)
		x = r.Max.X
	}
}

// slowMarks points out the slow-motion step's part in the VAE's views
// (and takes the marks away on other steps).
func (sc *Screen) slowMarks() {
	lc := sc.lesson
	var marks []vaeview.Mark
	version := -1
	if lc != nil && lc.r != nil {
		version = lc.r.Version
		if sl := lc.r.Slow(); sl != nil && sl.St != nil {
			marks = slowMarks(sl)
		}
	}
	if version == sc.marksVersion && (marks == nil) == (sc.marksShown == 0) {
		return
	}
	sc.marksVersion, sc.marksShown = version, len(marks)
	if vw, ok := sc.scenes["vae"].(*vaeview.View); ok {
		vw.SetMarks(marks)
	}
}

// slowMarks are the marks of a slow-motion part: the point, then its
// posterior, the draw, the decode, the terms, the update's move.
func slowMarks(sl *lessons.Slow) []vaeview.Mark {
	st := sl.St
	point := vaeview.Mark{Data: true, At: st.X, Ring: true, Label: "x"}
	post := vaeview.Mark{At: st.Mu, Sigma: st.Sigma, Ring: true, Label: "μ"}
	z := vaeview.Mark{At: st.Z, Label: "z"}
	switch sl.Part {
	case 0:
		return []vaeview.Mark{point}
	case 1:
		return []vaeview.Mark{point, post}
	case 2:
		return []vaeview.Mark{point, post, {At: st.Mu, To: st.Z}, z}
	case 3, 4:
		label := "E[x|z]"
		if sl.Part == 4 {
			label = fmt.Sprintf("log p(x|z) = %.2f", st.Recon)
		}
		return []vaeview.Mark{point, z, {Data: true, At: st.X, To: st.Decoded}, {Data: true, At: st.Decoded, Label: label}}
	case 5:
		return []vaeview.Mark{post, {At: st.Z, Label: fmt.Sprintf("log p(z) = %.2f", st.LogP)}}
	}
	return []vaeview.Mark{point, {At: st.Mu, To: st.MuAfter}, {At: st.MuAfter, Ring: true, Label: "μ′"}}
}

// lang is the lessons' language: another than English that the link's
// lang= names, else the interface's current one (the browser's default,
// the language switch).
func (sc *Screen) lang() string {
	if l := sc.S.Values.Choice("lang"); l != i18n.English && i18n.Known(l) {
		return l
	}
	return i18n.Current()
}

// LessonLang is the language the lesson column speaks.
func (sc *Screen) LessonLang() string { return sc.lang() }
