package render

import (
	"image"
	"testing"
)

// inkBounds returns the smallest rectangle holding every pixel with alpha.
func inkBounds(img *image.RGBA) image.Rectangle {
	var r image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.RGBAAt(x, y).A != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func TestDrawTextAlignment(t *testing.T) {
	th := DarkTheme()
	for _, c := range []struct {
		h Align
		v VAlign
	}{{AlignLeft, AlignTop}, {AlignCenter, AlignMiddle}, {AlignRight, AlignBottom}} {
		img := image.NewRGBA(image.Rect(0, 0, 200, 60))
		box := DrawText(img, th.Label, 100, 30, "Latent z", th.Text, c.h, c.v)
		ink := inkBounds(img)
		if ink.Empty() || !ink.In(box.Inset(-1)) {
			t.Errorf("%v/%v: ink %v outside the reported box %v", c.h, c.v, ink, box)
		}
		switch c.h {
		case AlignLeft:
			if ink.Min.X < 100 || ink.Min.X > 102 {
				t.Errorf("left-aligned text starts at %d", ink.Min.X)
			}
		case AlignRight:
			if ink.Max.X > 100 || ink.Max.X < 97 {
				t.Errorf("right-aligned text ends at %d", ink.Max.X)
			}
		case AlignCenter:
			if mid := (ink.Min.X + ink.Max.X) / 2; mid < 98 || mid > 102 {
				t.Errorf("centred text centred at %d", mid)
			}
		}
	}
}

func TestDrawTextVerticalReadsUpwards(t *testing.T) {
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 40, 200))
	DrawTextVertical(img, th.Label, 20, 100, "reconstruction", th.Text)
	ink := inkBounds(img)
	if !(ink.Dy() > 3*ink.Dx()) {
		t.Fatalf("vertical text ink %v is not tall and thin", ink)
	}
	if mid := (ink.Min.Y + ink.Max.Y) / 2; mid < 96 || mid > 104 {
		t.Errorf("vertical text centred at y=%d", mid)
	}
}

func TestDrawParagraphWraps(t *testing.T) {
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	r := image.Rect(10, 10, 130, 190)
	text := "The KL term pulls every posterior towards the prior; when it wins, a latent dimension collapses and carries no information."
	bottom := DrawParagraph(img, th.Small, r, text, th.Text)
	ink := inkBounds(img)
	if !ink.In(r) {
		t.Errorf("paragraph ink %v leaves its box %v", ink, r)
	}
	if lines := (bottom - r.Min.Y) / LineHeight(th.Small); lines < 4 {
		t.Errorf("only %d lines for a long text in a narrow box", lines)
	}
}
