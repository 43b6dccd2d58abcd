package session

import (
	"slices"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
)

// The flow lab's settings (Setting.Lab) need the lab's targets: they are
// named here so that the table does not reach into the lab's scene.

// PaintedTarget is the target the user paints in the flow lab's target view.
const PaintedTarget = "painted"

// LabTargets are the lab's target choices: the energies, the registry's
// generated 2-D sets (all of them lie in [−4, 4]², the lab's box), painted.
func LabTargets() []string {
	names := core.EnergyNames()
	for _, e := range datasets.List() {
		if e.Kind == datasets.Points2D && e.Source == datasets.Generated {
			names = append(names, e.Name)
		}
	}
	return append(names, PaintedTarget)
}

// IsEnergyTarget reports whether the target called name is a test energy.
func IsEnergyTarget(name string) bool { return slices.Contains(core.EnergyNames(), name) }

// LabEnergyTarget says whether the lab's target is fitted by reverse KL (an
// energy or a painting), where annealing applies.
func LabEnergyTarget(v *Values) bool {
	t := v.Choice("target")
	return IsEnergyTarget(t) || t == PaintedTarget
}

// InterpModes are the choices of the VAE views' interpolation setting
// ("interp"): off, or the paths drawn.
var InterpModes = []string{"off", "linear", "spherical", "both"}
