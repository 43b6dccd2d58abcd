package session

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vaeplayground/vae/datasets"
)

// fakeAssets serves a packed file made from procedural shapes under the
// name mnist.vpk, after a gate opens, reporting progress.
type fakeAssets struct {
	data  []byte
	err   error
	gate  chan struct{}
	calls atomic.Int32
}

func (f *fakeAssets) Fetch(name string, progress func(done, total int64)) ([]byte, error) {
	f.calls.Add(1)
	progress(0, int64(len(f.data)))
	<-f.gate
	if f.err != nil {
		return nil, f.err
	}
	progress(int64(len(f.data)), int64(len(f.data)))
	return f.data, nil
}

func packedShapes(t *testing.T) []byte {
	t.Helper()
	gen := func(n int, seed uint64) *datasets.Dataset {
		ds, err := datasets.Generate("shapes", datasets.Params{"n": float64(n)}, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		ds.LabelNames = datasets.DigitNames[:len(ds.LabelNames)]
		return ds
	}
	var b bytes.Buffer
	if err := datasets.WritePacked(&b, "mnist", 4, gen(400, 1), gen(100, 2)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// waitLoaded ticks the session until its fetch is applied.
func waitLoaded(t *testing.T, s *Session) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Loading != nil && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		s.Tick(time.Now())
	}
	if s.Loading != nil {
		t.Fatal("the fetch never finished")
	}
}

func TestAssetSetLoadsLazily(t *testing.T) {
	src := &fakeAssets{data: packedShapes(t), gate: make(chan struct{})}
	s, err := NewWithAssets("", Inline, src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if src.calls.Load() != 0 {
		t.Fatal("an asset was fetched before any set needed it")
	}
	s.StepN(3)
	if err := s.Set("data", "mnist"); err != nil {
		t.Fatal(err)
	}
	// While loading: the old session runs on, the values are unchanged.
	if s.Loading == nil || s.Values.Choice("data") != "moons" || s.Steps() != 3 {
		t.Fatalf("during the fetch: loading %v, data %s, steps %d", s.Loading != nil, s.Values.Choice("data"), s.Steps())
	}
	for i := 0; i < 1000; i++ { // the fetch reports from its own goroutine
		if _, total := s.Loading.Progress(); total > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if done, total := s.Loading.Progress(); done != 0 || total != int64(len(src.data)) {
		t.Fatalf("progress %d of %d", done, total)
	}
	s.StepN(2)
	close(src.gate)
	waitLoaded(t, s)
	if s.Values.Choice("data") != "mnist" || s.Data.D != 784 || s.Config.Likelihood != "bernoulli" {
		t.Fatalf("after the fetch: %s, D %d, %s (%s)", s.Values.Choice("data"), s.Data.D, s.Config.Likelihood, s.Message)
	}
	if !s.Hyper().Binarize || s.Test == nil {
		t.Fatal("Bernoulli on images: no dynamic binarisation or no test split")
	}
	if r, _ := s.Test.Dims(); r != 100 {
		t.Fatalf("test split has %d rows, want the packed 100", r)
	}
	for _, v := range s.Test.RawMatrix().Data {
		if v != 0 && v != 1 {
			t.Fatal("test split not binarised once")
		}
	}
	s.StepN(5)
	if s.Steps() != 5 {
		t.Fatalf("%d steps on the new set", s.Steps())
	}
	// Changing n re-decodes from the cache: no second fetch.
	if err := s.Set("d.n", "200"); err != nil || s.Data.N != 200 || src.calls.Load() != 1 {
		t.Fatalf("n=200: %v, %d images, %d fetches", err, s.Data.N, src.calls.Load())
	}
}

func TestAssetFailureLeavesTheSession(t *testing.T) {
	src := &fakeAssets{err: errors.New("HTTP 404"), gate: make(chan struct{})}
	close(src.gate)
	s, err := NewWithAssets("", Inline, src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(4)
	before := s.Snapshot()
	if err := s.Set("data", "fashion"); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, s)
	if s.Values.Choice("data") != "moons" || s.Steps() != 4 || len(s.Snapshot()) != len(before) {
		t.Fatalf("after a failed fetch: %s, %d steps", s.Values.Choice("data"), s.Steps())
	}
	if want := "could not load fashion"; len(s.Message) < len(want) || s.Message[:len(want)] != want {
		t.Fatalf("message %q", s.Message)
	}
	// No source at all (a build without one): a clear error at once.
	n, _ := New("", Inline)
	defer n.Close()
	if err := n.Set("data", "mnist"); err == nil {
		t.Fatal("mnist without an asset source accepted")
	}
}

func TestLinkToAnAssetSet(t *testing.T) {
	src := &fakeAssets{data: packedShapes(t), gate: make(chan struct{})}
	close(src.gate)
	s, err := NewWithAssets("data=mnist&latent=3&seed=5", Inline, src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	waitLoaded(t, s)
	if s.Values.Choice("data") != "mnist" || s.Config.LatentDim != 3 || s.Values.Int("seed") != 5 {
		t.Fatalf("link opened %s, latent %d, seed %d", s.Values.Choice("data"), s.Config.LatentDim, s.Values.Int("seed"))
	}
}
