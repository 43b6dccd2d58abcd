package playground

import (
	"image"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// rowH is the height of a setting's row in the controls column: 30 CSS
// pixels for a mouse, ui.MinTouchTarget for a finger (its dropdown list's
// rows and stepper buttons grow with it).
func (sc *Screen) rowH() int { return sc.px(sc.ctx.Target(30)) }

// controls runs and, when something changed, draws the controls column.
func (sc *Screen) controls(in ui.Input) {
	r := sc.L.Controls
	c := sc.ctx
	if sc.controlRect == nil {
		sc.controlRect = map[string]image.Rectangle{}
	}
	if !sc.ControlsShown() {
		// A phone's closed panel: no widgets this frame (Tab skips them),
		// and the scene's tooltips start afresh.
		c.Begin(ui.Input{X: -1, Y: -1, Now: in.Now}, nil)
		clear(sc.controlRect)
		return
	}
	inside := in.In(r) || sc.ctx.Open() || sc.ctx.Busy()
	// Redraw on any pointer change over the column (hover highlights) or
	// after a value changed elsewhere.
	moved := in.X != sc.prevIn.X || in.Y != sc.prevIn.Y || in.Down != sc.prevIn.Down
	if in.In(r) && in.Wheel != 0 && !c.Open() {
		sc.scroll = max(0, min(sc.scroll-int(in.Wheel*float64(sc.px(40))), max(0, sc.contentH-r.Dy())))
		sc.f.ControlsDirty = true
	}
	draw := sc.f.Full || sc.f.ControlsDirty || (inside && moved) || (prevInside(sc.prevIn, r) && !in.In(r))
	var dst *image.RGBA
	if draw {
		dst = sc.Frame.SubImage(r).(*image.RGBA)
		render.FillRect(dst, r, sc.th.Panel)
	}
	cin := in
	cin.Wheel, cin.Keys = 0, sc.kb.keysFor(c)
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
	clear(sc.controlRect) // only what this frame lays out
	sc.controlOrder = sc.controlOrder[:0]
	// The scene's own controls end a section, each row recorded as the
	// place of its control.
	tools := scene.Tools{Context: c, Row: func(key string) image.Rectangle {
		cr := row(rh)
		sc.controlRect[key] = cr.Intersect(r)
		sc.controlOrder = append(sc.controlOrder, key)
		return cr
	}}
	current := sc.current()
	values, _ := sc.edited()
	// The sections in order, each with the settings offered (controls=)
	// and its scene tools; a section with neither is left out.
	visible := values.Visible()
	for i := 0; i < len(visible); {
		section := visible[i].Section
		var offered []*session.Setting
		for ; i < len(visible) && visible[i].Section == section; i++ {
			if sc.offers(visible[i].Key) {
				offered = append(offered, visible[i])
			}
		}
		withTools := sc.offersTools(section)
		if len(offered) == 0 && !withTools {
			continue
		}
		y += sc.px(6)
		c.Section(row(sc.px(24)), section)
		for _, st := range offered {
			cr := row(rh)
			sc.controlRect[st.Key] = cr.Intersect(r)
			sc.controlOrder = append(sc.controlOrder, st.Key)
			sc.control(c, st, cr)
		}
		if withTools {
			current.Tools(tools, section)
		}
	}
	if sc.offersTools("Record") {
		y += sc.px(6)
		c.Section(row(sc.px(24)), "Record")
		sc.recordControls(tools)
	}
	sc.contentH = y + sc.scroll - r.Min.Y + sc.px(20)
	sc.scrollToFocus()
	if draw {
		sc.Dirty = append(sc.Dirty, r)
		sc.f.ControlsDirty = false
	}
	if c.Changed {
		sc.f.ControlsDirty = true
	}
}

func prevInside(in ui.Input, r image.Rectangle) bool { return in.In(r) }

// settingsEditor is a scene whose controls column edits other settings
// than the session's: the comparison edits A's or B's.
type settingsEditor interface {
	EditedValues() *session.Values
	SetSetting(key string, x float64) error
}

// edited are the settings the controls column shows and how a change is
// applied.
func (sc *Screen) edited() (*session.Values, func(key string, x float64) error) {
	if e, ok := sc.current().(settingsEditor); ok {
		return e.EditedValues(), e.SetSetting
	}
	return sc.S.Values, sc.S.SetValue
}

// control declares the widget of one setting and applies a change.
func (sc *Screen) control(c *ui.Context, st *session.Setting, r image.Rectangle) {
	s := sc.S
	values, set := sc.edited()
	if st.Shell { // the playground's own: never A's or B's
		values, set = s.Values, s.SetValue
	}
	v := values.Get(st.Key)
	help := controlHelp(st)
	apply := func(x float64) {
		if err := set(st.Key, x); err != nil {
			s.Message = err.Error()
		}
		sc.f.ControlsDirty = true
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

// applyPending applies a rebuild slider's value once the pointer is up.
func (sc *Screen) applyPending(in ui.Input) {
	if sc.pending == nil || in.Down {
		return
	}
	p := sc.pending
	sc.pending = nil
	_, set := sc.edited()
	if err := set(p.key, p.value); err != nil {
		sc.S.Message = err.Error()
	}
	sc.f.ControlsDirty = true
}

// controlHelp is a setting's tooltip: its help and what a change does.
func controlHelp(st *session.Setting) string {
	switch st.Effect {
	case session.Live:
		return st.Help + " (changes live)"
	case session.Rebuild:
		return st.Help + " (starts a new model)"
	case session.Refit:
		return st.Help + " (starts a new fit)"
	}
	return st.Help
}
