package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func sample() ([]Tensor, map[string]string) {
	return []Tensor{
		Float64Tensor("encoder.layers.0.weight", []int{3, 2}, []float64{1, -2, 3.5, math.Pi, 0, -0.25}),
		Float64Tensor("encoder.layers.0.bias", []int{3}, []float64{7, 8, 9}),
		Float64Tensor("scalar", []int{}, []float64{42}),
		{Name: "empty", DType: F32, Shape: []int{0, 4}, Data: []byte{}},
		{Name: "f32", DType: F32, Shape: []int{2}, Data: binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, math.Float32bits(1.5)), math.Float32bits(-3))},
	}, map[string]string{"config": `{"a":1}`, "format": "pt"}
}

func TestWriteReadRoundTrip(t *testing.T) {
	tensors, meta := sample()
	var buf bytes.Buffer
	if err := Write(&buf, meta, tensors); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("buffer starts at %d, not 8-byte aligned", 8+n)
	}
	if !strings.HasPrefix(string(b[8:]), `{"__metadata__":{"config":"{\"a\":1}","format":"pt"},"encoder.layers.0.weight":{"dtype":"F64","shape":[3,2],"data_offsets":[0,48]}`) {
		t.Errorf("header %s", b[8:8+n])
	}
	got, gotMeta, err := Read(bytes.NewReader(b), DefaultMaxHeader, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotMeta) != 2 || gotMeta["config"] != meta["config"] || gotMeta["format"] != "pt" {
		t.Errorf("metadata %v", gotMeta)
	}
	if len(got) != len(tensors) {
		t.Fatalf("%d tensors, want %d", len(got), len(tensors))
	}
	for _, w := range tensors {
		i := slices.IndexFunc(got, func(g Tensor) bool { return g.Name == w.Name })
		if i < 0 {
			t.Fatalf("%s missing", w.Name)
		}
		g := got[i]
		if g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: got %s%v %x, want %s%v %x", w.Name, g.DType, g.Shape, g.Data, w.DType, w.Shape, w.Data)
		}
	}
	vals, err := got[slices.IndexFunc(got, func(g Tensor) bool { return g.Name == "f32" })].Float64s()
	if err != nil || !slices.Equal(vals, []float64{1.5, -3}) {
		t.Errorf("F32 widened to %v, %v", vals, err)
	}
}

// file builds a file from a raw header and buffer.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestReaderKeepsTheFormatRules(t *testing.T) {
	d16 := make([]byte, 16)
	ok := `{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`
	if _, _, err := Read(bytes.NewReader(file(ok, d16)), DefaultMaxHeader, 1<<20); err != nil {
		t.Fatalf("valid file refused: %v", err)
	}
	if _, _, err := Read(bytes.NewReader(file(ok+"    ", d16)), DefaultMaxHeader, 1<<20); err != nil {
		t.Fatalf("space padding refused: %v", err)
	}
	cases := []struct {
		name, header string
		data         []byte
		want         string
	}{
		{"not an object", `["a"]`, nil, "start with '{'"},
		{"leading space", ` {}`, nil, "start with '{'"},
		{"newline padding", ok + "\n", d16, "after its object"},
		{"trailing junk", ok + "x", d16, "after its object"},
		{"second object", ok + "{}", d16, "after its object"},
		{"invalid utf-8", "{\"a\xff\":{}}", nil, "UTF-8"},
		{"duplicate tensor", `{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, d16, "twice"},
		{"duplicate spelt differently", `{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"\u0061":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, d16, "twice"},
		{"duplicate field", `{"a":{"dtype":"F64","dtype":"F32","shape":[2],"data_offsets":[0,16]}}`, d16, "twice"},
		{"duplicate metadata key", `{"__metadata__":{"k":"1","k":"2"}}`, nil, "twice"},
		{"duplicate metadata", `{"__metadata__":{},"__metadata__":{}}`, nil, "twice"},
		{"metadata number", `{"__metadata__":{"k":1}}`, nil, "strings"},
		{"metadata object", `{"__metadata__":{"k":{}}}`, nil, "strings"},
		{"metadata not an object", `{"__metadata__":"x"}`, nil, "want"},
		{"unknown field", `{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16],"x":1}}`, d16, "unknown field"},
		{"missing field", `{"a":{"dtype":"F64","shape":[2]}}`, nil, "lacks"},
		{"unknown dtype", `{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}`, d16, "unknown dtype"},
		{"negative dim", `{"a":{"dtype":"F64","shape":[-2],"data_offsets":[0,16]}}`, d16, "non-negative"},
		{"fractional dim", `{"a":{"dtype":"F64","shape":[2.0],"data_offsets":[0,16]}}`, d16, "non-negative"},
		{"exponent offset", `{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,1.6e1]}}`, d16, "non-negative"},
		{"three offsets", `{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8,16]}}`, d16, "two numbers"},
		{"size mismatch", `{"a":{"dtype":"F64","shape":[3],"data_offsets":[0,16]}}`, d16, "takes 24 bytes"},
		{"end before begin", `{"a":{"dtype":"F64","shape":[0],"data_offsets":[16,0]}}`, d16, "offsets"},
		{"gap at start", `{"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, d16, "belong to no tensor"},
		{"gap between", `{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}}`, make([]byte, 24), "belong to no tensor"},
		{"overlap", `{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, d16, "overlaps"},
		{"huge shape", `{"a":{"dtype":"F64","shape":[4611686018427387903,4611686018427387903],"data_offsets":[0,16]}}`, d16, "too large"},
		{"truncated buffer", ok, d16[:12], "truncated"},
		{"bytes after the last tensor", ok, make([]byte, 17), "after the last tensor"},
	}
	for _, c := range cases {
		_, _, err := Read(bytes.NewReader(file(c.header, c.data)), DefaultMaxHeader, 1<<20)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one wrapping ErrFormat with %q", c.name, err, c.want)
		}
	}
}

func TestLengthsBoundedBeforeAllocating(t *testing.T) {
	// A header length of 2⁶³ and a header declaring a terabyte of tensors:
	// both refused without allocating (the test would run out of memory).
	huge := binary.LittleEndian.AppendUint64(nil, 1<<63)
	if _, err := ReadHeader(bytes.NewReader(huge), DefaultMaxHeader); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("header length 2⁶³: %v", err)
	}
	big := `{"a":{"dtype":"F64","shape":[137438953472],"data_offsets":[0,1099511627776]}}`
	_, _, err := Read(bytes.NewReader(file(big, nil)), DefaultMaxHeader, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("a terabyte of tensors: %v", err)
	}
	for _, short := range [][]byte{nil, {1, 2, 3}, file(`{"a":1`, nil)[:10]} {
		if _, err := ReadHeader(bytes.NewReader(short), DefaultMaxHeader); !errors.Is(err, ErrFormat) {
			t.Errorf("%x: %v", short, err)
		}
	}
}

func TestWriterRefusesBadTensors(t *testing.T) {
	for _, ts := range [][]Tensor{
		{Float64Tensor("a", []int{1}, []float64{1}), Float64Tensor("a", []int{1}, []float64{2})},
		{Float64Tensor(MetadataKey, []int{1}, []float64{1})},
		{{Name: "a", DType: F64, Shape: []int{2}, Data: make([]byte, 8)}},
		{{Name: "a", DType: "X", Shape: []int{1}, Data: make([]byte, 8)}},
	} {
		if err := Write(&bytes.Buffer{}, nil, ts); err == nil {
			t.Errorf("%v written", ts)
		}
	}
}

// FuzzRead: any input gives tensors that tile their buffer, or an error; never
// a panic. Whatever is read writes back and reads again the same.
func FuzzRead(f *testing.F) {
	tensors, meta := sample()
	var buf bytes.Buffer
	if err := Write(&buf, meta, tensors); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(file(`{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`, make([]byte, 16)))
	f.Add(file(`{"__metadata__":{"k":"v"}}`, nil))
	f.Add(file(`{}`, nil))
	f.Add(file(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"I16","shape":[1,1],"data_offsets":[0,2]}}  `, []byte{1, 2}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, meta, err := Read(bytes.NewReader(b), 1<<16, 1<<20)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Write(&out, meta, ts); err != nil {
			t.Fatalf("read but not written back: %v", err)
		}
		ts2, meta2, err := Read(bytes.NewReader(out.Bytes()), 1<<16, 1<<20)
		if err != nil {
			t.Fatalf("written back but not read: %v", err)
		}
		if len(ts2) != len(ts) || len(meta2) != len(meta) {
			t.Fatalf("%d tensors and %d metadata became %d and %d", len(ts), len(meta), len(ts2), len(meta2))
		}
		for i := range ts {
			if ts[i].Name != ts2[i].Name || ts[i].DType != ts2[i].DType || !slices.Equal(ts[i].Shape, ts2[i].Shape) || !bytes.Equal(ts[i].Data, ts2[i].Data) {
				t.Fatalf("tensor %d changed", i)
			}
		}
	})
}
