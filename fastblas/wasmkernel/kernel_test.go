package wasmkernel

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

func TestSignedLEB128(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want []byte
	}{
		{0, []byte{0x00}},
		{-1, []byte{0x7f}},
		{63, []byte{0x3f}},
		{64, []byte{0xc0, 0x00}},
		{-64, []byte{0x40}},
		{-65, []byte{0xbf, 0x7f}},
		{624485, []byte{0xe5, 0x8e, 0x26}},
	} {
		f := newFunction("t")
		f.sleb(tc.v)
		if got := f.body.Bytes(); !bytes.Equal(got, tc.want) {
			t.Errorf("sleb(%d) = % x, want % x", tc.v, got, tc.want)
		}
	}
}

// exportNames reads the export section of a module.
func exportNames(t *testing.T, mod []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(mod, []byte("\x00asm\x01\x00\x00\x00")) {
		t.Fatalf("bad header % x", mod[:8])
	}
	r := bytes.NewReader(mod[8:])
	uvarint := func() uint64 {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for r.Len() > 0 {
		id, _ := r.ReadByte()
		size := uvarint()
		content := make([]byte, size)
		if _, err := r.Read(content); err != nil {
			t.Fatal(err)
		}
		if id != 7 {
			continue
		}
		r = bytes.NewReader(content)
		var names []string
		for n := uvarint(); n > 0; n-- {
			name := make([]byte, uvarint())
			r.Read(name)
			names = append(names, string(name))
			r.ReadByte() // kind
			uvarint()    // index
		}
		return names
	}
	t.Fatal("no export section")
	return nil
}

// TestModuleExportsTheABI: the Go side imports these names and the host
// forwards them one-to-one, so the module must export exactly them.
func TestModuleExportsTheABI(t *testing.T) {
	mod := Module()
	want := []string{ExportABI, ExportPackA, ExportPackB, ExportScaleC, ExportMacro}
	if got := exportNames(t, mod); !slices.Equal(got, want) {
		t.Errorf("exports %q, want %q", got, want)
	}
	if !bytes.Equal(mod, Module()) {
		t.Error("Module is not deterministic")
	}
}
