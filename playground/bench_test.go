package playground

import (
	"slices"
	"testing"
	"time"

	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// The builds call fastblas.Install at start; so do the tests (under js/wasm
// that is the SIMD kernel when the runner wires it).
func init() { fastblas.Install() }

// frameSizes are the windows BenchmarkFrame draws: CSS pixels and the
// device scale, as a browser or the desktop gives them.
var frameSizes = []struct {
	name  string
	w, h  int // CSS pixels
	scale float64
	touch bool // laid out for a finger (a coarse pointer)
}{
	{"1280x800", 1280, 800, 1, false},
	{"1280x800@2", 1280, 800, 2, false},
	{"1280x800@3", 1280, 800, 3, false},
	{"phone390x844@3", 390, 844, 3, true},
	{"phone844x390@3", 844, 390, 3, true},
}

// screenAt lays a screen out as the app does for a window of w×h CSS
// pixels at device scale s: in device pixels, at a smaller layout scale
// when the layout's least size does not fit (a phone).
func screenAt(sess *session.Session, w, h int, s float64, touch bool) *Screen {
	dw, dh := int(float64(w)*s), int(float64(h)*s)
	sc := NewScreen(sess, dw, dh, s)
	sc.SetTouch(touch)
	if b := sc.Frame.Bounds(); b.Dx() > dw || b.Dy() > dh {
		sc.Resize(dw, dh, s*min(float64(dw)/float64(b.Dx()), float64(dh)/float64(b.Dy())))
	}
	return sc
}

// BenchmarkFrame is one frame of the default configuration, paused and
// while training: session tick (training budget excluded: see below),
// every visible view's compute and the redraw of what changed, for each of
// frameSizes (the desktop's 1280×800 at device scale 1, 2 and 3, and a
// phone upright and on its side at scale 3). Besides wall time it reports
// the process's CPU time per frame (cpu-ms): the machine may be busy.
func BenchmarkFrame(b *testing.B) {
	for _, size := range frameSizes {
		for _, mode := range []struct {
			name string
			fast bool
		}{{"paused", false}, {"training", true}} {
			b.Run(size.name+"/"+mode.name, func(b *testing.B) {
				benchmarkFrame(b, size.w, size.h, size.scale, size.touch, mode.fast)
			})
		}
	}
}

func benchmarkFrame(b *testing.B, w, h int, scale float64, touch, training bool) {
	s, err := session.New("", session.Inline)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sc := screenAt(s, w, h, scale, touch)
	// The pointer at the same place of the frame at every size (over the
	// latent view at 1280×800: hover work).
	fb := sc.Frame.Bounds()
	in := ui.Input{X: fb.Dx() * 700 / 1280, Y: fb.Dy() * 200 / 800}
	t := time.Unix(0, 0)
	sc.Update(in, nil, t)
	if training {
		s.Play()
	}
	s.SetBudget(session.MinBudget)
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		t = t.Add(16 * time.Millisecond)
		s.SetBudget(0) // one step a frame: the view work is what is measured
		sc.Update(in, nil, t)
	}
	// The process's CPU time per frame: the machine may be busy with other
	// work, which wall time counts and this does not.
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms")
}

// BenchmarkLabFrame is one frame of the flow lab at K = 32 while fitting
// u1: one fitting step (the fit's own per-frame budget is a fixed time
// slice, excluded as in BenchmarkFrame), the view tasks within their budget
// and the redraw of what changed, after 300 frames of warm-up (the first
// refreshes and, under js/wasm, the engine's compiler tiers). Besides wall
// time it reports the process's CPU time per frame (cpu-ms, mean and the
// 99th percentile of single frames): the machine may be busy with other
// work; and refresh/s, how often the views show a new flow at 60 frames a
// second.
func BenchmarkLabFrame(b *testing.B) {
	for _, kind := range []string{"planar", "radial"} {
		b.Run(kind, func(b *testing.B) {
			s, err := session.New("mode=flowlab&target=u1&lK=32&lflow="+kind, session.Inline)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sc := NewScreen(s, 1280, 800, 1)
			in := ui.Input{X: 700, Y: 200}
			t := time.Unix(0, 0)
			sc.Update(in, nil, t)
			sc.QueueKey(KeySpace)
			lab := sc.sceneFor("flowlab").(*flowlab.Lab)
			frame := func() {
				t = t.Add(16 * time.Millisecond)
				lab.SetBudget(0) // one step a frame: the view work is what is measured
				sc.Update(in, nil, t)
			}
			for range 300 {
				frame()
			}
			steps, cycles := lab.Steps(), lab.Refreshes()
			cpu := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				c0 := cpuTime()
				frame()
				cpu = append(cpu, cpuTime()-c0)
			}
			b.StopTimer()
			var sum time.Duration
			for _, c := range cpu {
				sum += c
			}
			slices.Sort(cpu)
			b.ReportMetric(float64(sum.Microseconds())/1000/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds())/1000, "p99-cpu-ms")
			// How often the views show a new flow at 60 frames a second.
			b.ReportMetric(float64(lab.Refreshes()-cycles)/(float64(b.N)/60), "refresh/s")
			if lab.Steps()-steps < b.N {
				b.Fatalf("%d steps in %d frames", lab.Steps()-steps, b.N)
			}
		})
	}
}
