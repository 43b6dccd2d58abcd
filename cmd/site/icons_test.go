package main

import (
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestIconsDrawTheSVG draws web/icon.svg into PNGs and looks at pixels the
// SVG decides: the background's colour, a dot's, a ring's, and the
// transparent corner outside the rounded rectangle.
func TestIconsDrawTheSVG(t *testing.T) {
	out := t.TempDir()
	if err := writeIcons(out, "../../web/icon.svg"); err != nil {
		t.Fatal(err)
	}
	for _, size := range iconSizes {
		f, err := os.Open(filepath.Join(out, fmt.Sprintf("icon-%d.png", size)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("icon-%d.png is %v", size, b)
		}
		at := func(x, y float64) color.RGBA { // viewBox units (64)
			return color.RGBAModel.Convert(img.At(int(x*float64(size)/64), int(y*float64(size)/64))).(color.RGBA)
		}
		for _, c := range []struct {
			x, y float64
			want color.RGBA
			what string
		}{
			{0.3, 0.3, color.RGBA{}, "the corner outside the rounded rect"},
			{6, 32, color.RGBA{0x1b, 0x20, 0x30, 255}, "the background"},
			{23, 27, color.RGBA{0x5e, 0xc8, 0xa0, 255}, "the green dot"},
			{39, 24, color.RGBA{0xf2, 0xc1, 0x4e, 255}, "the yellow dot"},
			{32, 10, color.RGBA{0x3b, 0x4a, 0x6b, 255}, "the outer ring"},
			{32, 16, color.RGBA{0x1b, 0x20, 0x30, 255}, "between the rings"},
		} {
			if got := at(c.x, c.y); got != c.want {
				t.Errorf("icon-%d.png at (%v, %v), %s: %v, want %v", size, c.x, c.y, c.what, got, c.want)
			}
		}
	}
}

func TestIconRefusesWhatItCannotDraw(t *testing.T) {
	p := filepath.Join(t.TempDir(), "icon.svg")
	os.WriteFile(p, []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><path d="M0 0h9"/></svg>`), 0o644)
	if err := writeIcons(t.TempDir(), p); err == nil {
		t.Error("an icon with a <path> was drawn without it")
	}
}
