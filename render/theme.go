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

// setAccents takes the accents from the categorical palette (the class
// colours), so that an accent reads as the same hue wherever it is drawn.
func (t *Theme) setAccents() {
	p := DefaultPalette()
	t.Sample, t.Notice = p[1], p[1]
	t.Selection, t.Error = p[2], p[2]
	t.PathLinear, t.PathSpherical = p[3], p[6]
	t.Scrim = color.RGBA{0, 0, 0, 0xa0}
	t.Accent, t.Focus = p[0], p[7]
}

// DefaultPalette returns a fresh copy of the ten-colour categorical palette.
func DefaultPalette() []color.RGBA { return hexStops(palette10...) }

// DarkTheme returns the playground's dark theme.
func DarkTheme() *Theme {
	t := &Theme{
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

// LightTheme returns a light theme for printed reports.
func LightTheme() *Theme {
	t := &Theme{
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
		TooltipBG:    color.RGBA{0xff, 0xff, 0xff, 0xf4},
	}
	t.setAccents()
	t.Focus = hex(0x2a4fa8) // the palette's light blue is faint on white
	t.setFaces()
	return t
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
