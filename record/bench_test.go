package record

import (
	"image"
	"io"
	"math"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
)

// benchSizes are the whole screen of a laptop window and one view.
var benchSizes = []struct {
	name string
	size image.Point
}{{"1280x800", image.Pt(1280, 800)}, {"400x400", image.Pt(400, 400)}}

// benchFrames draws n different frames of a moving heatmap view.
func benchFrames(size image.Point, n int) []*image.RGBA {
	th := render.DarkTheme()
	out := make([]*image.RGBA, n)
	for i := range out {
		out[i] = image.NewRGBA(image.Rectangle{Max: size})
		heatmapFrame(out[i], float64(i)*0.5, th)
	}
	return out
}

// BenchmarkGIFCapture is what recording costs the drawing thread per frame.
func BenchmarkGIFCapture(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			img := benchFrames(s.size, 1)[0]
			g, err := NewGIF(io.Discard, s.size, &GIFOptions{MaxFrames: math.MaxInt32, MaxPending: 1, FPS: 50})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(img.Pix)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if ok, err := g.Capture(time.Duration(i)*time.Second, img, img.Bounds()); !ok || err != nil {
					b.Fatal(ok, err)
				}
				// Hand the buffer back without encoding: only the copy is timed.
				g.mu.Lock()
				g.free = append(g.free, g.pending...)
				g.pending = g.pending[:0]
				g.mu.Unlock()
			}
		})
	}
}

// BenchmarkGIFEncode is the encoder's work per frame (quantise, difference,
// LZW) when every frame changes: the worst case, a whole moving view.
func BenchmarkGIFEncode(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			frames := benchFrames(s.size, 8)
			th := render.DarkTheme()
			g, err := NewGIF(io.Discard, s.size, &GIFOptions{MaxFrames: math.MaxInt32, Reserved: themeColors(th)})
			if err != nil {
				b.Fatal(err)
			}
			at := time.Duration(0)
			capture := func(i int) {
				at += time.Second
				if ok, err := g.Capture(at, frames[i%len(frames)], frames[0].Bounds()); !ok || err != nil {
					b.Fatal(ok, err)
				}
				if _, err := g.Work(math.MaxInt); err != nil {
					b.Fatal(err)
				}
			}
			capture(0) // the palette is built once, not per frame
			b.ReportAllocs()
			for i := 1; b.Loop(); i++ {
				capture(i)
			}
			b.ReportMetric(float64(g.Stats().Bytes)/float64(g.Stats().Captured), "B/frame")
		})
	}
	// The usual screen: 1280×800 of which one 400×400 view moves.
	b.Run("1280x800-one-view-moves", func(b *testing.B) {
		th := render.DarkTheme()
		views := benchFrames(image.Pt(400, 400), 8)
		screen := image.NewRGBA(image.Rect(0, 0, 1280, 800))
		heatmapFrame(screen, 0, th)
		view := image.Rect(440, 200, 840, 600)
		g, err := NewGIF(io.Discard, screen.Rect.Size(), &GIFOptions{MaxFrames: math.MaxInt32, Reserved: themeColors(th)})
		if err != nil {
			b.Fatal(err)
		}
		at := time.Duration(0)
		capture := func(i int) {
			v := views[i%len(views)]
			for y := range 400 {
				o := screen.PixOffset(view.Min.X, view.Min.Y+y)
				copy(screen.Pix[o:o+4*400], v.Pix[v.PixOffset(0, y):v.PixOffset(0, y+1)])
			}
			at += time.Second
			if ok, err := g.Capture(at, screen, screen.Rect); !ok || err != nil {
				b.Fatal(ok, err)
			}
			if _, err := g.Work(math.MaxInt); err != nil {
				b.Fatal(err)
			}
		}
		capture(0)
		for i := 1; b.Loop(); i++ {
			capture(i)
		}
		b.ReportMetric(float64(g.Stats().Bytes)/float64(g.Stats().Captured), "B/frame")
	})
}
