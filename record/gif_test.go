package record

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
)

// heatmapFrame draws what a recorded view looks like: a panel with a
// viridis density heatmap whose peak sits at phase, class-coloured dots and
// a title, on the theme's background.
func heatmapFrame(img *image.RGBA, phase float64, th *render.Theme) {
	b := img.Bounds()
	render.FillRect(img, b, th.Background)
	plot := image.Rect(b.Min.X+20, b.Min.Y+30, b.Max.X-20, b.Max.Y-20)
	render.FillRect(img, plot, th.Panel)
	vp := render.FitViewport(render.DataRect(-4, -4, 4, 4), plot.Inset(8))
	grid := render.NewGrid(vp.Data, 80, 80)
	cx, cy := 2*math.Cos(phase), 2*math.Sin(phase)
	grid.Fill(func(p render.Point) float64 {
		return -0.5*((p.X-cx)*(p.X-cx)+(p.Y-cy)*(p.Y-cy)) - 0.1*(p.X*p.X+p.Y*p.Y)
	})
	render.Heatmap(img, vp, grid, render.Viridis, render.AutoLogRange(grid.Values, 0), th.NoData)
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]render.Point, 60)
	cls := make([]int, len(pts))
	for i := range pts {
		pts[i] = render.Point{X: cx + 0.5*rng.NormFloat64(), Y: cy + 0.5*rng.NormFloat64()}
		cls[i] = i % 4
	}
	render.Scatter(img, vp, pts, render.ClassColors(cls, th.Palette, 1), 2)
	render.DrawText(img, th.Title, b.Min.X+20, b.Min.Y+8, "latent space", th.Text, render.AlignLeft, render.AlignTop)
}

func themeColors(th *render.Theme) []color.RGBA {
	return append([]color.RGBA{th.Background, th.Panel, th.Text, th.NoData}, th.Palette...)
}

// record captures frames (each drawn by draw(i)) at 10/s and finishes.
func record(t testing.TB, size image.Point, n int, opt *GIFOptions, draw func(img *image.RGBA, i int)) ([]byte, []*image.RGBA) {
	t.Helper()
	var out bytes.Buffer
	g, err := NewGIF(&out, size, opt)
	if err != nil {
		t.Fatal(err)
	}
	var frames []*image.RGBA
	for i := range n {
		img := image.NewRGBA(image.Rectangle{Max: size})
		draw(img, i)
		ok, err := g.Capture(time.Duration(i)*100*time.Millisecond, img, img.Bounds())
		if err != nil || !ok {
			t.Fatalf("frame %d: captured %v, %v", i, ok, err)
		}
		frames = append(frames, img)
		if _, err := g.Work(math.MaxInt); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Finish(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), frames
}

// composite plays the decoded GIF: each frame drawn over the last (the
// disposal we write), transparent pixels showing what was there.
func composite(t testing.TB, a *gif.GIF) []*image.RGBA {
	t.Helper()
	canvas := image.NewRGBA(image.Rect(0, 0, a.Config.Width, a.Config.Height))
	var out []*image.RGBA
	for i, p := range a.Image {
		if a.Disposal[i] != gif.DisposalNone {
			t.Fatalf("frame %d: disposal %d", i, a.Disposal[i])
		}
		for y := p.Rect.Min.Y; y < p.Rect.Max.Y; y++ {
			for x := p.Rect.Min.X; x < p.Rect.Max.X; x++ {
				c := p.Palette[p.ColorIndexAt(x, y)].(color.RGBA)
				if c.A == 0 {
					continue // transparent
				}
				canvas.SetRGBA(x, y, c)
			}
		}
		out = append(out, image.NewRGBA(canvas.Rect))
		copy(out[i].Pix, canvas.Pix)
	}
	return out
}

// colourError is the mean and largest per-channel difference of two images.
func colourError(a, b *image.RGBA) (mean float64, most int) {
	sum := 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := range 3 {
			d := int(a.Pix[i+c]) - int(b.Pix[i+c])
			if d < 0 {
				d = -d
			}
			sum += d
			most = max(most, d)
		}
	}
	return float64(sum) / float64(3*len(a.Pix)/4), most
}

// farPixels is the fraction of pixels with a channel off by more than d.
func farPixels(a, b *image.RGBA, d int) float64 {
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := range 3 {
			if x := int(a.Pix[i+c]) - int(b.Pix[i+c]); x > d || x < -d {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a.Pix)/4)
}

func TestGIFDecodesWithFramesSizeAndColours(t *testing.T) {
	th := render.DarkTheme()
	size := image.Pt(240, 200)
	data, frames := record(t, size, 12, &GIFOptions{Reserved: themeColors(th)}, func(img *image.RGBA, i int) {
		heatmapFrame(img, float64(i)*0.3, th)
	})
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Image) != 12 || a.Config.Width != 240 || a.Config.Height != 200 {
		t.Fatalf("%d frames of %dx%d, want 12 of 240x200", len(a.Image), a.Config.Width, a.Config.Height)
	}
	if a.LoopCount != 0 {
		t.Errorf("loop count %d, want 0 (for ever)", a.LoopCount)
	}
	for i, d := range a.Delay {
		if d != 10 {
			t.Errorf("frame %d: delay %d cs, want 10 (10 frames/s)", i, d)
		}
	}
	played := composite(t, a)
	for i := range frames {
		mean, most := colourError(frames[i], played[i])
		far := farPixels(frames[i], played[i], 8)
		// Median cut over the first frame's sample, no dithering: measured
		// mean 0.3, largest 24 on a few anti-aliased dot edges (a colour
		// within farColor of an entry gets none of its own), 0.1% off by
		// more than 8.
		if mean > 1 || most > 32 || far > 0.005 {
			t.Errorf("frame %d: colour error mean %.2f, largest %d, %.2f%% off by > 8; want ≤ 1, ≤ 32, ≤ 0.5%%", i, mean, most, 100*far)
		}
	}
	// Theme colours are reserved: a flat panel or a class dot's centre
	// comes through exactly.
	for _, p := range []image.Point{{2, 2}, {22, 32}} {
		for i := range frames {
			if got, want := played[i].RGBAAt(p.X, p.Y), frames[i].RGBAAt(p.X, p.Y); got != want {
				t.Errorf("frame %d at %v: %v, want the exact %v", i, p, got, want)
			}
		}
	}
}

// A heatmap alone: the gradient must come through smoothly — every pixel
// close to its colour, and neighbouring colours never jump by more than the
// colour map itself does plus a palette step.
func TestGIFKeepsAHeatmapSmooth(t *testing.T) {
	size := image.Pt(256, 64)
	draw := func(img *image.RGBA, _ int) {
		for y := range size.Y {
			for x := range size.X {
				img.SetRGBA(x, y, render.Viridis.At(float64(x)/255))
			}
		}
	}
	data, frames := record(t, size, 1, nil, draw)
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	played := composite(t, a)[0]
	mean, most := colourError(frames[0], played)
	if mean > 1.2 || most > 4 {
		t.Errorf("viridis ramp: colour error mean %.2f, largest %d; want ≤ 1.2 and ≤ 4", mean, most)
	}
}

func TestGIFWorkSlicesWriteTheSameBytes(t *testing.T) {
	th := render.DarkTheme()
	size := image.Pt(160, 120)
	draw := func(img *image.RGBA, i int) { heatmapFrame(img, float64(i)*0.4, th) }
	whole, _ := record(t, size, 6, &GIFOptions{Reserved: themeColors(th)}, draw)

	for _, budget := range []int{1, 37, 1000} {
		var out bytes.Buffer
		g, err := NewGIF(&out, size, &GIFOptions{Reserved: themeColors(th), MaxPending: 6})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(budget), 1))
		img := image.NewRGBA(image.Rectangle{Max: size})
		for i := range 6 {
			draw(img, i)
			if ok, err := g.Capture(time.Duration(i)*100*time.Millisecond, img, img.Bounds()); !ok || err != nil {
				t.Fatalf("frame %d: %v %v", i, ok, err)
			}
			for range rng.IntN(20) { // some slices between frames, never all
				if _, err := g.Work(budget); err != nil {
					t.Fatal(err)
				}
			}
		}
		g.Stop()
		calls := 0
		for {
			done, err := g.Work(budget)
			if err != nil {
				t.Fatal(err)
			}
			calls++
			if done {
				break
			}
		}
		if !bytes.Equal(out.Bytes(), whole) {
			t.Errorf("budget %d: %d bytes differ from one call's %d", budget, out.Len(), len(whole))
		}
		if budget == 1 && calls < 100 {
			t.Errorf("budget 1 finished in %d calls: the slices are not small", calls)
		}
	}
}

func TestGIFRunInAGoroutine(t *testing.T) {
	th := render.DarkTheme()
	size := image.Pt(120, 90)
	draw := func(img *image.RGBA, i int) { heatmapFrame(img, float64(i), th) }
	want, _ := record(t, size, 5, nil, draw)
	var out bytes.Buffer
	g, _ := NewGIF(&out, size, &GIFOptions{MaxPending: 5})
	errc := make(chan error)
	go func() { errc <- g.Run() }()
	img := image.NewRGBA(image.Rectangle{Max: size})
	for i := range 5 {
		draw(img, i)
		if ok, err := g.Capture(time.Duration(i)*100*time.Millisecond, img, img.Bounds()); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	// With one frame of room, CaptureWait waits for the encoder instead of
	// dropping: every frame arrives.
	var waited bytes.Buffer
	gw, _ := NewGIF(&waited, size, &GIFOptions{MaxPending: 1})
	go func() { errc <- gw.Run() }()
	for i := range 5 {
		draw(img, i)
		if ok, err := gw.CaptureWait(time.Duration(i)*100*time.Millisecond, img, img.Bounds()); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	gw.Stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(waited.Bytes(), want) || gw.Stats().Dropped != 0 {
		t.Errorf("CaptureWait: %d bytes unlike %d, %d dropped", waited.Len(), len(want), gw.Stats().Dropped)
	}
	g.Stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("Run wrote %d bytes unlike Finish's %d", out.Len(), len(want))
	}
	if s := g.Stats(); s.Encoded != 5 || s.Bytes != int64(len(want)) {
		t.Errorf("stats %+v", s)
	}
}

func TestGIFOnlyChangedRectangles(t *testing.T) {
	size := image.Pt(100, 80)
	bg := color.RGBA{20, 22, 27, 255}
	draw := func(img *image.RGBA, i int) {
		render.FillRect(img, img.Bounds(), bg)
		if i >= 1 {
			render.FillRect(img, image.Rect(30, 20, 40, 25), color.RGBA{255, 0, 0, 255})
		}
		if i >= 3 {
			render.FillRect(img, image.Rect(70, 60, 72, 70), color.RGBA{0, 255, 0, 255})
		}
	}
	data, frames := record(t, size, 4, &GIFOptions{Reserved: []color.RGBA{bg}}, draw)
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []image.Rectangle{image.Rect(0, 0, 100, 80), image.Rect(30, 20, 40, 25), image.Rect(0, 0, 1, 1), image.Rect(70, 60, 72, 70)}
	for i, p := range a.Image {
		if p.Rect != want[i] {
			t.Errorf("frame %d covers %v, want %v", i, p.Rect, want[i])
		}
	}
	for i, p := range composite(t, a) {
		if mean, most := colourError(frames[i], p); most != 0 {
			t.Errorf("frame %d: flat colours off by %d (mean %.2f)", i, most, mean)
		}
	}
}

func TestGIFRateDelaysCapAndDrops(t *testing.T) {
	size := image.Pt(8, 8)
	img := image.NewRGBA(image.Rectangle{Max: size})
	var out bytes.Buffer
	g, err := NewGIF(&out, size, &GIFOptions{FPS: 10, MaxFrames: 4, MaxPending: 2})
	if err != nil {
		t.Fatal(err)
	}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	offer := func(at time.Duration, want bool) {
		t.Helper()
		img.Pix[0] = byte(at / time.Millisecond) // every frame differs
		ok, err := g.Capture(at, img, img.Bounds())
		if err != nil || ok != want {
			t.Fatalf("capture at %v: %v, %v; want %v", at, ok, err, want)
		}
	}
	if !g.Idle() {
		t.Error("idle before any frame")
	}
	offer(ms(1000), true) // the first frame whenever it comes
	if g.Idle() {
		t.Error("idle with a frame to encode")
	}
	offer(ms(1050), false)
	if g.Due(ms(1099)) || !g.Due(ms(1100)) {
		t.Error("Due does not follow 10 frames/s")
	}
	offer(ms(1130), true)
	offer(ms(1230), false) // two pending already: dropped
	if s := g.Stats(); s.Dropped != 1 || s.Captured != 2 {
		t.Fatalf("stats %+v, want 1 dropped of 3", s)
	}
	g.Work(math.MaxInt)
	offer(ms(1400), true) // far behind: the next is due 100 ms after this one
	offer(ms(1450), false)
	offer(ms(1500), true)
	if s := g.Stats(); !s.Full || g.Due(ms(5000)) {
		t.Errorf("after 4 frames: %+v, due %v; want full", s, g.Due(ms(5000)))
	}
	offer(ms(5000), false)
	g.StopAt(ms(1800)) // the last frame shows until the stop
	if err := g.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := gif.DecodeAll(&out)
	if err != nil {
		t.Fatal(err)
	}
	// Playback follows the capture times (a dropped frame stretches the
	// one before it); the last frame shows until the stop.
	if want := []int{13, 27, 10, 30}; len(a.Delay) != 4 || a.Delay[0] != want[0] || a.Delay[1] != want[1] || a.Delay[2] != want[2] || a.Delay[3] != want[3] {
		t.Errorf("delays %v, want %v", a.Delay, want)
	}
}

func TestGIFDownscale(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			v := uint8(0)
			if (x+y)%2 == 0 {
				v = 200
			}
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	var out bytes.Buffer
	// A capture rectangle inside a larger screen, shrunk by 2.
	g, err := NewGIF(&out, image.Pt(20, 10), &GIFOptions{Downscale: 2, Reserved: []color.RGBA{{100, 100, 100, 255}}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := g.Capture(0, img, image.Rect(10, 10, 30, 20)); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// The second frame changes a 4×2 block of the screen: 2×1 pixels of
	// the recording.
	render.FillRect(img, image.Rect(20, 12, 24, 14), color.RGBA{255, 0, 0, 255})
	if ok, err := g.Capture(time.Second, img, image.Rect(10, 10, 30, 20)); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := g.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := gif.DecodeAll(&out)
	if err != nil {
		t.Fatal(err)
	}
	if a.Config.Width != 10 || a.Config.Height != 5 {
		t.Fatalf("size %dx%d, want 10x5", a.Config.Width, a.Config.Height)
	}
	played := composite(t, a)
	if c := played[0].RGBAAt(3, 2); c != (color.RGBA{100, 100, 100, 255}) {
		t.Errorf("a 2×2 checker averages to %v, want grey 100", c)
	}
	if len(a.Image) != 2 || a.Image[1].Rect != image.Rect(5, 1, 7, 2) {
		t.Fatalf("second frame %v, want (5,1)-(7,2)", a.Image[1].Rect)
	}
	if c := played[1].RGBAAt(5, 1); c.R < 200 || c.G > 40 {
		t.Errorf("the changed block came through as %v", c)
	}
	if played[1].RGBAAt(3, 2) != played[0].RGBAAt(3, 2) {
		t.Error("an unchanged pixel changed")
	}
}

func TestGIFRefusesBadInput(t *testing.T) {
	var out bytes.Buffer
	for _, o := range []GIFOptions{{FPS: -1}, {FPS: 100}, {MaxFrames: -2}, {Downscale: 40}, {MaxPending: -1}, {Palette: make([]color.RGBA, 256)}} {
		if _, err := NewGIF(&out, image.Pt(10, 10), &o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if _, err := NewGIF(&out, image.Pt(0, 10), nil); err == nil {
		t.Error("an empty frame size accepted")
	}
	g, _ := NewGIF(&out, image.Pt(10, 10), nil)
	img := image.NewRGBA(image.Rect(0, 0, 12, 12))
	if _, err := g.Capture(0, img, image.Rect(0, 0, 11, 10)); err == nil {
		t.Error("a rectangle of another size accepted")
	}
	if _, err := g.Capture(0, img, image.Rect(5, 5, 15, 15)); err == nil {
		t.Error("a rectangle outside the image accepted")
	}
	if err := g.Finish(); err == nil {
		t.Error("a recording without frames finished")
	}
}

// A palette given in the options is used as is, after the reserved colours.
func TestGIFGivenPalette(t *testing.T) {
	size := image.Pt(16, 16)
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 250, 255}
	data, _ := record(t, size, 2, &GIFOptions{Reserved: []color.RGBA{red}, Palette: []color.RGBA{blue}}, func(img *image.RGBA, i int) {
		render.FillRect(img, img.Bounds(), color.RGBA{10, 10, 200, 255})
		render.FillRect(img, image.Rect(0, 0, 4+i, 4), red)
	})
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p := composite(t, a)[1]
	if p.RGBAAt(0, 0) != red || p.RGBAAt(4, 0) != red || p.RGBAAt(10, 10) != blue {
		t.Errorf("got %v %v %v", p.RGBAAt(0, 0), p.RGBAAt(4, 0), p.RGBAAt(10, 10))
	}
}
