package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/record"
	"github.com/vaeplayground/vae/render"
	"gonum.org/v1/gonum/mat"
)

// recordFlags are the train options that record the run: an animated GIF
// of the latent space and the numbers as CSV.
type recordFlags struct {
	gif      string
	every    int
	frames   int
	fps      float64
	csv      string
	codesCSV string
}

func (r *recordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.gif, "gif", "", "record the latent view (prior log-density and codes) while training as this animated GIF (2-D latent space)")
	fs.IntVar(&r.every, "gif-every", 0, "a GIF frame every this many steps (0: about 100 frames over the run)")
	fs.IntVar(&r.frames, "gif-frames", 300, "at most this many GIF frames (the first, then one per -gif-every steps, then the last)")
	fs.Float64Var(&r.fps, "gif-fps", 10, "GIF frames per second of playback")
	fs.StringVar(&r.csv, "csv", "", "write the training history as CSV: step, ELBO, reconstruction, KL (and per dimension), β, learning rate, skipped steps")
	fs.StringVar(&r.codesCSV, "codes-csv", "", "write the codes of the data (up to 3000 rows) after training as CSV: inputs of points, label, μ and σ per dimension")
}

// check refuses options that could only fail after training.
func (r *recordFlags) check(latent int, steps int) error {
	switch {
	case r.gif == "":
	case latent != 2:
		return fmt.Errorf("-gif records the 2-D latent plane; this model has %d latent dimensions", latent)
	case r.every < 0:
		return fmt.Errorf("-gif-every %d is negative (0 picks about 100 frames)", r.every)
	case r.frames < 2 || r.frames > 10_000:
		return fmt.Errorf("-gif-frames %d outside [2, 10000]", r.frames)
	case !(r.fps >= 1 && r.fps <= 50):
		return fmt.Errorf("-gif-fps %v outside [1, 50]", r.fps)
	}
	if r.every == 0 {
		r.every = max(1, steps/100)
	}
	return nil
}

// gifSide is the side of the recorded latent plot in pixels: small enough
// that a GIF of a hundred frames stays small.
const gifSide = 240

// latentRecorder draws the latent view every few steps and records it. The
// GIF is encoded by a goroutine while training goes on.
type latentRecorder struct {
	flags   *recordFlags
	model   *core.Model
	sub     *mat.Dense
	classes []int
	names   []string
	th      *render.Theme

	file  *os.File
	buf   *bufio.Writer
	gif   *record.GIF
	done  chan error
	img   *image.RGBA
	panel image.Rectangle
	at    time.Duration
	last  int // the step last recorded
	vr    render.ValueRange
}

func newLatentRecorder(f *recordFlags, m *core.Model, ds *datasets.Dataset, x *mat.Dense) (*latentRecorder, error) {
	n := min(ds.N, 1000)
	r := &latentRecorder{flags: f, model: m, sub: x.Slice(0, n, 0, ds.D).(*mat.Dense), classes: labels(ds)[:n],
		names: ds.LabelNames, th: render.DarkTheme(), last: -1}
	// One panel just large enough for a gifSide plot with its axes and
	// colour bar (plotArea's margins), under a title line.
	const pad, titleH = 12, 26
	r.panel = image.Rect(pad, pad+titleH, pad+gifSide+axesLeft+colorbarWidth, pad+titleH+gifSide+axesBelow+8)
	r.img = image.NewRGBA(image.Rect(0, 0, r.panel.Max.X+pad, r.panel.Max.Y+pad))
	file, err := os.Create(f.gif)
	if err != nil {
		return nil, fmt.Errorf("-gif: %w", err)
	}
	r.file, r.buf = file, bufio.NewWriter(file)
	reserved := []color.RGBA{r.th.Background, r.th.Panel, r.th.Frame, r.th.Axis, r.th.Text, r.th.MutedText}
	for k := range max(1, len(r.names)) {
		reserved = append(reserved, r.th.ClassColor(k))
	}
	r.gif, err = record.NewGIF(r.buf, r.img.Bounds().Size(), &record.GIFOptions{FPS: f.fps, MaxFrames: f.frames, Reserved: reserved, MaxPending: 4})
	if err != nil {
		file.Close()
		os.Remove(f.gif)
		return nil, err
	}
	r.done = make(chan error, 1)
	go func() { r.done <- r.gif.Run() }()
	return r, nil
}

// step records the view after the given step when one is due (the first
// call, and every -gif-every steps).
func (r *latentRecorder) step(step int, force bool) error {
	if step == r.last || !force && r.last >= 0 && step%r.flags.every != 0 {
		return nil
	}
	if r.gif.Stats().Full {
		return nil
	}
	r.last = step
	r.draw(step)
	ok, err := r.gif.CaptureWait(r.at, r.img, r.img.Bounds())
	if ok {
		r.at += time.Duration(float64(time.Second) / r.flags.fps)
	}
	return err
}

// draw is the latent view of latent.png: the prior's log-density on the
// plane with the codes (encoder means) of the data on top, coloured by
// class (no legend: it would cover a small plot).
func (r *latentRecorder) draw(step int) {
	th, m := r.th, r.model
	render.FillRect(r.img, r.img.Bounds(), th.Background)
	render.DrawText(r.img, th.Title, r.panel.Min.X, 12, fmt.Sprintf("prior log-density and codes — step %d", step), th.Text, render.AlignLeft, render.AlignTop)
	render.FillRect(r.img, r.panel, th.Panel)
	vp := render.FitViewport(render.DataRect(-4, -4, 4, 4), plotArea(r.panel, true))
	grid := render.NewGrid(vp.Data, 120, 120)
	m.PriorLogProb(grid.Values, pointRows(grid.Points(nil)))
	if r.vr == (render.ValueRange{}) {
		// One colour scale for the whole recording, so that a colour means
		// the same density in every frame (and fewer pixels change).
		r.vr = render.AutoLogRange(grid.Values, 0)
	}
	heatmapPanel(r.img, vp, grid, render.Viridis, r.vr, "log p(z)", th)
	var mu mat.Dense
	m.Encode(&mu, nil, r.sub)
	render.Scatter(r.img, vp, toPoints(&mu, 0, 1), render.ClassColors(r.classes, th.Palette, 0.7), 2)
}

// finish records the last step, writes the rest of the GIF and closes it.
func (r *latentRecorder) finish(step int) (record.GIFStats, error) {
	err := r.step(step, true)
	r.gif.Stop()
	err = errors.Join(err, <-r.done, r.buf.Flush(), r.file.Close())
	if err != nil {
		os.Remove(r.flags.gif)
	}
	return r.gif.Stats(), err
}

// writeCSVFile writes a CSV through a temporary file.
func writeCSVFile(path string, write func(io.Writer) error) error {
	return writeFile(path, func(w io.Writer) error {
		b := bufio.NewWriter(w)
		if err := write(b); err != nil {
			return err
		}
		return b.Flush()
	})
}

// writeCodesCSV writes the codes of the first rows of the data.
func writeCodesCSV(path string, m *core.Model, ds *datasets.Dataset, x *mat.Dense) error {
	n := min(ds.N, 3000)
	sub := x.Slice(0, n, 0, ds.D).(*mat.Dense)
	var mu, lv mat.Dense
	m.Encode(&mu, &lv, sub)
	c := record.Codes{Labels: labels(ds)[:n], LabelNames: ds.LabelNames, Mu: &mu, LogVar: &lv}
	if ds.Kind == datasets.Points2D {
		c.Data = sub
	}
	return writeCSVFile(path, func(w io.Writer) error { return record.WriteCodes(w, c) })
}
