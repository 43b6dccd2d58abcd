package render

import (
	"fmt"
	"image"
	"image/color"
	"testing"
)

// inkOf draws s black on white at size (bold or not) and returns the
// pixels with any ink, relative to the baseline's start.
func inkOf(t *testing.T, s string, size float64, bold bool) (map[image.Point]bool, image.Rectangle) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, 200))
	FillRect(img, img.Bounds(), color.RGBA{255, 255, 255, 255})
	DrawText(img, NewFace(size, bold), 50, 100, s, color.RGBA{0, 0, 0, 255}, AlignLeft, AlignBaseline)
	px := map[image.Point]bool{}
	var box image.Rectangle
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if img.RGBAAt(x, y).R < 160 {
				p := image.Pt(x-50, y-100)
				px[p] = true
				box = box.Union(image.Rectangle{p, p.Add(image.Pt(1, 1))})
			}
		}
	}
	return px, box
}

// TestVietnameseLetters: the letters with stacked marks that the Go fonts
// lack are drawn — not as the missing-glyph box — as their base letter with
// the marks where Vietnamese puts them: ế and ữ with ink above the base,
// ộ and ặ with a dot below the baseline, ơ and ư with a horn to the right.
func TestVietnameseLetters(t *testing.T) {
	for _, c := range []struct {
		letter, base      string
		above, below, wid bool
	}{
		{"ế", "ê", true, false, false},
		{"ộ", "ô", false, true, false},
		{"ữ", "u", true, false, true},
		{"ặ", "ă", false, true, false},
		{"ơ", "o", false, false, true},
		{"Ở", "O", true, false, true},
		{"ỉ", "ı", true, false, false},
	} {
		for _, size := range []float64{11, 13, 14, 26} {
			for _, bold := range []bool{false, true} {
				name := fmt.Sprintf("%s/%g/bold=%v", c.letter, size, bold)
				if _, ok := NewFace(size, bold).GlyphAdvance([]rune(c.letter)[0]); !ok {
					t.Errorf("%s: no glyph", name)
					continue
				}
				got, gb := inkOf(t, c.letter, size, bold)
				base, bb := inkOf(t, c.base, size, bold)
				tofu, _ := inkOf(t, "\uffff", size, bold)
				same := len(got) == len(tofu)
				for p := range tofu {
					same = same && got[p]
				}
				if same {
					t.Errorf("%s: drawn as the missing-glyph box", name)
				}
				// The base letter is all there.
				for p := range base {
					if !got[p] {
						t.Errorf("%s: the base %s lost its pixel %v", name, c.base, p)
						break
					}
				}
				// The marks add ink where they belong.
				extra := map[string]int{}
				for p := range got {
					switch {
					case base[p]:
					case p.Y < bb.Min.Y:
						extra["above"]++
					case p.Y >= max(bb.Max.Y, 1):
						extra["below"]++
					case p.X >= bb.Max.X:
						extra["right"]++
					default:
						extra["inside"]++
					}
				}
				if c.above && extra["above"] < 2 {
					t.Errorf("%s: no mark above %s (extra ink %v)", name, c.base, extra)
				}
				if c.below && (extra["below"] < 2 || gb.Max.Y <= bb.Max.Y) {
					t.Errorf("%s: no dot below %s (extra ink %v)", name, c.base, extra)
				}
				if c.wid && gb.Max.X <= bb.Max.X {
					t.Errorf("%s: no horn right of %s (ink %v, base %v)", name, c.base, gb, bb)
				}
				if !c.above && !c.wid && extra["above"] > 0 {
					t.Errorf("%s: ink above %s: %v", name, c.base, extra)
				}
			}
		}
	}
}

// TestVietnameseAdvance: a composed letter advances as text does (a
// string of them is as wide as its letters), and every Vietnamese letter
// has a glyph.
func TestVietnameseAdvance(t *testing.T) {
	f := NewFace(13, false)
	for r := range vietLetters {
		if _, ok := f.GlyphAdvance(r); !ok {
			t.Errorf("%c: no glyph", r)
		}
	}
	if w, w1 := TextWidth(f, "ếếếế"), TextWidth(f, "ế"); w1 <= 0 || w != 4*w1 {
		t.Errorf("width of ếếếế %d, of ế %d", w, w1)
	}
}
