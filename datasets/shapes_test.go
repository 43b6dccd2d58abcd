package datasets

import (
	"math"
	"testing"
)

// moments returns the mass (in pixels), centroid (x right, y down, pixel
// centres at +0.5) and central second moments (y up) of image i.
func moments(d *Dataset, i int) (m, cx, cy, mu20, mu02, mu11 float64) {
	w := d.Width
	img := d.Pix[i*d.D : (i+1)*d.D]
	for j, p := range img {
		v := float64(p) / 255
		m += v
		cx += v * (float64(j%w) + 0.5)
		cy += v * (float64(j/w) + 0.5)
	}
	cx /= m
	cy /= m
	for j, p := range img {
		v := float64(p) / 255
		dx, dy := float64(j%w)+0.5-cx, -(float64(j/w) + 0.5 - cy)
		mu20 += v * dx * dx
		mu02 += v * dy * dy
		mu11 += v * dx * dy
	}
	return m, cx, cy, mu20 / m, mu02 / m, mu11 / m
}

func TestShapes(t *testing.T) {
	const side = 48
	d := gen(t, "shapes", Params{"n": 600, "size": side}, 30)
	if d.N != 600 || d.D != side*side || d.Width != side || len(d.Factors) != 600*4 {
		t.Fatalf("N=%d D=%d W=%d factors=%d", d.N, d.D, d.Width, len(d.Factors))
	}
	areas := []float64{4 * squareHalf * squareHalf, math.Pi * ellipseA * ellipseB, 3 * math.Sqrt(3) / 4 * triangleCirc * triangleCirc}
	var heartC, heartS float64
	hearts := 0
	counts := labelCounts(d)
	for k, c := range counts {
		if c < 100 {
			t.Errorf("shape %s drawn %d times of 600", ShapeNames[k], c)
		}
	}
	for i := 0; i < d.N; i++ {
		k := d.Labels[i]
		scale, rot, fx, fy := d.Factor(i, 0), d.Factor(i, 1), d.Factor(i, 2), d.Factor(i, 3)
		if scale < 0.5 || scale > 1 || rot < 0 || rot >= 2*math.Pi || fx < 0 || fx > 1 || fy < 0 || fy > 1 {
			t.Fatalf("image %d: factors out of range: %v", i, d.Factors[4*i:4*i+4])
		}
		r := shapeRadius * scale * side
		wantX, wantY := side*(0.3+0.4*fx), side*(0.3+0.4*fy)
		m, cx, cy, mu20, mu02, mu11 := moments(d, i)
		// Nothing touches the border: every shape stays inside.
		for j := 0; j < side; j++ {
			if d.Pix[i*d.D+j] != 0 || d.Pix[i*d.D+(side-1)*side+j] != 0 || d.Pix[i*d.D+j*side] != 0 || d.Pix[i*d.D+j*side+side-1] != 0 {
				t.Fatalf("image %d touches the border", i)
			}
		}
		if k < 3 {
			// Symmetric shapes: area scale²·A, centroid at the position factor.
			if want := areas[k] * r * r; math.Abs(m-want) > 0.03*want+1 {
				t.Errorf("image %d (%s, r=%.2f): area %.2f, want %.2f", i, ShapeNames[k], r, m, want)
			}
			if math.Hypot(cx-wantX, cy-wantY) > 0.15 {
				t.Errorf("image %d (%s): centroid (%.2f,%.2f), want (%.2f,%.2f)", i, ShapeNames[k], cx, cy, wantX, wantY)
			}
		}
		if k == 1 {
			// The ellipse's long axis lies at the rotation angle (mod π).
			ang := 0.5 * math.Atan2(2*mu11, mu20-mu02)
			if diff := math.Remainder(ang-rot, math.Pi); math.Abs(diff) > 0.1 {
				t.Errorf("image %d: ellipse axis at %.3f rad, rotation %.3f", i, ang, rot)
			}
		}
		if k == 3 {
			// A heart's centroid is off its centre along its own axis:
			// the offset direction minus the rotation is the same for all.
			a := math.Atan2(-(cy-wantY), cx-wantX) - rot
			heartC += math.Cos(a)
			heartS += math.Sin(a)
			hearts++
		}
	}
	if R := math.Hypot(heartC, heartS) / float64(hearts); R < 0.95 {
		t.Errorf("heart offsets do not turn with the rotation factor (mean resultant %.3f)", R)
	}
}
