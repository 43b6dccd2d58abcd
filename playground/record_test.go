package playground

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"image"
	"image/draw"
	"image/gif"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/ui"
)

// frameStep is the frames' period in the recording tests: 50 frames a
// second puts the captures of a 10/s recording exactly on frames.
const frameStep = 20 * time.Millisecond

// drive runs n frames of frameStep with the pointer at in.
func drive(sc *Screen, n int, in ui.Input, t0 time.Time) time.Time {
	for range n {
		t0 = t0.Add(frameStep)
		sc.Update(in, nil, t0)
	}
	return t0
}

// pressAt presses and releases the pointer at the centre of r, one frame
// each, and returns the time of the release.
func pressAt(sc *Screen, r image.Rectangle, t0 time.Time) time.Time {
	p := ui.Input{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
	t0 = drive(sc, 1, p, t0)
	p.Down, p.Pressed = true, true
	t0 = drive(sc, 1, p, t0)
	p.Down, p.Pressed = false, false
	return drive(sc, 1, p, t0)
}

// finish runs frames until the stopped recording is saved, and returns it.
func finish(t *testing.T, sc *Screen, t0 time.Time) (*RecordedFile, time.Time) {
	t.Helper()
	idle := ui.Input{X: 5, Y: sc.L.Window.Max.Y - 5}
	for i := 0; !slices.Contains(sc.Requests, SaveRecording); i++ {
		if i > 5000 {
			t.Fatal("the stopped recording never finished")
		}
		t0 = drive(sc, 1, idle, t0)
		if i%10 == 9 {
			time.Sleep(time.Millisecond) // the encoder's goroutine
		}
	}
	f, ok := sc.TakeRecording()
	if !ok {
		t.Fatal("a SaveRecording request without a recording")
	}
	if _, again := sc.TakeRecording(); again {
		t.Error("the recording was handed over twice")
	}
	sc.Requests = nil
	return f, t0
}

// frames decodes a GIF into its full frames as shown.
func frames(t *testing.T, data []byte) (*gif.GIF, []*image.RGBA) {
	t.Helper()
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	canvas := image.NewRGBA(image.Rect(0, 0, a.Config.Width, a.Config.Height))
	var out []*image.RGBA
	for _, p := range a.Image {
		draw.Draw(canvas, p.Bounds(), p, p.Bounds().Min, draw.Over)
		out = append(out, image.NewRGBA(canvas.Bounds()))
		copy(out[len(out)-1].Pix, canvas.Pix)
	}
	return a, out
}

// differs counts the pixels in which a and b differ.
func differs(a, b *image.RGBA) int {
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		if !bytes.Equal(a.Pix[i:i+3], b.Pix[i:i+3]) {
			n++
		}
	}
	return n
}

// Record from the top bar while training: the indicator shows and counts,
// g stops it, and the GIF has the latent view's size, 10 frames a second
// for the 3 s recorded, and frames that change as the model learns.
func TestRecordTheLatentViewWhileTraining(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians")
	idle := ui.Input{X: 5, Y: 795}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	if err := sc.SetRecordOptions("latent", 10, 30); err != nil {
		t.Fatal(err)
	}
	s.Play()
	t0 = drive(sc, 5, idle, t0)
	start := pressAt(sc, sc.TopButtons()["record"], t0)
	if on, _ := sc.Recording(); !on {
		t.Fatal("Record did not start a recording")
	}
	start = sc.rec.start             // the press, a frame before the release
	t0 = drive(sc, 100, idle, start) // 2 s
	on, elapsed := sc.Recording()
	if !on || elapsed != 2*time.Second {
		t.Fatalf("recording %v for %v after 2 s", on, elapsed)
	}
	if !strings.Contains(sc.rec.recDesc, "latent view at 10 frames/s") || !strings.HasPrefix(sc.recordLabel(false), "● Rec 2.0 s") {
		t.Errorf("the indicator reads %q (%q)", sc.recordLabel(false), sc.rec.recDesc)
	}
	steps := s.Steps()
	t0 = drive(sc, 49, idle, t0)
	t0 = t0.Add(frameStep)
	sc.Update(idle, []string{KeyRecord}, t0) // 3 s after the start
	if on, _ := sc.Recording(); on {
		t.Fatal("g did not stop the recording")
	}
	if s.Steps() <= steps {
		t.Fatal("no training while recording")
	}
	f, _ := finish(t, sc, t0)
	a, shown := frames(t, f.Data)
	want := sc.L.Latent.Size()
	if a.Config.Width != want.X || a.Config.Height != want.Y || f.Size != want {
		t.Errorf("GIF %dx%d (reported %v), want the latent view's %v", a.Config.Width, a.Config.Height, f.Size, want)
	}
	if len(a.Image) != 30 || f.Stats.Encoded != 30 || f.Stats.Dropped != 0 {
		t.Errorf("%d frames (stats %+v), want 30: 3 s at 10/s", len(a.Image), f.Stats)
	}
	total := 0
	for _, d := range a.Delay {
		total += d
	}
	if total != 300 || f.Length != 3*time.Second {
		t.Errorf("the GIF plays for %d cs and reports %v, want 3 s", total, f.Length)
	}
	if d := differs(shown[0], shown[len(shown)-1]); d < want.X*want.Y/100 {
		t.Errorf("the first and last frames differ in %d pixels only", d)
	}
	changing := 0
	for i := 1; i < len(shown); i++ {
		if differs(shown[i-1], shown[i]) > 0 {
			changing++
		}
	}
	if changing < len(shown)/3 {
		t.Errorf("only %d of %d frames change while training", changing, len(shown))
	}
	if !strings.HasPrefix(f.Name, "vae-playground-latent-step") || !strings.HasSuffix(f.Name, ".gif") {
		t.Errorf("file name %q", f.Name)
	}
	if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "record-latent.gif"), f.Data, 0o644)
		if g, err := os.Create(filepath.Join(dir, "record-last.png")); err == nil {
			png.Encode(g, shown[len(shown)-1])
			g.Close()
		}
	}
}

// A recording of the whole screen on a high-density screen is at CSS
// pixels; one that reaches its length stops by itself.
func TestRecordTheWholeScreenUntilItsLength(t *testing.T) {
	s, sc := newScreen(t, "")
	sc.Resize(1400, 900, 2)
	idle := ui.Input{X: 5, Y: 895}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	if err := sc.SetRecordOptions("screen", 5, 10); err != nil {
		t.Fatal(err)
	}
	if err := sc.SetRecordOptions("nothing", 0, 0); err == nil {
		t.Error("an unknown target was taken")
	}
	if err := sc.SetRecordOptions("screen", 7, 0); err == nil {
		t.Error("a rate not offered was taken")
	}
	s.Play()
	sc.Update(idle, []string{KeyRecord}, t0.Add(frameStep))
	t0 = drive(sc, 600, idle, t0.Add(frameStep)) // 12 s
	if on, _ := sc.Recording(); on {
		t.Fatal("the recording ran past its length")
	}
	f, _ := finish(t, sc, t0)
	a, _ := frames(t, f.Data)
	b := sc.L.Window
	if a.Config.Width != b.Dx()/2 || a.Config.Height != b.Dy()/2 || len(a.Image) != 50 {
		t.Errorf("%d frames of %dx%d, want 50 of %dx%d", len(a.Image), a.Config.Width, a.Config.Height, b.Dx()/2, b.Dy()/2)
	}
	if !strings.Contains(s.Message, "reached its length") {
		t.Errorf("status %q", s.Message)
	}
}

// A window resized while recording ends the recording with the frames it
// has, and says why.
func TestRecordEndsWhenTheWindowResizes(t *testing.T) {
	s, sc := newScreen(t, "")
	idle := ui.Input{X: 5, Y: 795}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	if err := sc.SetRecordOptions("views", 0, 0); err != nil {
		t.Fatal(err)
	}
	sc.Update(idle, []string{KeyRecord}, t0.Add(frameStep))
	t0 = drive(sc, 20, idle, t0.Add(frameStep))
	sc.Resize(1100, 700, 1)
	t0 = drive(sc, 1, idle, t0)
	if on, _ := sc.Recording(); on {
		t.Fatal("still recording after a resize")
	}
	f, _ := finish(t, sc, t0)
	if a, _ := frames(t, f.Data); len(a.Image) != 5 {
		t.Errorf("%d frames, want the 5 of 0.4 s", len(a.Image))
	}
	if !strings.Contains(s.Message, "changed size") {
		t.Errorf("status %q", s.Message)
	}
}

// In a window too narrow for the top bar's Record and Export buttons, the
// column's Record section starts and stops a recording and exports.
func TestRecordFromTheColumn(t *testing.T) {
	s, sc := newScreen(t, "")
	sc.Resize(640, 600, 1)
	sc.ShowControls(true) // a window this narrow is a phone's: the controls open over the views
	idle := ui.Input{X: 300, Y: 595}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	// Scroll the column to its end, where the Record section is.
	for i := 0; i < 50 && sc.ControlRect("exportData").Empty(); i++ {
		t0 = drive(sc, 1, ui.Input{X: 20, Y: 300, Wheel: -3}, t0)
	}
	rec, exp := sc.ControlRect("recordToggle"), sc.ControlRect("exportData")
	if rec.Empty() || exp.Empty() {
		t.Fatalf("no Record section in the column (%v, %v)", rec, exp)
	}
	s.Play()
	t0 = pressAt(sc, rec, t0)
	if on, _ := sc.Recording(); !on {
		t.Fatal("the column's Record did not start a recording")
	}
	t0 = drive(sc, 10, idle, t0)
	t0 = pressAt(sc, sc.ControlRect("recordToggle"), t0)
	if on, _ := sc.Recording(); on {
		t.Fatal("the column's Record did not stop the recording")
	}
	f, t0 := finish(t, sc, t0)
	if a, _ := frames(t, f.Data); len(a.Image) < 2 || a.Config.Width != sc.L.Window.Dx() {
		t.Errorf("%d frames %d wide", len(a.Image), a.Config.Width)
	}
	pressAt(sc, sc.ControlRect("exportData"), t0)
	if !slices.Contains(sc.Requests, ExportData) {
		t.Errorf("Export data asked for %v", sc.Requests)
	}
}

// Export data from the top bar: a zip of the run's history (one row per
// step, the numbers the loss chart draws) and its codes.
func TestExportDataFromTheTopBar(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians")
	idle := ui.Input{X: 5, Y: 795}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	s.StepN(25)
	pressAt(sc, sc.TopButtons()["export"], t0)
	if !slices.Contains(sc.Requests, ExportData) {
		t.Fatalf("Export data asked for %v", sc.Requests)
	}
	var b bytes.Buffer
	name, err := sc.ExportData(&b)
	if err != nil {
		t.Fatal(err)
	}
	if name != "vae-data-step25.zip" {
		t.Errorf("name %q", name)
	}
	files := unzip(t, b.Bytes())
	hist, codes := files["history-step25.csv"], files["codes-step25.csv"]
	if len(hist) != 26 || len(codes) != min(s.Data.N, 5000)+1 {
		t.Fatalf("files %v: %d history rows, %d code rows", keys(files), len(hist)-1, len(codes)-1)
	}
	for i, row := range hist[1:] {
		elbo, _ := strconv.ParseFloat(row[3], 64)
		if elbo != -s.History.Loss[i] {
			t.Fatalf("row %d: ELBO %v, the chart's %v", i, elbo, -s.History.Loss[i])
		}
	}
}

// While comparing, Export data holds A's and B's files and the results
// table as the screen shows it.
func TestExportDataWhileComparing(t *testing.T) {
	_, sc := newScreen(t, "data=8gaussians&compare=prior:mixture")
	c := sc.Compare().C
	idle := ui.Input{X: 5, Y: 795}
	t0 := drive(sc, 2, idle, time.Unix(0, 0))
	c.A.StepN(10)
	c.B.StepN(10)
	for i := 0; i < 400 && sc.Compare().Results().Steps != [2]int{10, 10}; i++ {
		t0 = drive(sc, 1, idle, t0)
	}
	var b bytes.Buffer
	name, err := sc.ExportData(&b)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b.Bytes())
	for _, f := range []string{"A-history-step10.csv", "A-codes-step10.csv", "B-history-step10.csv", "B-codes-step10.csv", "comparison.csv"} {
		if len(files[f]) < 2 {
			t.Errorf("%s: %d rows in %v", f, len(files[f]), keys(files))
		}
	}
	res := sc.Compare().Results()
	table := files["comparison.csv"]
	if name != "vae-compare-step10-10.zip" || len(table) != len(res.Rows)+1 {
		t.Fatalf("%s: %d table rows, want %d", name, len(table)-1, len(res.Rows))
	}
	for i, r := range res.Rows {
		a, _ := strconv.ParseFloat(table[i+1][1], 64)
		if table[i+1][0] != r.Metric || a != r.A && !(math.IsNaN(a) && math.IsNaN(r.A)) {
			t.Errorf("row %d: %v, the table shows %s A = %v", i, table[i+1], r.Metric, r.A)
		}
	}
}

func unzip(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(r).ReadAll()
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = recs
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
