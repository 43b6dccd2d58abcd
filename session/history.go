package session

import (
	"math"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/record"
)

// maxHistory bounds the points kept per series: when full, every other
// point is dropped and only every Stride-th step is kept from then on, so
// a long run keeps its whole shape in bounded memory.
const maxHistory = 2000

// History is the training curve: one point per kept step.
type History struct {
	Step   []float64
	Loss   []float64 // −ELBO (nats per point)
	Recon  []float64 // −E log p(x|z)
	KL     []float64
	Stride int
	// Last is the newest step's result (KL per dimension included).
	Last core.StepResult
	// Ema is an exponential moving average of the ELBO (what the top bar
	// shows: one batch is noisy).
	Ema   float64
	count int
	// Log keeps every column "Export data" writes (KL per dimension,
	// learning rate, skipped steps), thinned the same way.
	Log record.StepLog
}

// Add records one step.
func (h *History) Add(r *core.StepResult) {
	buf := h.Last.KLPerDim[:0] // reused: no allocation per step
	h.Last = *r
	h.Last.KLPerDim = append(buf, r.KLPerDim...)
	if h.count == 0 {
		h.Ema = r.ELBO
	} else {
		h.Ema += 0.05 * (r.ELBO - h.Ema)
	}
	h.count++
	if h.Stride == 0 {
		h.Stride = 1
	}
	if (h.count-1)%h.Stride != 0 {
		return
	}
	h.Step = append(h.Step, float64(r.Step))
	h.Loss = append(h.Loss, -r.ELBO)
	h.Recon = append(h.Recon, -r.Recon)
	h.KL = append(h.KL, r.KL)
	if len(h.Step) >= maxHistory {
		h.Step, h.Loss, h.Recon, h.KL = halve(h.Step), halve(h.Loss), halve(h.Recon), halve(h.KL)
		h.Stride *= 2
	}
}

// Len is the number of steps recorded (not the points kept).
func (h *History) Len() int { return h.count }

func halve(xs []float64) []float64 {
	n := 0
	for i := 0; i < len(xs); i += 2 {
		xs[n] = xs[i]
		n++
	}
	return xs[:n]
}

// Curve is a training curve of one series in bounded memory, thinned as
// History is: when full, every other point is dropped and only every
// stride-th one is kept from then on.
type Curve struct {
	X, Y   []float64
	stride int
	n      int
}

// Add records the point (x, y).
func (c *Curve) Add(x, y float64) {
	if c.stride == 0 {
		c.stride = 1
	}
	c.n++
	if (c.n-1)%c.stride != 0 {
		return
	}
	c.X, c.Y = append(c.X, x), append(c.Y, y)
	if len(c.X) >= maxHistory {
		c.X, c.Y = halve(c.X), halve(c.Y)
		c.stride *= 2
	}
}

// Len is the number of points added (not the points kept).
func (c *Curve) Len() int { return c.n }

// Last is the newest kept point's y (NaN when empty).
func (c *Curve) Last() float64 {
	if len(c.Y) == 0 {
		return math.NaN()
	}
	return c.Y[len(c.Y)-1]
}
