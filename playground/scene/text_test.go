package scene_test

import (
	"image"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
)

func TestFitText(t *testing.T) {
	face := render.NewFace(11, false)
	long := "nats per dim on the last batch; dashed: 0.05 (below: collapsed)"
	if got := scene.FitText(face, 1000, long, "short"); got != long {
		t.Errorf("wide enough: %q", got)
	}
	if got := scene.FitText(face, 60, long, "short"); got != "short" {
		t.Errorf("the shorter form: %q", got)
	}
	got := scene.FitText(face, 50, "a long caption that cannot fit")
	if !strings.HasSuffix(got, "…") || render.TextWidth(face, got) > 50 {
		t.Errorf("cut: %q (%d px)", got, render.TextWidth(face, got))
	}
}

func TestSquareIn(t *testing.T) {
	for _, c := range []struct{ r, want image.Rectangle }{
		{image.Rect(0, 0, 100, 40), image.Rect(30, 0, 70, 40)},
		{image.Rect(10, 10, 50, 110), image.Rect(10, 40, 50, 80)},
	} {
		if got := scene.SquareIn(c.r); got != c.want {
			t.Errorf("SquareIn(%v) = %v, want %v", c.r, got, c.want)
		}
	}
}
