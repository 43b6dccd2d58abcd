package session

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

// AssetSource fetches a data file by name (the registry's Entry.Asset):
// from the site's data/ folder in the browser, from dist/data on the
// desktop. Fetch blocks; the session calls it on a goroutine of its own and
// keeps drawing meanwhile. progress (may be called from that goroutine)
// reports bytes done of total (total ≤ 0 when unknown).
type AssetSource interface {
	Fetch(name string, progress func(done, total int64)) ([]byte, error)
}

// Loading is an asset fetch in progress.
type Loading struct {
	Name string // the asset
	Set  string // the dataset that needs it

	mu          sync.Mutex
	done, total int64
	data        []byte
	err         error
	finished    bool
	values      *Values // the settings to apply once it arrives
}

// Progress returns bytes done and total (total ≤ 0 when unknown).
func (l *Loading) Progress() (done, total int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done, l.total
}

// errLoading says the data are on their way: the session keeps running
// and switches when they arrive.
var errLoading = errors.New("loading")

// maxAssetBytes bounds a fetched data file.
const maxAssetBytes = 64 << 20

// assetData decodes an asset dataset from the cache, or starts fetching it
// and returns errLoading.
func (s *Session) assetData(e datasets.Entry, p datasets.Params) (*datasets.Dataset, error) {
	if s.assetCache == nil {
		s.assetCache = map[string][]byte{}
	}
	b, ok := s.assetCache[e.Asset]
	if !ok {
		if s.Assets == nil {
			return nil, fmt.Errorf("%s needs the file %s, and this build has no way to fetch it", e.Name, e.Asset)
		}
		if s.Loading == nil || s.Loading.Name != e.Asset {
			l := &Loading{Name: e.Asset, Set: e.Name}
			s.Loading = l
			src := s.Assets
			go func() {
				b, err := src.Fetch(e.Asset, func(done, total int64) {
					l.mu.Lock()
					l.done, l.total = done, total
					l.mu.Unlock()
				})
				if err == nil && len(b) > maxAssetBytes {
					b, err = nil, fmt.Errorf("%s: larger than %d MiB", e.Asset, maxAssetBytes>>20)
				}
				l.mu.Lock()
				l.data, l.err, l.finished = b, err, true
				l.mu.Unlock()
			}()
		}
		s.Loading.values = s.Values.Clone()
		return nil, errLoading
	}
	key := fmt.Sprint(e.Name, p)
	if s.decoded != nil && s.decodedKey == key {
		return s.decoded, nil
	}
	ds, err := e.Load(bytes.NewReader(b), p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Asset, err)
	}
	s.decoded, s.decodedKey = ds, key
	return ds, nil
}

// pollLoading applies a finished fetch: on success the waiting settings
// take effect (a new model on the new data); on failure a message, and the
// session goes on as it was.
func (s *Session) pollLoading() {
	l := s.Loading
	if l == nil {
		return
	}
	l.mu.Lock()
	finished, data, err, values := l.finished, l.data, l.err, l.values
	l.mu.Unlock()
	if !finished {
		return
	}
	s.Loading = nil
	if err != nil {
		s.Message = fmt.Sprintf("could not load %s: %v", l.Set, err)
		return
	}
	s.assetCache[l.Name] = data
	if values == nil {
		return
	}
	old, playing := s.Values, s.Playing
	s.Values = values
	if err := s.Rebuild(); err != nil {
		s.Values = old
		s.Message = fmt.Sprintf("%s: %v", l.Set, err)
		return
	}
	s.Playing = playing
	s.Message = fmt.Sprintf("%s loaded: %d images, new model", l.Set, s.Data.N)
}

// rowsOf is the dataset as a matrix of rows in [0, 1] for images.
func rowsOf(ds *datasets.Dataset) *mat.Dense {
	if ds.X != nil {
		return mat.NewDense(ds.N, ds.D, ds.X)
	}
	idx := make([]int, ds.N)
	for i := range idx {
		idx[i] = i
	}
	return mat.NewDense(ds.N, ds.D, ds.Batch(nil, idx))
}

// maxHeldOut bounds the held-out rows the session keeps.
const maxHeldOut = 500

// heldOut is data the model does not train on: for image sets from the
// registry the test split (binarised once with a fixed seed under a
// Bernoulli decoder, as bounds are reported); for generated points a fresh
// sample; nil for the user's own points.
func (s *Session) heldOut(ds *datasets.Dataset, cfg core.Config) *mat.Dense {
	e := s.Entry
	if e.Name != ds.Name || s.Values.Choice("data") != e.Name {
		return nil
	}
	p := datasets.Params{}
	for _, d := range DataSettings(e.Name) {
		p[d.Key[len(dataPrefix):]] = s.Values.Get(d.Key)
	}
	var test *datasets.Dataset
	var err error
	switch e.Source {
	case datasets.Asset:
		p["split"], p["n"] = 1, maxHeldOut
		if b, ok := s.assetCache[e.Asset]; ok {
			test, err = e.Load(bytes.NewReader(b), p)
		}
	case datasets.Generated:
		p["n"] = maxHeldOut
		test, err = e.Generate(rand.New(rand.NewPCG(uint64(s.Values.Int("dseed")), 0x7e57)), p)
	}
	if test == nil || err != nil {
		return nil
	}
	x := rowsOf(test)
	if cfg.Likelihood == "bernoulli" && test.Kind == datasets.Image {
		if b, err := core.BinarizeTestSplit(x); err == nil {
			x = b
		}
	}
	return x
}
