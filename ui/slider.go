package ui

import (
	"image"
	"math"
	"strconv"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

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

// nudge moves v one step (a 40th of the track, or 1 for an integer) in
// the direction of dir's sign: a wheel notch or an arrow key.
func (s SliderSpec) nudge(v, dir float64) float64 {
	step := 1 / 40.0
	if s.Integer && !s.Log {
		step = 1 / math.Max(1, s.Max-s.Min)
	}
	nv := s.value(s.frac(v) + math.Copysign(step, dir))
	if nv == v && s.Integer {
		nv = math.Max(s.Min, math.Min(s.Max, v+math.Copysign(1, dir)))
	}
	return nv
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
// over it, or the arrow keys, Home and End while it has the focus) changes
// *v. It returns true when the value changed; while
// dragging, released reports the end of the drag.
func (c *Context) Slider(id string, r image.Rectangle, label string, v *float64, spec SliderSpec, help string) (changed bool) {
	label, help = i18n.T(label), i18n.T(help)
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
		*v = spec.nudge(*v, c.in.Wheel)
	}
	if c.declare(Widget{ID: id, Role: "slider", Rect: r, Label: label, Help: help}, pressed) {
		switch k := c.step(false); k {
		case -2:
			*v = spec.Min
		case 2:
			*v = spec.Max
		case -1, 1:
			*v = spec.nudge(*v, float64(k))
		}
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
	c.order[len(c.order)-1].Value = val
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
	c.focusRing(id, r)
	return changed
}
