package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// fileAssets reads the packed data sets from a folder (dist/data, where
// `make mnist-pack` and `make fashion-pack` write them).
type fileAssets struct{ dir string }

// packCommand names the make target that writes each asset.
var packCommand = map[string]string{"mnist.vpk": "make mnist-pack", "fashion.vpk": "make fashion-pack"}

func (a fileAssets) Fetch(name string, progress func(done, total int64)) ([]byte, error) {
	path := filepath.Join(a.dir, name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		how := packCommand[name]
		if how == "" {
			how = "the data's pack command"
		}
		return nil, fmt.Errorf("%s is missing: run `%s` first (or pass -data-dir)", path, how)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	total := st.Size()
	progress(0, total)
	b, err := io.ReadAll(io.LimitReader(f, 64<<20+1))
	progress(int64(len(b)), total)
	return b, err
}
