package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestRowBatchHead(t *testing.T) {
	d := gen(t, "2spirals", Params{"n": 10}, 1)
	b := d.Batch(nil, []int{3, 0})
	if !slices.Equal(b, append(slices.Clone(d.X[6:8]), d.X[0:2]...)) {
		t.Errorf("Batch = %v", b)
	}
	buf := make([]float64, 4)
	if allocs := testing.AllocsPerRun(10, func() { d.Batch(buf, []int{1, 2}) }); allocs != 0 {
		t.Errorf("Batch into a buffer allocates %v times", allocs)
	}
	h := d.Head(4)
	if h.N != 4 || len(h.X) != 8 || len(h.Labels) != 4 || len(h.Factors) != 4 || h.Validate() != nil {
		t.Errorf("Head(4): N=%d X=%d labels=%d factors=%d", h.N, len(h.X), len(h.Labels), len(h.Factors))
	}
	h.X[0] = 99
	if d.X[0] == 99 {
		t.Error("Head shares memory")
	}
	if d.Head(100).N != 10 {
		t.Error("Head beyond N")
	}
	img := gen(t, "shapes", Params{"n": 3, "size": 12}, 1)
	r := img.Row(nil, 2)
	for j, v := range r {
		if v != float64(img.Pix[2*144+j])/255 {
			t.Fatalf("image Row[%d] = %v", j, v)
		}
	}
}

func TestValidateCatches(t *testing.T) {
	ok := func() *Dataset {
		return &Dataset{Kind: Points2D, N: 2, D: 2, X: []float64{0, 1, 2, 3}, Labels: []int{0, 1}, LabelNames: []string{"a", "b"}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(d *Dataset){
		"empty":        func(d *Dataset) { d.N = 0 },
		"short X":      func(d *Dataset) { d.X = d.X[:3] },
		"NaN":          func(d *Dataset) { d.X[2] = math.NaN() },
		"Inf":          func(d *Dataset) { d.X[1] = math.Inf(-1) },
		"label range":  func(d *Dataset) { d.Labels[1] = 2 },
		"label count":  func(d *Dataset) { d.Labels = d.Labels[:1] },
		"no values":    func(d *Dataset) { d.X = nil },
		"pix on point": func(d *Dataset) { d.X, d.Pix = nil, []uint8{1, 2, 3, 4} },
		"factor count": func(d *Dataset) { d.Factors, d.FactorNames = []float64{1}, []string{"t"} },
		"bad norm":     func(d *Dataset) { d.Norm = Normalization{Shift: []float64{0, 0}, Scale: []float64{1, 0}} },
	} {
		d := ok()
		mut(d)
		if err := d.Validate(); err == nil {
			t.Errorf("%s: Validate passed", name)
		}
	}
}

func ExampleGenerate() {
	e, _ := Lookup("moons")
	p, err := e.ParseParams(map[string]string{"n": "500", "noise": "0.05"})
	if err != nil {
		panic(err)
	}
	d, err := Generate("moons", p, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.N, d.D, strings.Join(d.LabelNames, ", "))
	_, err = e.ParseParams(map[string]string{"n": "-3"})
	fmt.Println(err)
	// Output:
	// 500 2 upper moon, lower moon
	// moons: parameter n: -3 is outside [1, 100000]
}
