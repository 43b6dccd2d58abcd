package playground

import (
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// BenchmarkFrameRecording is BenchmarkFrame's training frame (1280×800,
// one step a frame, 16 ms of the frames' clock apart) with Record off, and
// recording the latent view or the whole screen at 10 frames/s. Natively a
// goroutine encodes (its work shows in cpu-ms, the process's CPU time per
// frame, not in the frame's wall time); under js/wasm each frame encodes
// for up to recordSlice, as in the browser. dropped% is the share of the
// frames due that the encoder could not take (the GIF stretches the frame
// before). The frames per second with recording on beside off are in the
// README's recording section.
func BenchmarkFrameRecording(b *testing.B) {
	for _, target := range []string{"off", "latent", "screen"} {
		b.Run(target, func(b *testing.B) {
			s, err := session.New("data=8gaussians", session.Inline)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sc := NewScreen(s, 1280, 800, 1)
			in := ui.Input{X: 700, Y: 200}
			t := time.Unix(0, 0)
			sc.Update(in, nil, t)
			s.Play()
			s.SetBudget(session.MinBudget)
			if target != "off" {
				if err := sc.SetRecordOptions(target, 10, 120); err != nil {
					b.Fatal(err)
				}
			}
			var captured, dropped int
			frame := func() {
				t = t.Add(16 * time.Millisecond)
				s.SetBudget(0) // one step a frame: the view and recording work is what is measured
				if target != "off" {
					if on, _ := sc.Recording(); !on && !sc.RecordSaving() {
						if f, ok := sc.TakeRecording(); ok {
							captured += f.Stats.Captured
							dropped += f.Stats.Dropped
						}
						sc.Requests = sc.Requests[:0]
						sc.ToggleRecord(t) // a recording that reached its length starts again
					}
				}
				sc.Update(in, nil, t)
			}
			for range 60 { // the first views and the recording's palette
				frame()
			}
			c0 := cpuTime()
			b.ResetTimer()
			for range b.N {
				frame()
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms")
			if target != "off" {
				if on, _ := sc.Recording(); on {
					sc.ToggleRecord(t)
				}
				for i := 0; i < 100000 && sc.RecordSaving(); i++ {
					frame()
					if i%16 == 15 {
						time.Sleep(time.Millisecond)
					}
				}
				if f, ok := sc.TakeRecording(); ok {
					captured += f.Stats.Captured
					dropped += f.Stats.Dropped
				}
				if due := captured + dropped; due > 0 {
					b.ReportMetric(100*float64(dropped)/float64(due), "dropped%")
				}
			}
		})
	}
}
