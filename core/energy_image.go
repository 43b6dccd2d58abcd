package core

import (
	"errors"
	"fmt"
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
)

// MaxDensityImageSide bounds a painted target's grid on each axis.
const MaxDensityImageSide = 1024

// densityImage is a painted target (see NewDensityImage).
type densityImage struct {
	name   string
	p      []float64 // nx×ny cell values, row 0 at the bottom
	nx, ny int
	floor  float64
}

// NewDensityImage turns a painted density into an Energy on the box
// [−4, 4]²: values holds nx×ny non-negative cell values, row-major with row
// 0 at the bottom (render.Grid's layout), sampled at the cell centres. The
// energy is U(z) = −log(p̃(z) + floor), where p̃ interpolates the cells
// bilinearly (held constant beyond the outermost centres) and floor is 10⁻³
// of the largest value, so that unpainted ground has a high but finite
// energy and a gradient still leads somewhere. The values are copied.
func NewDensityImage(name string, values []float64, nx, ny int) (Energy, error) {
	if nx < 2 || ny < 2 || nx > MaxDensityImageSide || ny > MaxDensityImageSide {
		return nil, fmt.Errorf("core: density image %d×%d outside [2, %d] per side", nx, ny, MaxDensityImageSide)
	}
	if len(values) != nx*ny {
		return nil, fmt.Errorf("core: density image has %d values for %d×%d cells", len(values), nx, ny)
	}
	peak := 0.0
	for _, v := range values {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, errors.New("core: density image values must be finite and non-negative")
		}
		peak = max(peak, v)
	}
	if peak == 0 {
		return nil, errors.New("core: density image is empty (nothing painted)")
	}
	return &densityImage{name: name, p: append([]float64(nil), values...), nx: nx, ny: ny, floor: 1e-3 * peak}, nil
}

func (e *densityImage) Name() string { return e.name }

// cell returns the lower cell index along an axis of n centres for the
// data coordinate x, the fraction t ∈ [0, 1] towards the next centre, and
// dt/dx (0 beyond the outermost centres, where the value is held).
func (e *densityImage) cell(x float64, n int) (i int, t, dt float64) {
	h := 2 * EnergyBox / float64(n)
	u := (x+EnergyBox)/h - 0.5
	switch {
	case u <= 0:
		return 0, 0, 0
	case u >= float64(n-1):
		return n - 2, 1, 0
	}
	i = int(u)
	if i > n-2 {
		i = n - 2
	}
	return i, u - float64(i), 1 / h
}

func (e *densityImage) Energy(z, grad []float64) float64 {
	i, tx, dtx := e.cell(z[0], e.nx)
	j, ty, dty := e.cell(z[1], e.ny)
	p00, p10 := e.p[j*e.nx+i], e.p[j*e.nx+i+1]
	p01, p11 := e.p[(j+1)*e.nx+i], e.p[(j+1)*e.nx+i+1]
	bottom := p00 + float64(tx*(p10-p00))
	top := p01 + float64(tx*(p11-p01))
	v := bottom + float64(ty*(top-bottom)) + e.floor
	if grad != nil {
		dx := float64((1-ty)*(p10-p00)) + float64(ty*(p11-p01))
		dy := top - bottom
		grad[0] = -dx * dtx / v
		grad[1] = -dy * dty / v
	}
	return -pmath.Log(v)
}
