package playground

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// luminance is WCAG 2's relative luminance.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

func contrastRatio(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// strongestContrast is the largest contrast of a pixel of r against bg:
// the text written there, if any.
func strongestContrast(img *image.RGBA, r image.Rectangle, bg color.RGBA) float64 {
	best := 1.0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			best = max(best, contrastRatio(img.RGBAAt(x, y), bg))
		}
	}
	return best
}

// countColour counts the pixels of exactly c.
func countColour(img *image.RGBA, c color.RGBA) int {
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] == c.R && img.Pix[i+1] == c.G && img.Pix[i+2] == c.B {
			n++
		}
	}
	return n
}

// Every scene (the VAE on points and on images, the flow lab, the
// comparison) switches theme and class palette as a whole and at once when
// the setting changes: the background is light in the light theme, the top
// bar's and the column's text keep their contrast, and no pixel of the
// other theme's background or panel colour is left (a cached panel drawn
// in the old theme, or a colour written into a view by hand). The screens
// go to PLAYGROUND_SHOTS when set, to look at.
func TestThemeSwitchesEveryView(t *testing.T) {
	shots := os.Getenv("PLAYGROUND_SHOTS")
	for _, c := range []struct {
		name, hash string
		phone      bool // 390×844 CSS pixels at scale 3, for a finger: the sheet
	}{
		{"vae", "data=8gaussians", false},
		{"images", "data=shapes", false},
		{"flowlab", "mode=flowlab&target=u2", false},
		{"compare", "data=8gaussians&compare=prior:mixture", false},
		{"phone", "data=8gaussians", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, sc := newScreen(t, c.hash)
			if c.phone {
				sc = screenAt(s, 390, 844, 3, true)
			}
			t0 := time.Unix(0, 0)
			in := ui.Input{X: 5, Y: 5}
			s.Play()
			t0 = runFrames(sc, 40, in, t0)
			if sc.Theme().Name != render.ThemeDark {
				t.Fatalf("auto without a system preference drew %s, want dark", sc.Theme().Key())
			}
			steps := []struct{ theme, palette string }{
				{"light", "default"}, {"light", "colorblind"}, {"dark", "colorblind"}, {"light", "default"}, {"dark", "default"},
			}
			for _, st := range steps {
				before := sc.Theme()
				if err := errors.Join(s.Set("theme", st.theme), s.Set("palette", st.palette)); err != nil {
					t.Fatal(err)
				}
				// One frame switches everything: the drawing is not waiting
				// for a throttle.
				t0 = runFrames(sc, 1, in, t0)
				th := sc.Theme()
				if th.Name != st.theme || th.PaletteName != st.palette {
					t.Fatalf("set %s/%s: the screen draws %s", st.theme, st.palette, th.Key())
				}
				if got := sc.Frame.RGBAAt(sc.L.Window.Max.X-2, sc.L.Window.Max.Y-2); (luminance(got) > 0.5) != (st.theme == "light") {
					t.Errorf("%s: the corner pixel %v has luminance %.2f", th.Key(), got, luminance(got))
				}
				if before.Name != th.Name {
					old := []struct {
						what string
						c    color.RGBA
					}{{"panel", before.Panel}}
					if before.Name == render.ThemeDark { // white is content too (images, overlays)
						old = append(old, struct {
							what string
							c    color.RGBA
						}{"background", before.Background})
					}
					for _, old := range old {
						if n := countColour(sc.Frame, old.c); n > 0 {
							t.Errorf("%s after %s: %d pixels of the old %s %v are left", th.Key(), before.Key(), n, old.what, old.c)
						}
					}
				}
				if k := strongestContrast(sc.Frame, sc.topRects["play"], th.Control); k < 4.5 {
					t.Errorf("%s: the Play button's label has contrast %.2f", th.Key(), k)
				}
				// (A phone's controls panel is closed: no mode control.)
				if r := sc.controlRect["mode"]; !r.Empty() {
					if k := strongestContrast(sc.Frame, r, th.Panel); k < 4.5 {
						t.Errorf("%s: the mode control's label has contrast %.2f", th.Key(), k)
					}
				}
				if shots != "" {
					name := fmt.Sprintf("theme-%s-%s-%s.png", c.name, st.theme, st.palette)
					f, err := os.Create(filepath.Join(shots, name))
					if err != nil {
						t.Fatal(err)
					}
					png.Encode(f, sc.Frame)
					f.Close()
				}
			}
		})
	}
}

// theme=auto follows the system's preference as it changes (the browser's
// prefers-color-scheme); an explicit theme does not.
func TestThemeAutoFollowsTheSystem(t *testing.T) {
	s, sc := newScreen(t, "")
	t0 := runFrames(sc, 2, ui.Input{}, time.Unix(0, 0))
	sc.PrefersLight = true
	t0 = runFrames(sc, 1, ui.Input{}, t0)
	if sc.Theme().Name != render.ThemeLight {
		t.Fatalf("auto with a light preference draws %s", sc.Theme().Key())
	}
	if err := s.Set("theme", "dark"); err != nil {
		t.Fatal(err)
	}
	t0 = runFrames(sc, 1, ui.Input{}, t0)
	if sc.Theme().Name != render.ThemeDark {
		t.Fatalf("theme=dark with a light preference draws %s", sc.Theme().Key())
	}
	sc.PrefersLight = false
	if err := s.Set("theme", "auto"); err != nil {
		t.Fatal(err)
	}
	runFrames(sc, 1, ui.Input{}, t0)
	if sc.Theme().Name != render.ThemeDark {
		t.Fatalf("auto with a dark preference draws %s", sc.Theme().Key())
	}
}
