package render_test

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/vaeplayground/vae/render"
)

// ExampleHeatmap draws the log-density of N(0, I) over [−3, 3]² into a
// 60×60 image. AutoLogRange puts the peak at the colormap's top and the
// lowest value (a corner; never more than 12 nats below the peak) at its
// bottom.
func ExampleHeatmap() {
	g := render.NewGrid(render.DataRect(-3, -3, 3, 3), 32, 32)
	g.Fill(func(p render.Point) float64 {
		return -0.5*(p.X*p.X+p.Y*p.Y) - math.Log(2*math.Pi)
	})
	img := image.NewRGBA(image.Rect(0, 0, 60, 60))
	vp := render.NewViewport(g.Bounds, img.Bounds())
	vr := render.AutoLogRange(g.Values, 0)
	render.Heatmap(img, vp, g, render.Viridis, vr, color.RGBA{})

	fmt.Printf("range [%.2f, %.2f]\n", vr.Lo, vr.Hi)
	fmt.Println("centre:", img.RGBAAt(30, 30), "top:", render.Viridis.At(1))
	fmt.Println("corner:", img.RGBAAt(0, 0), "bottom:", render.Viridis.At(0))
	// Output:
	// range [-10.28, -1.85]
	// centre: {253 231 37 255} top: {253 231 37 255}
	// corner: {68 1 84 255} bottom: {68 1 84 255}
}
