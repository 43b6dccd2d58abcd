package core_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// ExampleNewTrainer trains the reference 2-D model on a noisy ring for a
// few epochs. The same seeds give the same steps, so the printed numbers do
// not change between runs.
func ExampleNewTrainer() {
	// 512 points on a circle of radius 2, with a little noise.
	data := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(512, 2, nil)
	for i := range 512 {
		a := 2 * math.Pi * data.Float64()
		x.Set(i, 0, 2*math.Cos(a)+0.1*data.NormFloat64())
		x.Set(i, 1, 2*math.Sin(a)+0.1*data.NormFloat64())
	}

	m, err := core.NewModel(core.DefaultConfig2D(), rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		panic(err)
	}
	hyper := core.DefaultHyper()
	hyper.LearningRate = 3e-3
	tr, err := core.NewTrainer(m, x, 64, hyper, 5)
	if err != nil {
		panic(err)
	}
	first := tr.Step()
	var last core.StepResult
	for range 199 {
		last = tr.Step()
	}
	fmt.Printf("%d steps, %d epochs, none skipped: %t\n", last.Step, last.Epoch, !last.Skipped)
	fmt.Printf("ELBO per point: first step %.1f nats, last step %.1f nats\n", first.ELBO, last.ELBO)
	// Output:
	// 200 steps, 24 epochs, none skipped: true
	// ELBO per point: first step -4.4 nats, last step -3.3 nats
}
