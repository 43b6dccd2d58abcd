package playground

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"runtime"
	"time"

	"github.com/vaeplayground/vae/playground/compare"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/record"
	"github.com/vaeplayground/vae/session"
)

// RecordTargets are what a recording can take, by name: the whole window,
// the scene's area (everything but the top bar, the controls and the
// status line), or one view. In the flow lab, whose panels are its own, a
// single view records the lab's whole area.
var RecordTargets = []string{"screen", "views", "latent", "data", "loss"}

// recordTargetLabels are RecordTargets as the column's list shows them.
var recordTargetLabels = []string{"whole screen", "all views", "latent view", "data view", "loss chart"}

// RecordRates are the recording rates offered (frames per second) and
// RecordLengths the longest recordings (seconds).
var (
	RecordRates   = []float64{5, 10, 15, 20, 25}
	RecordLengths = []int{10, 30, 60, 120}
)

// recordSlice is how long a frame spends encoding where there is one thread
// (the browser): frames that arrive faster than that encodes are dropped,
// never the page's frame rate.
const recordSlice = 3 * time.Millisecond

// recorder is the Record tool: what to record and how (chosen in the
// column), the recording running, and the file made last.
type recorder struct {
	ready                bool
	toggle               bool // a button asked to start or stop: done at the frame's end
	target, rate, length int  // indices into RecordTargets, RecordRates, RecordLengths
	live                 *record.Live
	recTarget            string          // what the running recording takes
	recDesc              string          // and how, for the status line
	size                 image.Point     // the recorded rectangle's size
	start                time.Time       // when it began, in the frames' clock
	elapsed              time.Duration   // the recording's length so far
	file                 *RecordedFile   // the last finished recording, until taken
	encodeErr            error           // the last recording failed
	sliced               bool            // encode in slices of each frame (no threads)
	rectFor              image.Rectangle // the rectangle of the last frame captured
}

// RecordedFile is a finished recording.
type RecordedFile struct {
	Name   string
	Data   []byte
	Target string
	Stats  record.GIFStats
	Length time.Duration
	Size   image.Point // of the GIF's frames
}

func (r *recorder) init() {
	if !r.ready {
		r.rate, r.length = 1, 1 // 10/s, at most 30 s
		r.sliced = runtime.GOOS == "js"
		r.ready = true
	}
}

// SetRecordOptions chooses what the next recording takes (one of
// RecordTargets), at what rate (frames per second, one of RecordRates)
// and for at most how long (seconds, one of RecordLengths); a zero rate or
// length keeps the current one.
func (sc *Screen) SetRecordOptions(target string, fps float64, seconds int) error {
	r := &sc.rec
	r.init()
	t, ok := indexOf(RecordTargets, target)
	if !ok {
		return fmt.Errorf("record: no target %q (one of %v)", target, RecordTargets)
	}
	rate, length := r.rate, r.length
	if fps != 0 {
		if rate, ok = indexOf(RecordRates, fps); !ok {
			return fmt.Errorf("record: rate %v not one of %v frames/s", fps, RecordRates)
		}
	}
	if seconds != 0 {
		if length, ok = indexOf(RecordLengths, seconds); !ok {
			return fmt.Errorf("record: length %d s not one of %v", seconds, RecordLengths)
		}
	}
	r.target, r.rate, r.length = t, rate, length
	sc.f.ControlsDirty = true
	return nil
}

func indexOf[T comparable](list []T, v T) (int, bool) {
	for i, x := range list {
		if x == v {
			return i, true
		}
	}
	return 0, false
}

// Recording reports whether a recording is taking frames, and for how long
// it has.
func (sc *Screen) Recording() (on bool, elapsed time.Duration) {
	if sc.rec.live == nil || !sc.rec.live.Recording() {
		return false, 0
	}
	return true, sc.rec.elapsed
}

// RecordSaving reports whether a stopped recording is still being encoded.
func (sc *Screen) RecordSaving() bool { return sc.rec.live != nil && !sc.rec.live.Recording() }

// TakeRecording hands over the last finished recording (once): the
// platform saves it when asked by a SaveRecording request.
func (sc *Screen) TakeRecording() (*RecordedFile, bool) {
	f := sc.rec.file
	sc.rec.file = nil
	return f, f != nil
}

// ToggleRecord starts a recording of the chosen target or stops the one
// running (it is saved once its last frames are encoded).
func (sc *Screen) ToggleRecord(now time.Time) {
	r := &sc.rec
	r.init()
	switch {
	case r.live != nil && r.live.Recording():
		r.live.Stop(now)
		r.elapsed = now.Sub(r.start)
		sc.S.Message = "recording stopped: saving the GIF…"
	case r.live != nil:
		sc.S.Message = "the last recording is still being saved"
	default:
		sc.startRecording(now)
	}
	sc.f.ControlsDirty = true
	sc.topT.Done(time.Time{}) // the indicator shows at once
}

func (sc *Screen) startRecording(now time.Time) {
	r := &sc.rec
	target := RecordTargets[r.target]
	rect := sc.recordRect(target)
	if rect.Dx() < 8 || rect.Dy() < 8 {
		sc.S.Message = "nothing to record: the " + recordTargetLabels[r.target] + " is not shown"
		return
	}
	// Device pixels beyond the CSS ones add size, not detail a viewer of a
	// GIF sees: a high-density screen is recorded at its CSS size.
	down := 1
	if sc.Scale >= 2 {
		down = int(sc.Scale)
	}
	opt := &record.GIFOptions{
		FPS:        RecordRates[r.rate],
		MaxFrames:  int(RecordRates[r.rate] * float64(RecordLengths[r.length])),
		Downscale:  down,
		Reserved:   sc.reservedColors(),
		MaxPending: 4,
	}
	live, err := record.StartLive(rect.Size(), opt, now, r.sliced)
	if err != nil {
		sc.S.Message = "recording: " + err.Error()
		return
	}
	r.live, r.recTarget, r.size, r.start, r.elapsed, r.rectFor = live, target, rect.Size(), now, 0, rect
	r.encodeErr = nil
	r.recDesc = fmt.Sprintf("the %s at %v frames/s (at most %d s)", recordTargetLabels[r.target], RecordRates[r.rate], RecordLengths[r.length])
}

// reservedColors are the theme's colours and the class colours: flat
// panels, text and class dots keep their exact colour in the GIF.
func (sc *Screen) reservedColors() []color.RGBA {
	th := sc.th
	out := []color.RGBA{th.Background, th.Panel, th.Frame, th.Axis, th.Text, th.MutedText, th.Notice, th.Error}
	for k := range 10 {
		out = append(out, th.ClassColor(k))
	}
	return out
}

// RecordRect is where the running recording (or, when none runs, the
// chosen target) lies on the screen, in device pixels.
func (sc *Screen) RecordRect() image.Rectangle {
	r := &sc.rec
	r.init()
	if on, _ := sc.Recording(); on {
		return r.rectFor
	}
	return sc.recordRect(RecordTargets[r.target])
}

// recordRect is where target lies on the screen now.
func (sc *Screen) recordRect(target string) image.Rectangle {
	l := sc.L
	switch target {
	case "screen":
		return l.Window
	case "views":
		return l.Main
	}
	switch s := sc.current().(type) {
	case *compare.Scene:
		p := s.Panels()
		switch target {
		case "latent":
			return p.LatentA.Union(p.LatentB)
		case "data":
			return p.DataA.Union(p.DataB)
		case "loss":
			return p.Loss
		}
	case interface {
		ViewRects() (data, latent image.Rectangle)
	}: // the VAE's views
		switch target {
		case "latent":
			return l.Latent
		case "data":
			return l.Data
		case "loss":
			return l.Loss
		}
	}
	return l.Main // a scene with panels of its own (the flow lab)
}

// recordTick runs at the end of each frame: it hands the drawn frame to
// the recording, encodes a slice where there are no threads, and once a
// stopped recording is finished keeps the file and asks the platform to
// save it.
func (sc *Screen) recordTick(now time.Time) {
	r := &sc.rec
	if r.toggle {
		r.toggle = false
		sc.ToggleRecord(now)
	}
	if r.live == nil {
		return
	}
	rect := r.rectFor
	wasRecording := r.live.Recording()
	if wasRecording {
		rect = sc.recordRect(r.recTarget)
		limit := time.Duration(RecordLengths[r.length]) * time.Second
		switch {
		case rect.Size() != r.size:
			r.live.Stop(now)
			r.elapsed = now.Sub(r.start)
			r.live.Ended = "the recorded area changed size (the window or the scene changed)"
			rect = r.rectFor
		case now.Sub(r.start) >= limit:
			// Frames dropped by a slow encoder do not make it run longer.
			r.elapsed = limit
			r.live.Stop(r.start.Add(limit))
			r.live.Ended = "it reached its length"
		default:
			r.rectFor = rect
			r.elapsed = now.Sub(r.start)
		}
	}
	data, done, err := r.live.Tick(now, sc.Frame, rect, recordSlice)
	if wasRecording && !r.live.Recording() {
		sc.f.ControlsDirty = true
		sc.topT.Done(time.Time{}) // the indicator shows at once
		if r.live.Ended != "" {
			sc.S.Message = "recording stopped (" + r.live.Ended + "): saving the GIF…"
		}
	}
	if err != nil {
		sc.S.Message = "recording failed: " + err.Error()
		r.live, r.encodeErr = nil, err
		sc.f.ControlsDirty = true
		return
	}
	if !done {
		return
	}
	stats := r.live.Stats()
	sz := r.size
	if sc.Scale >= 2 {
		sz = sz.Div(int(sc.Scale))
	}
	r.file = &RecordedFile{
		Name:   fmt.Sprintf("vae-playground-%s-step%d.gif", r.recTarget, sc.S.Steps()),
		Data:   data,
		Target: r.recTarget,
		Stats:  stats,
		Length: r.elapsed,
		Size:   sz,
	}
	r.live = nil
	sc.Requests = append(sc.Requests, SaveRecording)
	sc.f.ControlsDirty = true
	sc.topT.Done(time.Time{}) // the indicator shows at once
}

// recordLabel is the Record button's label: the indicator while recording.
func (sc *Screen) recordLabel(short bool) string {
	if on, t := sc.Recording(); on {
		if short {
			return fmt.Sprintf("● %.0fs", t.Seconds())
		}
		return fmt.Sprintf("● Rec %.1f s", t.Seconds())
	}
	if sc.RecordSaving() {
		return "Saving…"
	}
	if short {
		return "Rec"
	}
	return "Record"
}

// recordHelp is the Record buttons' help.
func (sc *Screen) recordHelp() string {
	r := &sc.rec
	r.init()
	return fmt.Sprintf("Record the %s as an animated GIF while it trains (%v frames/s, at most %d s; choose in the column's Record section). Press again, or g, to stop and save it.",
		recordTargetLabels[r.target], RecordRates[r.rate], RecordLengths[r.length])
}

const exportHelp = "Export the run's numbers as CSV in a zip: every kept step's loss, ELBO, reconstruction, KL (and per dimension), β, learning rate and skipped steps, and the current codes (x, y, label, μ, σ); while comparing, A's and B's and the results table."

// formatEach formats each of vs with format (a dropdown's choices).
func formatEach[T any](format string, vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf(format, v)
	}
	return out
}

// recordControls are the column's Record section: what to record, at what
// rate and for how long, and the Record and Export data buttons.
func (sc *Screen) recordControls(t scene.Tools) {
	r := &sc.rec
	r.init()
	c := t.Context
	if c.Dropdown("recordWhat", t.Row("recordWhat"), "record", recordTargetLabels, &r.target,
		"What Record takes: the whole screen, the views (without the controls), or one view.") {
		sc.f.ControlsDirty = true
	}
	if c.Dropdown("recordRate", t.Row("recordRate"), "frames", formatEach("%v/s", RecordRates), &r.rate,
		"Frames per second of the recording (the GIF plays at the same speed).") {
		sc.f.ControlsDirty = true
	}
	if c.Dropdown("recordLength", t.Row("recordLength"), "at most", formatEach("%d s", RecordLengths), &r.length,
		"The recording stops by itself after this long.") {
		sc.f.ControlsDirty = true
	}
	row := t.Row("recordButtons")
	gap := sc.px(6)
	half := (row.Dx() - gap) / 2
	rec := image.Rect(row.Min.X, row.Min.Y, row.Min.X+half, row.Max.Y)
	exp := image.Rect(rec.Max.X+gap, row.Min.Y, row.Max.X, row.Max.Y)
	sc.controlRect["recordToggle"] = rec.Intersect(sc.L.Controls)
	sc.controlRect["exportData"] = exp.Intersect(sc.L.Controls)
	// The column is redrawn when something in it changes, not as a clock
	// ticks: its button says what a press does, the top bar and the status
	// line count the seconds.
	label := "● Record"
	if on, _ := sc.Recording(); on {
		label = "■ Stop"
	} else if sc.RecordSaving() {
		label = "Saving…"
	}
	if c.Button("recordToggle", rec, label, sc.recordHelp()) {
		r.toggle = true
	}
	if c.Button("exportData", exp, "Export data", exportHelp) {
		sc.Requests = append(sc.Requests, ExportData)
	}
}

// ExportData writes the run's numbers and codes as CSV files in a zip
// (session.ExportFiles); while comparing, A's and B's and the results
// table. It returns the zip's name.
func (sc *Screen) ExportData(w io.Writer) (string, error) {
	files := sc.S.ExportFiles("")
	name := fmt.Sprintf("vae-data-step%d.zip", sc.S.Steps())
	if c := sc.cmp; c != nil {
		files = append(sc.S.ExportFiles("A-"), c.C.B.ExportFiles("B-")...)
		files = append(files, session.ExportFile{Name: "comparison.csv", Write: c.WriteCSV})
		name = fmt.Sprintf("vae-compare-step%d-%d.zip", sc.S.Steps(), c.C.B.Steps())
	}
	return name, session.WriteArchive(w, files...)
}
