package render

import (
	"image/color"
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
			{"notice", th.Notice, color.RGBA{0xef, 0xb1, 0x18, 0xff}},
			{"selection", th.Selection, color.RGBA{0xff, 0x72, 0x5c, 0xff}},
			{"error", th.Error, color.RGBA{0xff, 0x72, 0x5c, 0xff}},
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
