package datasets

import (
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Procedural shapes: small grey images of one white shape on black, with
// known generating factors, in the spirit of dSprites. Each image draws a
// shape (the label) with independent uniform factors:
//
//	scale     in [0.5, 1]: the shape fits a disc of radius 0.28·scale·side
//	rotation  in [0, 2π): radians, counter-clockwise as seen on screen
//	x, y      in [0, 1]: the centre, from left to right and top to bottom,
//	          over [0.3·side, 0.7·side], so no shape is ever clipped
//
// Pixels are the covered fraction of each pixel (4×4 samples), 0..255.

// ShapeNames are the labels of the procedural shape set.
var ShapeNames = []string{"square", "ellipse", "triangle", "heart"}

// ShapeFactorNames are the factors of the procedural shape set, in order.
var ShapeFactorNames = []string{"scale", "rotation", "x", "y"}

// Shape outlines in local units; each fits in the unit disc.
const (
	squareHalf   = 0.7  // half side: corners at radius 0.99
	ellipseA     = 0.95 // semi-axes
	ellipseB     = 0.5
	triangleCirc = 0.95 // circumradius of the equilateral triangle
	heartScale   = 0.72 // the heart curve reaches radius ≈ 0.96
	shapeRadius  = 0.28 // outer radius at scale 1, in image sides
	shapeMargin  = 0.3  // centres lie in [margin, 1−margin]·side
)

// insideShape reports whether the local point (u, v) (v up) is inside
// shape k.
func insideShape(k int, u, v float64) bool {
	switch k {
	case 0:
		return math.Abs(u) <= squareHalf && math.Abs(v) <= squareHalf
	case 1:
		return float64((u/ellipseA)*(u/ellipseA))+float64((v/ellipseB)*(v/ellipseB)) <= 1
	case 2:
		// Vertices at 90°, 210°, 330°; outward edge normals at 270°, 30°, 150°.
		in := triangleCirc / 2
		return -v <= in &&
			float64(u*math.Sqrt(3)/2)+float64(v/2) <= in &&
			float64(-u*math.Sqrt(3)/2)+float64(v/2) <= in
	case 3:
		// (x²+y²−1)³ ≤ x²y³, scaled and lowered to centre it.
		x, y := u/heartScale, v/heartScale+0.12
		a := float64(x*x) + float64(y*y) - 1
		return a*a*a <= x*x*y*y*y
	}
	return false
}

// genShapes draws n shape images of side×side pixels.
func genShapes(rng *rand.Rand, p Params) (*Dataset, error) {
	n, side := p.Int("n"), p.Int("size")
	d := &Dataset{
		Name: "shapes", Kind: Image, N: n, D: side * side, Width: side, Height: side,
		Pix:    make([]uint8, n*side*side),
		Labels: make([]int, n), LabelNames: ShapeNames,
		Factors: make([]float64, n*4), FactorNames: ShapeFactorNames,
	}
	const ss = 4 // samples per pixel side
	fs := float64(side)
	for i := 0; i < n; i++ {
		k := rng.IntN(len(ShapeNames))
		scale := 0.5 + float64(0.5*rng.Float64())
		rot := float64(2 * math.Pi * rng.Float64())
		fx, fy := rng.Float64(), rng.Float64()
		d.Labels[i] = k
		copy(d.Factors[4*i:], []float64{scale, rot, fx, fy})

		r := float64(shapeRadius * scale * fs)
		cx, cy := float64(shapeMargin*fs)+float64(fx*(1-2*shapeMargin)*fs), float64(shapeMargin*fs)+float64(fy*(1-2*shapeMargin)*fs)
		sin, cos := pmath.Sincos(rot)
		img := d.Pix[i*d.D : (i+1)*d.D]
		x0, x1 := max(0, int(cx-r)-1), min(side-1, int(cx+r)+1)
		y0, y1 := max(0, int(cy-r)-1), min(side-1, int(cy+r)+1)
		for py := y0; py <= y1; py++ {
			for px := x0; px <= x1; px++ {
				hits := 0
				for sy := 0; sy < ss; sy++ {
					for sx := 0; sx < ss; sx++ {
						// Sample point, relative to the centre, y up, in radii.
						dx := (float64(px) + float64((float64(sx)+0.5)/ss) - cx) / r
						dy := -(float64(py) + float64((float64(sy)+0.5)/ss) - cy) / r
						// Undo the rotation.
						u := float64(cos*dx) + float64(sin*dy)
						v := float64(-sin*dx) + float64(cos*dy)
						if insideShape(k, u, v) {
							hits++
						}
					}
				}
				img[py*side+px] = uint8((hits*255 + ss*ss/2) / (ss * ss))
			}
		}
	}
	return d, nil
}
