package ui_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

func TestRowsFixedFlexAndGap(t *testing.T) {
	l := ui.Layout{Scale: 1, Gap: 10}
	r := image.Rect(5, 20, 105, 220) // 200 high
	got := l.Rows(nil, r, ui.Fixed(30), ui.Flex(1), ui.Fixed(20), ui.Flex(3))
	// 200 − 30 − 20 − 3·10 = 120 shared 1:3.
	want := []image.Rectangle{
		image.Rect(5, 20, 105, 50),
		image.Rect(5, 60, 105, 90),
		image.Rect(5, 100, 105, 120),
		image.Rect(5, 130, 105, 220),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
}

func TestColumnsMirrorRows(t *testing.T) {
	l := ui.Layout{Scale: 2, Gap: 4}
	r := image.Rect(0, 0, 300, 40)
	cols := l.Columns(nil, r, ui.Fixed(50), ui.Flex(1))
	rows := l.Rows(nil, image.Rect(0, 0, 40, 300), ui.Fixed(50), ui.Flex(1))
	for i := range cols {
		c, w := cols[i], rows[i]
		if c.Min.X != w.Min.Y || c.Max.X != w.Max.Y || c.Dy() != 40 || w.Dx() != 40 {
			t.Fatalf("column %v and row %v are not transposes", c, w)
		}
	}
	if cols[0].Dx() != 100 || cols[1].Min.X != 108 || cols[1].Max.X != 300 {
		t.Fatalf("at scale 2: %v", cols)
	}
}

// TestRowsScaleAppliedOnce: at a fractional scale the rows tile the
// rectangle with gaps of the scaled size and no drift: the last edge is
// where one multiplication puts it.
func TestRowsScaleAppliedOnce(t *testing.T) {
	l := ui.Layout{Scale: 1.25, Gap: 3}
	sizes := make([]ui.Size, 20)
	for i := range sizes {
		sizes[i] = ui.Fixed(13)
	}
	rows := l.Rows(nil, image.Rect(0, 0, 10, 1000), sizes...)
	for i := 1; i < len(rows); i++ {
		if g := rows[i].Min.Y - rows[i-1].Max.Y; g < 3 || g > 4 {
			t.Fatalf("gap %d before row %d (3.75 px wanted)", g, i)
		}
		if h := rows[i].Dy(); h < 16 || h > 17 {
			t.Fatalf("row %d is %d px (16.25 wanted)", i, h)
		}
	}
	// 20 rows of 13 and 19 gaps of 3 CSS px: 317 CSS px = 396.25 device px.
	if end := rows[19].Max.Y; end != 396 {
		t.Fatalf("last edge at %d, want 396", end)
	}
}

func TestRowsOverflowAndEdgeCases(t *testing.T) {
	l := ui.Layout{Gap: 5} // zero scale means 1
	r := image.Rect(0, 0, 10, 50)
	rows := l.Rows(nil, r, ui.Fixed(40), ui.Flex(1), ui.Fixed(20))
	if rows[1].Dy() != 0 || rows[2].Max.Y != 70 {
		t.Errorf("overfull: %v (flexible row empty, the rest past the bottom)", rows)
	}
	if got := l.Rows(nil, r); len(got) != 0 {
		t.Errorf("no sizes: %v", got)
	}
	if got := l.Rows(nil, r, ui.Flex(0), ui.Flex(-2)); got[0].Dy() != 0 || got[1].Dy() != 0 {
		t.Errorf("zero weights share nothing: %v", got)
	}
	if got := l.Rows(nil, r, ui.Fixed(-3), ui.Flex(1)); got[0].Dy() != 0 || got[1] != image.Rect(0, 5, 10, 50) {
		t.Errorf("a negative size: %v", got)
	}
	one := l.Rows(nil, r, ui.Flex(1))
	if one[0] != r {
		t.Errorf("one flexible row %v, want all of %v", one[0], r)
	}
	// The destination is reused.
	buf := make([]image.Rectangle, 0, 8)
	out := l.Rows(buf, r, ui.Fixed(10), ui.Fixed(10))
	if len(out) != 2 || &out[:1][0] != &buf[:1][0] {
		t.Errorf("the destination's array was not reused")
	}
}

func TestContextLayoutUsesItsScale(t *testing.T) {
	c := ui.NewContext(render.DarkTheme(), 2)
	rows := c.Layout(4).Rows(nil, image.Rect(0, 0, 100, 100), ui.Fixed(10), ui.Flex(1))
	if rows[0].Dy() != 20 || rows[1].Min.Y != 28 || rows[1].Max.Y != 100 {
		t.Fatalf("at the context's scale 2: %v", rows)
	}
}

// TestDefaultStyleTakesThemeColours: the widgets draw with the theme's
// named colours, the dark theme's as they were when they were literals.
func TestDefaultStyleTakesThemeColours(t *testing.T) {
	th := render.DarkTheme()
	s := ui.DefaultStyle(th)
	if s.Control != th.Control || s.ControlHover != th.ControlHover || s.TipBG != th.TooltipBG || s.Accent != th.Accent {
		t.Fatalf("style %+v does not follow the theme", s)
	}
	want := "{42 46 56 255} {53 58 70 255} {12 13 16 240} {66 105 208 255}"
	if got := fmt.Sprint(th.Control, th.ControlHover, th.TooltipBG, th.Accent); got != want {
		t.Errorf("dark widget colours %s, want %s", got, want)
	}
	lt := render.LightTheme()
	if lt.Control == th.Control || lt.Control == lt.Background || lt.Focus == lt.Background {
		t.Errorf("light theme controls %v focus %v on %v", lt.Control, lt.Focus, lt.Background)
	}
}
