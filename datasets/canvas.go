package datasets

import (
	"errors"
	"fmt"
	"math"
)

// Canvas collects points drawn with the mouse. Every method that changes it
// validates first and leaves it untouched on error. The zero value is an
// empty canvas ready to use.
type Canvas struct {
	xy     []float64
	labels []int
}

// Len returns the number of points.
func (c *Canvas) Len() int { return len(c.labels) }

// At returns point i and its label.
func (c *Canvas) At(i int) (x, y float64, label int) {
	return c.xy[2*i], c.xy[2*i+1], c.labels[i]
}

// Add appends the point (x, y) with a label in [0, MaxLabels). It fails on
// non-finite or absurd coordinates (|v| > MaxAbsValue), a label out of
// range, or a full canvas (MaxDrawnRows points).
func (c *Canvas) Add(x, y float64, label int) error {
	if _, err := checkCoord(x); err != nil {
		return fmt.Errorf("canvas: x: %w", err)
	}
	if _, err := checkCoord(y); err != nil {
		return fmt.Errorf("canvas: y: %w", err)
	}
	if label < 0 || label >= MaxLabels {
		return fmt.Errorf("canvas: label %d outside [0, %d)", label, MaxLabels)
	}
	if c.Len() >= MaxDrawnRows {
		return fmt.Errorf("canvas: full (%d points)", MaxDrawnRows)
	}
	c.xy = append(c.xy, x, y)
	c.labels = append(c.labels, label)
	return nil
}

// EraseNear removes every point within distance r of (x, y) and returns how
// many it removed. Order of the remaining points is kept.
func (c *Canvas) EraseNear(x, y, r float64) int {
	if !(r >= 0) || math.IsNaN(x) || math.IsNaN(y) {
		return 0
	}
	r2 := float64(r * r)
	k := 0
	for i := range c.labels {
		dx, dy := c.xy[2*i]-x, c.xy[2*i+1]-y
		if float64(dx*dx)+float64(dy*dy) <= r2 {
			continue
		}
		c.xy[2*k], c.xy[2*k+1] = c.xy[2*i], c.xy[2*i+1]
		c.labels[k] = c.labels[i]
		k++
	}
	removed := len(c.labels) - k
	c.xy, c.labels = c.xy[:2*k], c.labels[:k]
	return removed
}

// RemoveLast removes the most recent point (an undo step); it reports
// whether there was one.
func (c *Canvas) RemoveLast() bool {
	if c.Len() == 0 {
		return false
	}
	c.xy, c.labels = c.xy[:len(c.xy)-2], c.labels[:len(c.labels)-1]
	return true
}

// Clear removes every point.
func (c *Canvas) Clear() { c.xy, c.labels = c.xy[:0], c.labels[:0] }

// Dataset returns a copy of the points as a dataset named "drawn", with
// labels named "class 1".."class k" for the highest label used. It fails on
// an empty canvas.
func (c *Canvas) Dataset() (*Dataset, error) {
	if c.Len() == 0 {
		return nil, errors.New("canvas: no points drawn")
	}
	maxL := 0
	for _, l := range c.labels {
		maxL = max(maxL, l)
	}
	d := &Dataset{
		Name: "drawn", Kind: Points2D, N: c.Len(), D: 2,
		X:          cloneSlice(c.xy),
		Labels:     cloneSlice(c.labels),
		LabelNames: numbered("class", maxL+1),
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("canvas: %w", err)
	}
	return d, nil
}
