package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEvaluateChunksLargeK: with k large enough that the rows are split into
// several chunks of log-weights, every row still gets its own bounds.
func TestEvaluateChunksLargeK(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{4}, []int{4}
	m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	const n, k = 600, 2000 // evalWeights/k = 524 rows a chunk: two chunks
	x := twoBlobs(n, rand.New(rand.NewPCG(2, 2)))
	ev := m.Evaluate(x, k, rand.New(rand.NewPCG(3, 3)))
	var elbo float64
	for i := range n {
		if ev.RowIWAE[i] < ev.RowELBO[i] || ev.RowELBO[i] == 0 || math.IsNaN(ev.RowIWAE[i]) {
			t.Fatalf("row %d: ELBO %v IWAE %v", i, ev.RowELBO[i], ev.RowIWAE[i])
		}
		elbo += ev.RowELBO[i]
	}
	if math.Abs(elbo/n-ev.ELBO) > 1e-9 {
		t.Fatalf("mean of rows %v, ELBO %v", elbo/n, ev.ELBO)
	}
}
