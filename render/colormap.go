package render

import (
	"image/color"
	"math"
)

// Colormap maps a value in [0, 1] to an opaque colour through a 256-entry
// table built by interpolating evenly spaced stops. Colormaps are immutable.
type Colormap struct {
	name string
	lut  [256]color.RGBA
}

// NewColormap returns a colormap through the given stops, evenly spaced over
// [0, 1] and interpolated linearly in sRGB. It needs at least two stops; the
// stops' alpha is ignored (colormaps are opaque).
func NewColormap(name string, stops ...color.RGBA) *Colormap {
	if len(stops) < 2 {
		panic("render: a colormap needs at least two stops")
	}
	c := &Colormap{name: name}
	n := len(stops) - 1
	for i := range c.lut {
		t := float64(i) / 255 * float64(n)
		k := min(int(t), n-1)
		f := t - float64(k)
		a, b := stops[k], stops[k+1]
		c.lut[i] = color.RGBA{
			R: uint8(math.Round(float64(a.R)*(1-f) + float64(b.R)*f)),
			G: uint8(math.Round(float64(a.G)*(1-f) + float64(b.G)*f)),
			B: uint8(math.Round(float64(a.B)*(1-f) + float64(b.B)*f)),
			A: 255,
		}
	}
	return c
}

// Name returns the colormap's name.
func (c *Colormap) Name() string { return c.name }

// At returns the colour for t, clamped to [0, 1]. NaN maps to the low end.
func (c *Colormap) At(t float64) color.RGBA {
	if !(t > 0) { // also NaN
		return c.lut[0]
	}
	if t >= 1 {
		return c.lut[255]
	}
	return c.lut[int(t*255+0.5)]
}

// hex turns 0xRRGGBB into an opaque colour.
func hex(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

func hexStops(vs ...uint32) []color.RGBA {
	out := make([]color.RGBA, len(vs))
	for i, v := range vs {
		out[i] = hex(v)
	}
	return out
}

var (
	// Viridis is the perceptually uniform blue–green–yellow map of matplotlib
	// (samples every tenth of the range), for densities.
	Viridis = NewColormap("viridis", hexStops(
		0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
		0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725)...)

	// Magma is matplotlib's black–purple–orange–cream map, a second density
	// map that reads well beside Viridis.
	Magma = NewColormap("magma", hexStops(
		0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779,
		0xde4968, 0xf7705c, 0xfe9f6d, 0xfecf92, 0xfcfdbf)...)

	// Diverging runs from light blue through a dark neutral centre to light
	// orange: for signed maps such as log|det J| (contraction < 0 < expansion)
	// on a dark theme. Its lightness grows with the distance from the centre.
	Diverging = NewColormap("diverging", hexStops(
		0xa6d8ff, 0x4f9be0, 0x2c5a8c, 0x23262d, 0x8c4a22, 0xe0813a, 0xffd0a0)...)

	// Grays runs from black to white, for decoded images.
	Grays = NewColormap("grays", hex(0x000000), hex(0xffffff))
)

// Luminance returns the relative luminance (0 black … 1 white) of an opaque
// colour, from linearised sRGB with the Rec. 709 weights.
func Luminance(c color.RGBA) float64 {
	lin := func(u uint8) float64 {
		v := float64(u) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
