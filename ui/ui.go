package ui

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vaeplayground/vae/render"
)

// Input is the pointer and keyboard state of one frame, in device pixels.
type Input struct {
	X, Y     int
	Down     bool // primary button held
	Pressed  bool // primary button went down this frame
	Released bool // primary button went up this frame
	Wheel    float64
	Now      time.Time
}

// In reports whether the pointer is inside r.
func (in Input) In(r image.Rectangle) bool { return image.Pt(in.X, in.Y).In(r) }

// Style holds the widgets' colours.
type Style struct {
	Accent, Control, ControlHover, Text, Muted, Border, TipBG color.RGBA
}

// DefaultStyle matches render's dark theme.
func DefaultStyle(th *render.Theme) Style {
	return Style{
		Accent:       th.Palette[0],
		Control:      color.RGBA{0x2a, 0x2e, 0x38, 0xff},
		ControlHover: color.RGBA{0x35, 0x3a, 0x46, 0xff},
		Text:         th.Text,
		Muted:        th.MutedText,
		Border:       th.Frame,
		TipBG:        color.RGBA{0x0c, 0x0d, 0x10, 0xf0},
	}
}

// Context carries the widgets' state from frame to frame: which widget the
// pointer is over, which one is being dragged, which dropdown is open.
type Context struct {
	Th    *render.Theme
	Style Style
	Scale float64 // device pixels per CSS pixel

	in  Input
	dst *image.RGBA // nil: logic only, nothing drawn
	// area is the last drawing's bounds: where an open list must fit. The
	// frames that draw nothing keep it, or a list opened upwards near the
	// bottom would drop below the window as soon as the pointer rested.
	area   image.Rectangle
	active string // widget holding the pointer (a slider being dragged)
	open   string // open dropdown
	popup  *popup
	// hover and tip: the widget under the pointer and its help text.
	hover, tip string
	tipAnchor  image.Rectangle
	hoverID    string
	hoverSince time.Time
	consumed   bool // a popup took this frame's press
	Changed    bool // some value changed this frame
}

type popup struct {
	id      string
	r       image.Rectangle
	choices []string
	sel     int
}

// NewContext returns a context drawing with th at the given device scale.
func NewContext(th *render.Theme, scale float64) *Context {
	return &Context{Th: th, Style: DefaultStyle(th), Scale: scale}
}

// Px converts CSS pixels to device pixels.
func (c *Context) Px(v float64) int { return int(math.Round(v * c.Scale)) }

// Begin starts a frame. dst may be nil when nothing needs drawing (the
// logic runs the same).
func (c *Context) Begin(in Input, dst *image.RGBA) {
	c.in, c.dst = in, dst
	if dst != nil {
		c.area = dst.Bounds()
	}
	c.hover, c.tip, c.Changed, c.consumed = "", "", false, false
	// An open dropdown's list sits over other widgets: it takes the press.
	if c.popup != nil && in.Pressed {
		if in.In(c.popup.r) {
			c.consumed = true
		} else { // a press elsewhere closes the list and does nothing else
			c.open, c.popup = "", nil
			c.consumed = true
		}
	}
	// A new press starts afresh; the release frame still belongs to the
	// widget that held the pointer.
	if in.Pressed || !in.Down && !in.Released {
		c.active = ""
	}
}

// Busy reports whether a widget holds the pointer or a dropdown is open
// (the views should then ignore it).
func (c *Context) Busy() bool { return c.active != "" || c.popup != nil || c.consumed }

// Open reports whether a dropdown list is open.
func (c *Context) Open() bool { return c.popup != nil }

// Close closes an open dropdown list without choosing (the escape key).
func (c *Context) Close() { c.open, c.popup = "", nil }

// hit registers the widget under the pointer and returns whether it was
// pressed this frame.
func (c *Context) hit(id string, r image.Rectangle, help string) (hover, pressed bool) {
	if c.consumed || (c.active != "" && c.active != id) {
		return false, false
	}
	if !c.in.In(r) {
		return false, false
	}
	c.hover = id
	if help != "" {
		c.tip, c.tipAnchor = help, r
	}
	return true, c.in.Pressed
}

func (c *Context) fill(r image.Rectangle, col color.RGBA) {
	if c.dst != nil {
		render.FillRect(c.dst, r, col)
	}
}

// label draws a widget's label from x, cut with an ellipsis to w pixels:
// in a narrow column the long ones ran under the widget's box.
func (c *Context) label(x, y, w int, s string, col color.RGBA) {
	if c.dst == nil {
		return
	}
	if render.TextWidth(c.Th.Label, s) > w {
		r := []rune(s)
		for len(r) > 0 && render.TextWidth(c.Th.Label, string(r)+"…") > w {
			r = r[:len(r)-1]
		}
		s = strings.TrimRight(string(r), " ") + "…"
		if len(r) == 0 {
			return
		}
	}
	c.text(x, y, s, col, render.AlignLeft)
}

func (c *Context) text(x, y int, s string, col color.RGBA, h render.Align) {
	if c.dst != nil {
		render.DrawText(c.dst, c.Th.Label, x, y, s, col, h, render.AlignMiddle)
	}
}

func (c *Context) box(r image.Rectangle, hover bool) {
	col := c.Style.Control
	if hover {
		col = c.Style.ControlHover
	}
	c.fill(r, col)
	if c.dst != nil {
		render.StrokeRect(c.dst, r, c.Style.Border)
	}
}

// Button draws a push button; it returns true on the frame it is clicked.
func (c *Context) Button(id string, r image.Rectangle, label, help string) bool {
	hover, pressed := c.hit(id, r, help)
	c.box(r, hover)
	c.text((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, label, c.Style.Text, render.AlignCenter)
	return pressed
}

// Toggle draws a switch with a label; a click flips *on.
func (c *Context) Toggle(id string, r image.Rectangle, label string, on *bool, help string) bool {
	hover, pressed := c.hit(id, r, help)
	if pressed {
		*on = !*on
		c.Changed = true
	}
	h := r.Dy() * 3 / 5
	sw := image.Rect(r.Max.X-2*h, r.Min.Y+(r.Dy()-h)/2, r.Max.X, r.Min.Y+(r.Dy()+h)/2)
	track := c.Style.Control
	if *on {
		track = c.Style.Accent
	} else if hover {
		track = c.Style.ControlHover
	}
	c.fill(sw, track)
	knob := image.Rect(sw.Min.X+2, sw.Min.Y+2, sw.Min.X+h-2, sw.Max.Y-2)
	if *on {
		knob = knob.Add(image.Pt(h, 0))
	}
	c.fill(knob, c.Style.Text)
	c.label(r.Min.X, (r.Min.Y+r.Max.Y)/2, sw.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	return pressed
}

func (c *Context) labelColor(hover bool) color.RGBA {
	if hover {
		return c.Style.Text
	}
	return c.Style.Muted
}

// SliderSpec describes a slider's scale.
type SliderSpec struct {
	Min, Max float64
	Log      bool                 // logarithmic track (Min > 0)
	Integer  bool                 // values snap to integers
	Format   func(float64) string // nil: %g
}

func (s SliderSpec) frac(v float64) float64 {
	if s.Max <= s.Min {
		return 0
	}
	if s.Log && s.Min > 0 {
		return (math.Log(v) - math.Log(s.Min)) / (math.Log(s.Max) - math.Log(s.Min))
	}
	return (v - s.Min) / (s.Max - s.Min)
}

func (s SliderSpec) value(f float64) float64 {
	f = math.Max(0, math.Min(1, f))
	var v float64
	if s.Log && s.Min > 0 {
		v = math.Exp(math.Log(s.Min) + f*(math.Log(s.Max)-math.Log(s.Min)))
		v = roundSignificant(v, 2)
	} else {
		v = s.Min + f*(s.Max-s.Min)
		v = roundSignificant(v, 3)
	}
	if s.Integer {
		v = math.Round(v)
	}
	return math.Max(s.Min, math.Min(s.Max, v))
}

// roundSignificant keeps n significant digits: slider values read cleanly.
func roundSignificant(v float64, n int) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// Slider draws a labelled slider with its value; dragging (or the wheel
// over it) changes *v. It returns true when the value changed; while
// dragging, released reports the end of the drag.
func (c *Context) Slider(id string, r image.Rectangle, label string, v *float64, spec SliderSpec, help string) (changed bool) {
	hover, pressed := c.hit(id, r, help)
	half := r.Dy() / 2
	track := image.Rect(r.Min.X, r.Min.Y+half, r.Max.X, r.Max.Y)
	if pressed {
		c.active = id
	}
	old := *v
	if c.active == id && c.in.Down {
		f := float64(c.in.X-track.Min.X) / float64(max(1, track.Dx()))
		*v = spec.value(f)
	} else if hover && c.in.Wheel != 0 {
		step := 1 / 40.0
		if spec.Integer && !spec.Log {
			step = 1 / math.Max(1, spec.Max-spec.Min)
		}
		nv := spec.value(spec.frac(*v) + math.Copysign(step, c.in.Wheel))
		if nv == *v && spec.Integer {
			nv = math.Max(spec.Min, math.Min(spec.Max, *v+math.Copysign(1, c.in.Wheel)))
		}
		*v = nv
	}
	changed = *v != old
	if changed {
		c.Changed = true
	}
	format := spec.Format
	if format == nil {
		format = func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	}
	mid := (r.Min.Y + track.Min.Y) / 2
	val := format(*v)
	c.label(r.Min.X, mid, r.Dx()-render.TextWidth(c.Th.Label, val)-c.Px(6), label, c.labelColor(hover || c.active == id))
	c.text(r.Max.X, mid, val, c.Style.Text, render.AlignRight)
	ty := (track.Min.Y + track.Max.Y) / 2
	th := max(2, c.Px(3))
	c.fill(image.Rect(track.Min.X, ty-th/2, track.Max.X, ty-th/2+th), c.Style.Control)
	f := math.Max(0, math.Min(1, spec.frac(*v)))
	kx := track.Min.X + int(f*float64(track.Dx()))
	c.fill(image.Rect(track.Min.X, ty-th/2, kx, ty-th/2+th), c.Style.Accent)
	kr := c.Px(6)
	knob := image.Rect(kx-kr, ty-kr, kx+kr, ty+kr)
	col := c.Style.Text
	if c.active == id {
		col = c.Style.Accent
	}
	c.fill(knob, col)
	return changed
}

// Stepper draws "label  [−] value [+]" for an integer in [lo, hi].
func (c *Context) Stepper(id string, r image.Rectangle, label string, v *int, lo, hi int, help string) bool {
	hover, _ := c.hit(id, r, help)
	bw := r.Dy()
	minus := image.Rect(r.Max.X-3*bw, r.Min.Y, r.Max.X-2*bw, r.Max.Y)
	plus := image.Rect(r.Max.X-bw, r.Min.Y, r.Max.X, r.Max.Y)
	old := *v
	if hover && c.in.Pressed {
		switch {
		case c.in.In(minus):
			*v = max(lo, *v-1)
		case c.in.In(plus):
			*v = min(hi, *v+1)
		}
	}
	if hover && c.in.Wheel != 0 {
		*v = max(lo, min(hi, *v+int(math.Copysign(1, c.in.Wheel))))
	}
	c.box(minus, hover && c.in.In(minus))
	c.box(plus, hover && c.in.In(plus))
	cy := (r.Min.Y + r.Max.Y) / 2
	c.text((minus.Min.X+minus.Max.X)/2, cy, "−", c.Style.Text, render.AlignCenter)
	c.text((plus.Min.X+plus.Max.X)/2, cy, "+", c.Style.Text, render.AlignCenter)
	c.text(r.Max.X-3*bw/2, cy, strconv.Itoa(*v), c.Style.Text, render.AlignCenter)
	c.label(r.Min.X, cy, minus.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	if *v != old {
		c.Changed = true
		return true
	}
	return false
}

// Dropdown draws "label [choice ▾]"; a click opens the list of choices
// (drawn over everything by End) and a click on one sets *sel.
func (c *Context) Dropdown(id string, r image.Rectangle, label string, choices []string, sel *int, help string) bool {
	box := image.Rect(r.Min.X+r.Dx()*2/5, r.Min.Y, r.Max.X, r.Max.Y)
	changed := false
	// The open list answers first: it lies over other widgets.
	if c.open == id && c.popup != nil && c.in.Pressed && c.in.In(c.popup.r) {
		row := (c.in.Y - c.popup.r.Min.Y) / max(1, r.Dy())
		if row >= 0 && row < len(choices) && row != *sel {
			*sel = row
			changed = true
			c.Changed = true
		}
		c.open, c.popup = "", nil
	}
	hover, pressed := c.hit(id, r, help)
	if pressed && c.in.In(box) {
		if c.open == id {
			c.open, c.popup = "", nil
		} else {
			c.open = id
		}
	}
	if c.open == id {
		h := r.Dy() * len(choices)
		pr := image.Rect(box.Min.X, box.Max.Y, box.Max.X, box.Max.Y+h)
		if !c.area.Empty() && pr.Max.Y > c.area.Max.Y { // open upwards near the bottom
			pr = pr.Add(image.Pt(0, -h-box.Dy()))
			if pr.Min.Y < c.area.Min.Y { // a long list in a short window: as high as it fits
				pr = pr.Add(image.Pt(0, min(c.area.Min.Y-pr.Min.Y, c.area.Max.Y-pr.Max.Y)))
			}
		}
		c.popup = &popup{id: id, r: pr, choices: choices, sel: *sel}
	}
	c.box(box, hover && c.in.In(box))
	name := "?"
	if *sel >= 0 && *sel < len(choices) {
		name = choices[*sel]
	}
	cy := (r.Min.Y + r.Max.Y) / 2
	c.text(box.Min.X+c.Px(6), cy, name, c.Style.Text, render.AlignLeft)
	c.arrow(box.Max.X-c.Px(12), cy, c.Px(4), c.Style.Muted)
	c.label(r.Min.X, cy, box.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	return changed
}

// Section draws a section header.
func (c *Context) Section(r image.Rectangle, title string) {
	if c.dst == nil {
		return
	}
	render.DrawText(c.dst, c.Th.Title, r.Min.X, (r.Min.Y+r.Max.Y)/2, title, c.Style.Text, render.AlignLeft, render.AlignMiddle)
	render.FillRect(c.dst, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c.Style.Border)
}

// Hint registers help text for a region that is not a widget (a view), so
// hovering it shows a tooltip too.
func (c *Context) Hint(id string, r image.Rectangle, help string) {
	if c.hover == "" && c.in.In(r) && !c.consumed {
		c.hover = id
		c.tip, c.tipAnchor = help, r
	}
}

// tipDelay is how long the pointer rests before a tooltip shows.
const tipDelay = 450 * time.Millisecond

// Tooltip returns the help text to show now (after the pointer rested on a
// widget for tipDelay) and where, or "".
func (c *Context) Tooltip() (string, image.Point) {
	if c.hover != c.hoverID {
		c.hoverID, c.hoverSince = c.hover, c.in.Now
	}
	if c.tip == "" || c.active != "" || c.popup != nil || c.in.Now.Sub(c.hoverSince) < tipDelay {
		return "", image.Point{}
	}
	return c.tip, image.Pt(c.in.X, c.in.Y)
}

// PopupRect is the open dropdown list's rectangle (empty when closed).
func (c *Context) PopupRect() image.Rectangle {
	if c.popup == nil {
		return image.Rectangle{}
	}
	return c.popup.r
}

// DrawPopup draws the open dropdown list into dst (an overlay).
func (c *Context) DrawPopup(dst *image.RGBA) {
	p := c.popup
	if p == nil {
		return
	}
	rowH := p.r.Dy() / max(1, len(p.choices))
	render.FillRect(dst, p.r, c.Style.Control)
	for i, ch := range p.choices {
		row := image.Rect(p.r.Min.X, p.r.Min.Y+i*rowH, p.r.Max.X, p.r.Min.Y+(i+1)*rowH)
		if c.in.In(row) {
			render.FillRect(dst, row, c.Style.ControlHover)
		}
		col := c.Style.Text
		if i == p.sel {
			col = c.Style.Accent
		}
		render.DrawText(dst, c.Th.Label, row.Min.X+c.Px(6), (row.Min.Y+row.Max.Y)/2, ch, col, render.AlignLeft, render.AlignMiddle)
	}
	render.StrokeRect(dst, p.r, c.Style.Border)
}

// DrawTooltip draws text in a box near p, kept inside bounds.
func (c *Context) DrawTooltip(dst *image.RGBA, text string, p image.Point) {
	w := c.Px(280)
	pad := c.Px(8)
	// Measure the wrapped height by drawing into a scratch-free pass.
	lines := render.DrawParagraph(image.NewRGBA(image.Rect(0, 0, 1, 1)), c.Th.Label, image.Rect(0, 0, w-2*pad, 1<<20), text, c.Style.Text)
	h := lines + 2*pad
	r := image.Rect(p.X+c.Px(14), p.Y+c.Px(18), p.X+c.Px(14)+w, p.Y+c.Px(18)+h)
	b := dst.Bounds()
	if r.Max.X > b.Max.X {
		r = r.Add(image.Pt(b.Max.X-r.Max.X-c.Px(4), 0))
	}
	if r.Max.Y > b.Max.Y {
		r = r.Add(image.Pt(0, p.Y-c.Px(8)-r.Max.Y))
	}
	render.FillRect(dst, r, c.Style.TipBG)
	render.StrokeRect(dst, r, c.Style.Border)
	render.DrawParagraph(dst, c.Th.Label, r.Inset(pad), text, c.Style.Text)
}

// arrow draws a small downward triangle centred at (cx, cy): the Go fonts
// have no such glyph.
func (c *Context) arrow(cx, cy, half int, col color.RGBA) {
	if c.dst == nil {
		return
	}
	for i := 0; i <= half; i++ {
		w := half - i
		render.FillRect(c.dst, image.Rect(cx-w, cy-half/2+i, cx+w+1, cy-half/2+i+1), col)
	}
}
