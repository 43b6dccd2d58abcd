package sessionstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File keeps the autosaved session in one file. A save goes to a
// temporary file beside it that is renamed over it once complete, so a
// crash mid-write leaves the previous session whole.
type File struct{ Path string }

// DefaultPath is the session file in the user's cache folder.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "vae-playground", "session.vses"), nil
}

// maxStoredBytes bounds what is read back (a session of the largest model
// the playground builds is far smaller).
const maxStoredBytes = 512 << 20

// Get returns the saved record, or nil when there is none.
func (s File) Get() ([]byte, error) {
	f, err := os.Open(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxStoredBytes+1))
	if err == nil && len(b) > maxStoredBytes {
		err = fmt.Errorf("%s: larger than %d MiB", s.Path, maxStoredBytes>>20)
	}
	return b, err
}

// Put replaces the saved record.
func (s File) Put(data []byte) error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.Path), ".session-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.Path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// SetAside moves an unreadable record out of the way (kept for a look,
// never read again) so that the next start is fresh.
func (s File) SetAside() error {
	err := os.Rename(s.Path, s.Path+".unreadable")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
