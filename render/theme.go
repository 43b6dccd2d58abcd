package render

import (
	"image/color"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// Theme holds the colours and font faces shared by the views. Make one with
// DarkTheme or LightTheme and pass it to the views that draw text or frames.
// Its font faces are not safe for concurrent use: give each goroutine its own
// Theme.
type Theme struct {
	// Name and PaletteName say which theme and class palette these are
	// ("dark" or "light"; "default" or "colorblind"): caches of drawn
	// panels key on Key.
	Name, PaletteName string

	Background color.RGBA // behind everything
	Panel      color.RGBA // behind a plot area
	Frame      color.RGBA // plot borders and tile frames
	GridLine   color.RGBA // chart grid lines
	Axis       color.RGBA // axis lines and ticks
	Text       color.RGBA // labels and values
	MutedText  color.RGBA // secondary text
	NoData     color.RGBA // NaN cells of a heatmap
	Overlay    color.RGBA // lines drawn over a heatmap (warped grids, contours)
	Palette    []color.RGBA

	// Accents: what a colour means across the views, named once.
	Sample        color.RGBA // the model's own samples
	Selection     color.RGBA // the selected code, its decode, the frame shown now
	PathLinear    color.RGBA // a linear interpolation path
	PathSpherical color.RGBA // a spherical (great-circle) path
	Notice        color.RGBA // notes from a link, thresholds
	Error         color.RGBA // a diverged run
	Scrim         color.RGBA // dims the screen behind the help

	// Controls: the surfaces of package ui's widgets.
	Accent       color.RGBA // a switched-on toggle, a slider's filled track, the chosen item
	Control      color.RGBA // a widget's surface (button, track, box, open list)
	ControlHover color.RGBA // the surface under the pointer
	Focus        color.RGBA // the ring around the widget that has the keyboard
	TooltipBG    color.RGBA // behind a tooltip (translucent)

	Small font.Face // tick labels, legends (11 px)
	Label font.Face // axis labels, values (13 px)
	Title font.Face // panel titles (14 px bold)
}

// Palette10 is a categorical palette (Observable 10) whose ten colours stay
// distinct from each other and legible on both dark and light backgrounds.
var palette10 = []uint32{
	0x4269d0, 0xefb118, 0xff725c, 0x6cc5b0, 0x3ca951,
	0xff8ab7, 0xa463f2, 0x97bbf5, 0x9c6b4e, 0x9498a0,
}

// paletteCVD is a class palette for colour-blind eyes: the seven colours of
// Okabe and Ito (2008) (black left out: it vanishes on the dark theme), then
// a violet, a pink and a brown chosen so that every pair stays at least
// 17 CIELAB units apart for normal vision and under simulated protanopia
// and deuteranopia (Observable 10's closest pair is 3 apart under
// deuteranopia). See TestPaletteDistinctUnderCVD.
var paletteCVD = []uint32{
	0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2,
	0xd55e00, 0xcc79a7, 0x7766ff, 0xffaabb, 0xaa7744,
}

// The names of the themes and class palettes (the playground's theme and
// palette settings).
const (
	ThemeDark         = "dark"
	ThemeLight        = "light"
	PaletteDefault    = "default"
	PaletteColorblind = "colorblind"
)

// setAccents takes the accents from the categorical palette (the class
// colours), so that an accent reads as the same hue wherever it is drawn.
func (t *Theme) setAccents() {
	p := t.Palette
	t.Scrim = color.RGBA{0, 0, 0, 0xa0}
	if t.PaletteName == PaletteColorblind {
		// Okabe–Ito's own roles: orange and blue, vermillion for what is
		// picked or wrong, green and purple for the two paths.
		t.Sample, t.Notice = p[0], p[0]
		t.Selection, t.Error = p[5], p[5]
		t.PathLinear, t.PathSpherical = p[2], p[6]
		t.Accent, t.Focus = p[4], p[1]
		return
	}
	t.Sample, t.Notice = p[1], p[1]
	t.Selection, t.Error = p[2], p[2]
	t.PathLinear, t.PathSpherical = p[3], p[6]
	t.Accent, t.Focus = p[0], p[7]
}

// DefaultPalette returns a fresh copy of the ten-colour categorical palette.
func DefaultPalette() []color.RGBA { return hexStops(palette10...) }

// ColorblindPalette returns a fresh copy of the colour-blind-safe class
// palette (Okabe–Ito and three more).
func ColorblindPalette() []color.RGBA { return hexStops(paletteCVD...) }

// NewTheme returns the theme called name (ThemeDark or ThemeLight) with the
// class palette called palette (PaletteDefault or PaletteColorblind); an
// unknown name gives the dark theme or the default palette.
func NewTheme(name, palette string) *Theme {
	mk := DarkTheme
	if name == ThemeLight {
		mk = LightTheme
	}
	t := mk()
	if palette == PaletteColorblind {
		t.UsePalette(palette)
	}
	return t
}

// UsePalette switches the class palette (and the accents drawn from it).
func (t *Theme) UsePalette(name string) {
	if name != PaletteColorblind {
		name = PaletteDefault
	}
	t.PaletteName = name
	if name == PaletteColorblind {
		t.Palette = ColorblindPalette()
	} else {
		t.Palette = DefaultPalette()
	}
	t.setAccents()
	if t.Name == ThemeLight {
		t.lightAccents()
	}
}

// Key names the theme and palette, for caches of what was drawn with them.
func (t *Theme) Key() string { return t.Name + "/" + t.PaletteName }

// DarkTheme returns the playground's dark theme.
func DarkTheme() *Theme {
	t := &Theme{
		Name: ThemeDark, PaletteName: PaletteDefault,
		Background: hex(0x14161b),
		Panel:      hex(0x1c1f26),
		Frame:      hex(0x3a3f4b),
		GridLine:   hex(0x2a2e37),
		Axis:       hex(0x6b7280),
		Text:       hex(0xe6e8ec),
		MutedText:  hex(0x9aa1ad),
		NoData:     hex(0x50545c),
		Overlay:    color.RGBA{0xff, 0xff, 0xff, 0xff},
		Palette:    DefaultPalette(),

		Control:      hex(0x2a2e38),
		ControlHover: hex(0x353a46),
		TooltipBG:    color.RGBA{0x0c, 0x0d, 0x10, 0xf0},
	}
	t.setAccents()
	t.setFaces()
	return t
}

// LightTheme returns the light theme (the playground's in a light
// setting, and printed reports).
func LightTheme() *Theme {
	t := &Theme{
		Name: ThemeLight, PaletteName: PaletteDefault,
		Background: hex(0xffffff),
		Panel:      hex(0xf7f7f9),
		Frame:      hex(0xc9ccd3),
		GridLine:   hex(0xe6e8ec),
		Axis:       hex(0x6b7280),
		Text:       hex(0x1f2329),
		MutedText:  hex(0x5c6370),
		NoData:     hex(0xbfc3ca),
		Overlay:    color.RGBA{0xff, 0xff, 0xff, 0xff},
		Palette:    DefaultPalette(),

		Control:      hex(0xe6e8ec),
		ControlHover: hex(0xd9dce2),
		TooltipBG:    WithAlpha(hex(0xffffff), 0xf4/255.0), // premultiplied, as every colour here
	}
	t.setAccents()
	t.lightAccents()
	t.setFaces()
	return t
}

// lightAccents darkens the accents that are written as text or thin lines
// on white, where the palette's light colours are faint (WCAG's contrast of
// 4.5 for text: TestThemeTextContrast).
func (t *Theme) lightAccents() {
	t.Focus = hex(0x2a4fa8)
	t.Notice = hex(0x8a5a00)
	t.Error = hex(0xb3261e)
}

// ClassColor returns the palette colour of class k (cycling), or the muted
// text colour for a negative class.
func (t *Theme) ClassColor(k int) color.RGBA {
	if k < 0 || len(t.Palette) == 0 {
		return t.MutedText
	}
	return t.Palette[k%len(t.Palette)]
}

// The parsed fonts are immutable and shared; only faces (which hold glyph
// caches) are made per theme.
var (
	regularFont = sync.OnceValue(func() *opentype.Font { return mustParse(goregular.TTF) })
	boldFont    = sync.OnceValue(func() *opentype.Font { return mustParse(gobold.TTF) })
)

func mustParse(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic("render: embedded Go font does not parse: " + err.Error())
	}
	return f
}

// NewFace returns a Go Regular (or Go Bold) face of the given pixel size.
func NewFace(size float64, bold bool) font.Face {
	f := regularFont()
	if bold {
		f = boldFont()
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("render: cannot make a face of the embedded Go font: " + err.Error())
	}
	return withVietnamese(face, f, size)
}

func (t *Theme) setFaces() {
	t.Small = NewFace(11, false)
	t.Label = NewFace(13, false)
	t.Title = NewFace(14, true)
}
