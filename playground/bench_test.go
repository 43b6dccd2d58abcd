package playground

import (
	"testing"
	"time"

	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/ui"
)

// The builds call fastblas.Install at start; so do the tests (under js/wasm
// that is the SIMD kernel when the runner wires it).
func init() { fastblas.Install() }

// BenchmarkFrame is one frame of the default configuration while training:
// session tick (training budget excluded: see below), every visible view's
// compute and the redraw of what changed, at 1280×800.
func BenchmarkFrame(b *testing.B) {
	for _, mode := range []struct {
		name string
		fast bool
	}{{"paused", false}, {"training", true}} {
		b.Run(mode.name, func(b *testing.B) {
			s, err := New("", Inline)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sc := NewScreen(s, 1280, 800, 1)
			in := ui.Input{X: 700, Y: 200}
			t := time.Unix(0, 0)
			sc.Update(in, nil, t)
			if mode.fast {
				s.Play()
			}
			s.budget = minBudget
			b.ResetTimer()
			for range b.N {
				t = t.Add(16 * time.Millisecond)
				s.budget = 0 // one step a frame: the view work is what is measured
				sc.Update(in, nil, t)
			}
		})
	}
}

// BenchmarkLabFrame is one frame of the flow lab at K = 32 while fitting:
// one fitting step (the fit's own per-frame budget is a fixed time slice,
// excluded as in BenchmarkFrame), the view tasks within their budget and
// the redraw of what changed. max-ms is the longest frame seen.
func BenchmarkLabFrame(b *testing.B) {
	for _, kind := range []string{"planar", "radial"} {
		b.Run(kind, func(b *testing.B) {
			s, err := New("mode=flowlab&target=u1&lK=32&lflow="+kind, Inline)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sc := NewScreen(s, 1280, 800, 1)
			in := ui.Input{X: 700, Y: 200}
			t := time.Unix(0, 0)
			sc.Update(in, nil, t)
			sc.QueueKey(KeySpace)
			var longest time.Duration
			b.ResetTimer()
			for range b.N {
				t = t.Add(16 * time.Millisecond)
				sc.lab.budget = 0 // one step a frame: the view work is what is measured
				start := time.Now()
				sc.Update(in, nil, t)
				longest = max(longest, time.Since(start))
			}
			b.ReportMetric(float64(longest.Microseconds())/1000, "max-ms")
			if sc.lab.steps() < b.N {
				b.Fatalf("%d steps in %d frames", sc.lab.steps(), b.N)
			}
		})
	}
}
