package render

import "math"

// NiceTicks returns at most about maxTicks round tick values (1, 2 or 5 times
// a power of ten apart) inside [lo, hi], in increasing order.
func NiceTicks(lo, hi float64, maxTicks int) []float64 {
	if !finite(lo) || !finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		return []float64{lo}
	}
	maxTicks = max(maxTicks, 2)
	// The smallest 1-2-5 step that puts at most maxTicks ticks in the range.
	step := niceStep((hi - lo) / float64(maxTicks) / 2)
	for count(lo, hi, step) > maxTicks {
		step = nextNiceStep(step)
	}
	first := math.Ceil(lo/step - 1e-9)
	var ticks []float64
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, v)
		if len(ticks) > 4*maxTicks { // guards against precision trouble
			break
		}
	}
	return ticks
}

// count returns how many multiples of step lie in [lo, hi].
func count(lo, hi, step float64) int {
	return int(math.Floor(hi/step+1e-9)-math.Ceil(lo/step-1e-9)) + 1
}

// nextNiceStep returns the 1-2-5 step after step.
func nextNiceStep(step float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch f := step / p; {
	case f < 1.5:
		return 2 * p
	case f < 3.5:
		return 5 * p
	default:
		return 10 * p
	}
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	default:
		return 10 * p
	}
}

// LogTicks returns tick values for a log-scale axis over [lo, hi] (both > 0):
// powers of ten, thinned to at most about maxTicks, or 1-2-5 multiples of them
// when the range spans less than two decades.
func LogTicks(lo, hi float64, maxTicks int) []float64 {
	if !(lo > 0) || !(hi > 0) || !finite(lo) || !finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	e0, e1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	var ticks []float64
	if e1-e0 <= 2 {
		for e := e0; e <= e1; e++ {
			for _, m := range []float64{1, 2, 5} {
				v := m * math.Pow(10, e)
				if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
					ticks = append(ticks, v)
				}
			}
		}
		if len(ticks) >= 2 {
			return ticks
		}
		// Less than one 1-2-5 step inside: fall back to linear ticks.
		return NiceTicks(lo, hi, maxTicks)
	}
	every := math.Max(1, math.Ceil((e1-e0+1)/float64(max(maxTicks, 2))))
	for e := e0; e <= e1; e += every {
		v := math.Pow(10, e)
		if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
			ticks = append(ticks, v)
		}
	}
	return ticks
}
