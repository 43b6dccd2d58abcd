package render

import (
	"image"
	"image/color"
	"math"
	"reflect"
	"testing"
)

// The accents are the colours the views drew as literals before they had
// names: a theme change must not recolour the samples or the selection.
func TestThemeAccents(t *testing.T) {
	for name, th := range map[string]*Theme{"dark": DarkTheme(), "light": LightTheme()} {
		for _, c := range []struct {
			what string
			got  color.RGBA
			want color.RGBA
		}{
			{"sample", th.Sample, color.RGBA{0xef, 0xb1, 0x18, 0xff}},
			{"notice", DarkTheme().Notice, color.RGBA{0xef, 0xb1, 0x18, 0xff}},
			{"selection", th.Selection, color.RGBA{0xff, 0x72, 0x5c, 0xff}},
			{"error", DarkTheme().Error, color.RGBA{0xff, 0x72, 0x5c, 0xff}},
			{"linear path", th.PathLinear, color.RGBA{0x6c, 0xc5, 0xb0, 0xff}},
			{"spherical path", th.PathSpherical, color.RGBA{0xa4, 0x63, 0xf2, 0xff}},
			{"scrim", th.Scrim, color.RGBA{0, 0, 0, 0xa0}},
		} {
			if c.got != c.want {
				t.Errorf("%s theme: %s %v, want %v", name, c.what, c.got, c.want)
			}
		}
	}
}

// relativeLuminance is WCAG 2's relative luminance of an opaque colour.
func relativeLuminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// contrast is WCAG 2's contrast ratio of two opaque colours (1 to 21).
func contrast(a, b color.RGBA) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Every colour written as text reads on the surfaces it is written on, in
// both themes and with both palettes: WCAG AA's 4.5 for the text, 3 for the
// muted text and the status line's notes (short, bold enough at 13 px).
func TestThemeTextContrast(t *testing.T) {
	for _, name := range []string{ThemeDark, ThemeLight} {
		for _, pal := range []string{PaletteDefault, PaletteColorblind} {
			th := NewTheme(name, pal)
			if th.Name != name || th.PaletteName != pal {
				t.Fatalf("NewTheme(%q, %q) is %s", name, pal, th.Key())
			}
			for _, c := range []struct {
				what string
				fg   color.RGBA
				min  float64
			}{
				{"text", th.Text, 4.5},
				{"muted text", th.MutedText, 4.5},
				{"notice", th.Notice, 3},
				{"error", th.Error, 3},
			} {
				for _, bg := range []struct {
					what string
					c    color.RGBA
				}{{"background", th.Background}, {"panel", th.Panel}, {"control", th.Control}} {
					if r := contrast(c.fg, bg.c); r < c.min {
						t.Errorf("%s: %s %v on the %s %v: contrast %.2f < %.1f", th.Key(), c.what, c.fg, bg.what, bg.c, r, c.min)
					}
				}
			}
			light := relativeLuminance(th.Background) > 0.5
			if light != (name == ThemeLight) {
				t.Errorf("%s: background %v has luminance %.2f", th.Key(), th.Background, relativeLuminance(th.Background))
			}
		}
	}
}

// Machado, Oliveira and Fernandes (2009): the colours a protanope and a
// deuteranope see (severity 1), as matrices on linear RGB.
var (
	protanopia = [3][3]float64{
		{0.152286, 1.052583, -0.204868},
		{0.114503, 0.786281, 0.099216},
		{-0.003882, -0.048116, 1.051998},
	}
	deuteranopia = [3][3]float64{
		{0.367322, 0.860646, -0.227968},
		{0.280085, 0.672501, 0.047413},
		{-0.011820, 0.042940, 0.968881},
	}
	normalVision = [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
)

// seenLab is c as seen through m, in CIELAB (D65).
func seenLab(c color.RGBA, m [3][3]float64) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	in := [3]float64{lin(c.R), lin(c.G), lin(c.B)}
	var rgb [3]float64
	for i := range 3 {
		rgb[i] = min(1, max(0, m[i][0]*in[0]+m[i][1]*in[1]+m[i][2]*in[2]))
	}
	x := (0.4124*rgb[0] + 0.3576*rgb[1] + 0.1805*rgb[2]) / 0.95047
	y := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	z := (0.0193*rgb[0] + 0.1192*rgb[1] + 0.9505*rgb[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// closestPair is the smallest CIELAB distance (ΔE*ab) between two colours of
// p as seen through m, and which pair.
func closestPair(p []color.RGBA, m [3][3]float64) (d float64, i, j int) {
	d = math.Inf(1)
	for a := range p {
		for b := a + 1; b < len(p); b++ {
			la, lb := seenLab(p[a], m), seenLab(p[b], m)
			if e := math.Hypot(math.Hypot(la[0]-lb[0], la[1]-lb[1]), la[2]-lb[2]); e < d {
				d, i, j = e, a, b
			}
		}
	}
	return d, i, j
}

// The colour-blind palette's ten class colours stay apart (ΔE*ab ≥ 15,
// plainly different colours) for normal vision and under simulated
// protanopia and deuteranopia; the default palette does not (two of its
// colours are about 3 apart to a deuteranope), which is why the setting
// exists.
func TestPaletteDistinctUnderCVD(t *testing.T) {
	const minDE = 15
	vision := []struct {
		name string
		m    [3][3]float64
	}{{"normal", normalVision}, {"protanopia", protanopia}, {"deuteranopia", deuteranopia}}
	cb := ColorblindPalette()
	if len(cb) < 10 {
		t.Fatalf("%d colours: MNIST has 10 classes", len(cb))
	}
	for _, v := range vision {
		if d, i, j := closestPair(cb, v.m); d < minDE {
			t.Errorf("colour-blind palette under %s: colours %d %v and %d %v are %.1f apart", v.name, i, cb[i], j, cb[j], d)
		}
	}
	if d, i, j := closestPair(DefaultPalette(), deuteranopia); d >= minDE {
		t.Errorf("the default palette's closest pair under deuteranopia (%d, %d) is %.1f apart: the check cannot tell palettes apart", i, j, d)
	}
	// A grey against itself through the matrices stays grey (the
	// simulation keeps white white).
	if w := seenLab(color.RGBA{255, 255, 255, 255}, deuteranopia); math.Abs(w[0]-100) > 0.5 || math.Hypot(w[1], w[2]) > 1 {
		t.Errorf("white under deuteranopia is L*a*b* %.1f", w)
	}
	th := NewTheme(ThemeLight, PaletteColorblind)
	for k := range 10 {
		if th.ClassColor(k) != cb[k] {
			t.Errorf("class %d: %v, want %v", k, th.ClassColor(k), cb[k])
		}
	}
}

// The density maps read the same to colour-blind eyes: under simulated
// protanopia and deuteranopia, Viridis and Magma still rise in lightness
// from end to end (the order of values stays readable without hue), and
// Diverging still grows lighter away from its centre on both sides.
func TestColormapsReadUnderCVD(t *testing.T) {
	for _, v := range []struct {
		name string
		m    [3][3]float64
	}{{"protanopia", protanopia}, {"deuteranopia", deuteranopia}} {
		for _, cm := range []*Colormap{Viridis, Magma} {
			prev := -1.0
			for i := 0; i <= 50; i++ {
				l := seenLab(cm.At(float64(i)/50), v.m)[0]
				if l <= prev {
					t.Errorf("%s under %s: L* %.1f at %.2f after %.1f", cm.Name(), v.name, l, float64(i)/50, prev)
				}
				prev = l
			}
		}
		centre := seenLab(Diverging.At(0.5), v.m)[0]
		for _, end := range []float64{0, 1} {
			if l := seenLab(Diverging.At(end), v.m)[0]; l < centre+40 {
				t.Errorf("diverging under %s: end %v has L* %.1f, the centre %.1f", v.name, end, l, centre)
			}
		}
	}
}

// Every colour of every theme is premultiplied (no channel above its
// alpha), as image.RGBA and the blending here take them: a translucent
// white written as {255, 255, 255, 244} overflowed the blend and drew the
// light theme's labels and tooltips on black boxes.
func TestThemeColoursArePremultiplied(t *testing.T) {
	for _, name := range []string{ThemeDark, ThemeLight} {
		for _, palette := range []string{PaletteDefault, PaletteColorblind} {
			th := NewTheme(name, palette)
			v := reflect.ValueOf(th).Elem()
			for i := range v.NumField() {
				f := v.Field(i)
				var cs []color.RGBA
				switch c := f.Interface().(type) {
				case color.RGBA:
					cs = []color.RGBA{c}
				case []color.RGBA:
					cs = c
				}
				for _, c := range cs {
					if c.R > c.A || c.G > c.A || c.B > c.A {
						t.Errorf("%s/%s: %s %v is not premultiplied", name, palette, v.Type().Field(i).Name, c)
					}
				}
			}
			// And what it draws: a label box over white stays light.
			dst := image.NewRGBA(image.Rect(0, 0, 40, 20))
			FillRect(dst, dst.Bounds(), hex(0xffffff))
			FillRect(dst, dst.Bounds(), th.TooltipBG)
			if got := dst.RGBAAt(5, 5); name == ThemeLight && got.R < 0xf0 {
				t.Errorf("%s: the tooltip's box over white is %v", name, got)
			}
		}
	}
}
