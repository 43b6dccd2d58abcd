package sessionstore

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestFileStoreRoundTripsAndSetsAside(t *testing.T) {
	s := File{Path: filepath.Join(t.TempDir(), "sub", "session.vses")}
	if b, err := s.Get(); err != nil || b != nil {
		t.Fatalf("empty store gave %q, %v", b, err)
	}
	for _, want := range [][]byte{[]byte("first"), []byte("second, longer")} {
		if err := s.Put(want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path), ".session-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := s.SetAside(); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Get(); err != nil || b != nil {
		t.Fatalf("after set-aside got %q, %v", b, err)
	}
	if _, err := os.Stat(s.Path + ".unreadable"); err != nil {
		t.Errorf("set-aside record missing: %v", err)
	}
	if err := s.SetAside(); err != nil {
		t.Errorf("set-aside of nothing: %v", err)
	}
}
