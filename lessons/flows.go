package lessons

import "fmt"

// The "flows" lesson: the flow lab fits the energy U1 with 2, then 8,
// then 32 planar layers; the KL to the target falls as layers are added.

// flowFitSteps is the fit a layer count is judged after.
const flowFitSteps = 3000

func flowStep(layers int) *Step {
	return &Step{ID: fmt.Sprintf("k%d", layers),
		Config:   fmt.Sprintf("mode=flowlab&target=u1&lflow=planar&lK=%d", layers),
		Formula:  "z_K = f_K(… f_1(z_0)),  z_0 ~ N(0, I)\nKL(q_K ‖ p) = E[log q_0(z_0) − Σ_{k=1}^{K} log |det ∂f_k/∂z_{k−1}|\n                  + U(z_K)] + log Z",
		Controls: []string{"lK", "llr"},
		Checks:   []Check{{ID: "fit", Watch: watchLab(layers)}}}
}

var flows = &Lesson{Name: "flows", Steps: []*Step{flowStep(2), flowStep(8), flowStep(32)}}

// watchLab fires once the lab's fit with this many layers has run
// flowFitSteps steps, with its KL and the KL the lesson saw for fewer
// layers.
func watchLab(layers int) func(w *Watch) Result {
	return func(w *Watch) Result {
		if w.Lab == nil {
			return Result{Msg: msg("flows.lab.off")}
		}
		kl, step, isKL, ok := w.Lab.Score()
		if !ok || !isKL {
			return Result{Msg: msg("flows.fit.wait0", w.Lab.Steps(), flowFitSteps)}
		}
		if step < flowFitSteps {
			return Result{Msg: msg("flows.fit.wait", Num{kl, 3}, step, flowFitSteps)}
		}
		w.mem.Put(fmt.Sprintf("kl %d", layers), kl)
		for _, fewer := range []int{8, 2} {
			if prev, seen := w.mem.Get(fmt.Sprintf("kl %d", fewer)); seen && fewer < layers {
				return Result{Done: true, Msg: msg("flows.fit.below", layers, Num{kl, 3}, step, fewer, Num{prev, 3})}
			}
		}
		return Result{Done: true, Msg: msg("flows.fit.done", layers, Num{kl, 3}, step)}
	}
}
