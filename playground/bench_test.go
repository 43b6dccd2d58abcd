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

// BenchmarkFrame is one frame of the default configuration while training:
// session tick (training budget excluded: see below), every visible view's
// compute and the redraw of what changed, at 1280×800.
func BenchmarkFrame(b *testing.B) {
	for _, mode := range []struct {
		name string
		fast bool
	}{{"paused", false}, {"training", true}} {
		b.Run(mode.name, func(b *testing.B) {
			s, err := session.New("", session.Inline)
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
			s.SetBudget(session.MinBudget)
			b.ResetTimer()
			for range b.N {
				t = t.Add(16 * time.Millisecond)
				s.SetBudget(0) // one step a frame: the view work is what is measured
				sc.Update(in, nil, t)
			}
		})
	}
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
