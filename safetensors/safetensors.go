package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// DType is a tensor's element type, spelt as in the header ("F64", "F32", …).
type DType string

// The element types of the published format.
const (
	BOOL   DType = "BOOL"
	U8     DType = "U8"
	I8     DType = "I8"
	F8E5M2 DType = "F8_E5M2"
	F8E4M3 DType = "F8_E4M3"
	I16    DType = "I16"
	U16    DType = "U16"
	F16    DType = "F16"
	BF16   DType = "BF16"
	I32    DType = "I32"
	U32    DType = "U32"
	F32    DType = "F32"
	F64    DType = "F64"
	I64    DType = "I64"
	U64    DType = "U64"
)

// Size is the element size in bytes, 0 for a name the format does not have.
func (d DType) Size() int {
	switch d {
	case BOOL, U8, I8, F8E5M2, F8E4M3:
		return 1
	case I16, U16, F16, BF16:
		return 2
	case I32, U32, F32:
		return 4
	case F64, I64, U64:
		return 8
	}
	return 0
}

// MetadataKey is the header key of the string → string metadata.
const MetadataKey = "__metadata__"

// Limits the reader keeps (the reference implementation refuses headers over
// 100 MB; a caller that knows what it expects passes much less).
const (
	DefaultMaxHeader = 100 << 20
	maxRank          = 32
	maxBytes         = 1 << 62 // no offset or size may reach it (no int64 overflow)
)

// ErrFormat is wrapped by every error about a malformed file.
var ErrFormat = errors.New("safetensors: bad file")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Tensor is a named tensor with its raw little-endian bytes.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// Elements is the product of the shape (1 for a scalar, shape []).
func (t Tensor) Elements() int {
	n := 1
	for _, s := range t.Shape {
		n *= s
	}
	return n
}

// Float64s returns the values of an F64 or F32 tensor as float64 (F32 values
// are widened exactly); other dtypes are an error.
func (t Tensor) Float64s() ([]float64, error) {
	switch t.DType {
	case F64:
		if len(t.Data)%8 != 0 {
			return nil, bad("tensor %q: %d bytes of F64", t.Name, len(t.Data))
		}
		out := make([]float64, len(t.Data)/8)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
		}
		return out, nil
	case F32:
		if len(t.Data)%4 != 0 {
			return nil, bad("tensor %q: %d bytes of F32", t.Name, len(t.Data))
		}
		out := make([]float64, len(t.Data)/4)
		for i := range out {
			out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:])))
		}
		return out, nil
	}
	return nil, fmt.Errorf("safetensors: tensor %q holds %s, want F64 or F32", t.Name, t.DType)
}

// Float64Tensor packs xs as an F64 tensor of the given shape.
func Float64Tensor(name string, shape []int, xs []float64) Tensor {
	b := make([]byte, 0, 8*len(xs))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return Tensor{Name: name, DType: F64, Shape: slices.Clone(shape), Data: b}
}

// TensorInfo is one tensor's header entry.
type TensorInfo struct {
	Name       string
	DType      DType
	Shape      []int
	Begin, End int64 // byte range in the buffer
}

// Header is a file's parsed and checked header.
type Header struct {
	// Metadata is the "__metadata__" map, nil when the file has none.
	Metadata map[string]string
	// Tensors in the order of their offsets.
	Tensors []TensorInfo
	// DataSize is the length of the byte buffer the header describes.
	DataSize int64
}

// Find returns the entry of the named tensor, or nil.
func (h *Header) Find(name string) *TensorInfo {
	for i := range h.Tensors {
		if h.Tensors[i].Name == name {
			return &h.Tensors[i]
		}
	}
	return nil
}

// ReadHeader reads the length and the header from r and checks them. A
// length above maxHeader is refused before anything is allocated.
func ReadHeader(r io.Reader, maxHeader int64) (*Header, error) {
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, bad("shorter than the 8-byte header length")
		}
		return nil, fmt.Errorf("safetensors: reading: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > uint64(maxHeader) {
		return nil, bad("header of %d bytes, at most %d", n, maxHeader)
	}
	if n < 2 {
		return nil, bad("header of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, bad("truncated in the %d-byte header", n)
		}
		return nil, fmt.Errorf("safetensors: reading: %w", err)
	}
	return ParseHeader(b)
}

// ParseHeader parses and checks the JSON header (the N bytes after the
// length).
func ParseHeader(b []byte) (*Header, error) {
	if len(b) == 0 || b[0] != '{' {
		return nil, bad("header does not start with '{'")
	}
	if !utf8.Valid(b) {
		return nil, bad("header is not valid UTF-8")
	}
	p := &headerParser{dec: json.NewDecoder(bytes.NewReader(b))}
	p.dec.UseNumber()
	h := &Header{}
	p.delim('{', "header")
	seen := map[string]bool{}
	for p.err == nil && p.dec.More() {
		key := p.str("a header key")
		if p.err != nil {
			break
		}
		if seen[key] {
			return nil, bad("key %q appears twice in the header", key)
		}
		seen[key] = true
		if key == MetadataKey {
			h.Metadata = p.metadata()
			continue
		}
		info := p.tensor(key)
		h.Tensors = append(h.Tensors, info)
	}
	p.delim('}', "header")
	if p.err != nil {
		return nil, p.err
	}
	for _, c := range b[p.dec.InputOffset():] {
		if c != ' ' {
			return nil, bad("header has %q after its object (only space padding is allowed)", c)
		}
	}
	if err := h.layOut(); err != nil {
		return nil, err
	}
	return h, nil
}

// layOut checks every tensor's range against its dtype and shape, sorts the
// tensors by offset and checks that the ranges tile the buffer from 0.
func (h *Header) layOut() error {
	for _, t := range h.Tensors {
		size := int64(t.DType.Size())
		for _, s := range t.Shape {
			if s != 0 && size > maxBytes/int64(s) {
				return bad("tensor %q: shape %v is too large", t.Name, t.Shape)
			}
			size *= int64(s)
		}
		if t.End < t.Begin || t.End-t.Begin != size {
			return bad("tensor %q: %s%v takes %d bytes, its offsets [%d, %d] hold %d", t.Name, t.DType, t.Shape, size, t.Begin, t.End, t.End-t.Begin)
		}
	}
	slices.SortStableFunc(h.Tensors, func(a, b TensorInfo) int {
		if a.Begin != b.Begin {
			return cmpInt64(a.Begin, b.Begin)
		}
		return cmpInt64(a.End, b.End)
	})
	var pos int64
	for _, t := range h.Tensors {
		if t.Begin != pos {
			if t.Begin > pos {
				return bad("bytes %d to %d of the buffer belong to no tensor (before %q)", pos, t.Begin, t.Name)
			}
			return bad("tensor %q overlaps another one at byte %d", t.Name, t.Begin)
		}
		pos = t.End
	}
	h.DataSize = pos
	return nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// headerParser walks the header's JSON tokens: a decoder into a map would
// silently keep the last of two equal keys, which the format forbids.
type headerParser struct {
	dec *json.Decoder
	err error
}

func (p *headerParser) token(what string) json.Token {
	if p.err != nil {
		return nil
	}
	t, err := p.dec.Token()
	if err != nil {
		p.err = bad("header JSON in %s: %v", what, err)
		return nil
	}
	return t
}

func (p *headerParser) delim(d json.Delim, what string) {
	t := p.token(what)
	if p.err == nil && t != d {
		p.err = bad("%s: want %q, found %v", what, d, t)
	}
}

func (p *headerParser) str(what string) string {
	t := p.token(what)
	if p.err != nil {
		return ""
	}
	s, ok := t.(string)
	if !ok {
		p.err = bad("%s: want a string, found %v", what, t)
	}
	return s
}

// count reads a JSON number that must be a non-negative integer.
func (p *headerParser) count(what string) int64 {
	t := p.token(what)
	if p.err != nil {
		return 0
	}
	num, ok := t.(json.Number)
	if !ok {
		p.err = bad("%s: want a number, found %v", what, t)
		return 0
	}
	s := string(num)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '-' || v >= maxBytes {
		p.err = bad("%s: %s is not a non-negative integer below 2⁶²", what, s)
		return 0
	}
	return v
}

func (p *headerParser) metadata() map[string]string {
	p.delim('{', MetadataKey)
	m := map[string]string{}
	for p.err == nil && p.dec.More() {
		k := p.str("a metadata key")
		if p.err != nil {
			break
		}
		if _, dup := m[k]; dup {
			p.err = bad("metadata key %q appears twice", k)
			break
		}
		m[k] = p.str(fmt.Sprintf("metadata %q (values are strings)", k))
	}
	p.delim('}', MetadataKey)
	return m
}

func (p *headerParser) tensor(name string) TensorInfo {
	info := TensorInfo{Name: name}
	what := fmt.Sprintf("tensor %q", name)
	p.delim('{', what)
	var have [3]bool
	for p.err == nil && p.dec.More() {
		k := p.str(what + " key")
		if p.err != nil {
			break
		}
		field := slices.Index([]string{"dtype", "shape", "data_offsets"}, k)
		if field < 0 {
			p.err = bad("%s: unknown field %q (want dtype, shape, data_offsets)", what, k)
			break
		}
		if have[field] {
			p.err = bad("%s: field %q appears twice", what, k)
			break
		}
		have[field] = true
		switch k {
		case "dtype":
			info.DType = DType(p.str(what + " dtype"))
			if p.err == nil && info.DType.Size() == 0 {
				p.err = bad("%s: unknown dtype %q", what, info.DType)
			}
		case "shape":
			p.delim('[', what+" shape")
			info.Shape = []int{}
			for p.err == nil && p.dec.More() {
				if len(info.Shape) == maxRank {
					p.err = bad("%s: more than %d dimensions", what, maxRank)
					break
				}
				info.Shape = append(info.Shape, int(p.count(what+" shape")))
			}
			p.delim(']', what+" shape")
		case "data_offsets":
			p.delim('[', what+" data_offsets")
			info.Begin = p.count(what + " data_offsets")
			info.End = p.count(what + " data_offsets")
			p.delim(']', what+" data_offsets (two numbers)")
		}
	}
	p.delim('}', what)
	if p.err == nil && !(have[0] && have[1] && have[2]) {
		p.err = bad("%s lacks one of dtype, shape, data_offsets", what)
	}
	return info
}

// ReadData reads the byte buffer h describes from r (positioned after the
// header) and checks that nothing follows it. A buffer larger than maxData is
// refused before it is allocated.
func ReadData(r io.Reader, h *Header, maxData int64) ([]byte, error) {
	if h.DataSize > maxData {
		return nil, bad("tensors of %d bytes, at most %d", h.DataSize, maxData)
	}
	b := make([]byte, h.DataSize)
	if n, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, bad("truncated: the buffer holds %d bytes, the header describes %d", n, h.DataSize)
		}
		return nil, fmt.Errorf("safetensors: reading: %w", err)
	}
	var one [1]byte
	n, err := io.ReadFull(r, one[:])
	if n > 0 {
		return nil, bad("bytes after the last tensor (the buffer must hold exactly the %d bytes the header describes)", h.DataSize)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("safetensors: reading: %w", err)
	}
	return b, nil
}

// Read reads a whole file: the header (at most maxHeader bytes) and the
// buffer (at most maxData), and returns the tensors in offset order, their
// Data slices sharing one buffer, and the metadata (nil when absent).
func Read(r io.Reader, maxHeader, maxData int64) ([]Tensor, map[string]string, error) {
	h, err := ReadHeader(r, maxHeader)
	if err != nil {
		return nil, nil, err
	}
	data, err := ReadData(r, h, maxData)
	if err != nil {
		return nil, nil, err
	}
	return h.Slice(data), h.Metadata, nil
}

// Slice returns the tensors of h with their bytes cut from data, the buffer
// ReadData returned.
func (h *Header) Slice(data []byte) []Tensor {
	out := make([]Tensor, len(h.Tensors))
	for i, t := range h.Tensors {
		out[i] = Tensor{Name: t.Name, DType: t.DType, Shape: t.Shape, Data: data[t.Begin:t.End:t.End]}
	}
	return out
}

// Write writes metadata (may be nil) and the tensors, packed in the order
// given. Names must be distinct and not "__metadata__", each tensor's bytes
// must match its dtype and shape.
func Write(w io.Writer, metadata map[string]string, tensors []Tensor) error {
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	first := true
	sep := func() {
		if !first {
			hdr.WriteByte(',')
		}
		first = false
	}
	str := func(s string) {
		b, _ := json.Marshal(s) // a string always marshals
		hdr.Write(b)
	}
	if metadata != nil {
		sep()
		str(MetadataKey)
		hdr.WriteString(":{")
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				hdr.WriteByte(',')
			}
			str(k)
			hdr.WriteByte(':')
			str(metadata[k])
		}
		hdr.WriteByte('}')
	}
	seen := map[string]bool{}
	var off int64
	for _, t := range tensors {
		if t.Name == MetadataKey || seen[t.Name] {
			return fmt.Errorf("safetensors: tensor name %q used twice or reserved", t.Name)
		}
		seen[t.Name] = true
		size := t.DType.Size()
		if size == 0 {
			return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
		}
		for _, s := range t.Shape {
			if s < 0 {
				return fmt.Errorf("safetensors: tensor %q: negative shape %v", t.Name, t.Shape)
			}
		}
		if len(t.Data) != t.Elements()*size {
			return fmt.Errorf("safetensors: tensor %q: %d bytes for %s%v", t.Name, len(t.Data), t.DType, t.Shape)
		}
		sep()
		str(t.Name)
		fmt.Fprintf(&hdr, `:{"dtype":%q,"shape":[`, string(t.DType))
		for i, s := range t.Shape {
			if i > 0 {
				hdr.WriteByte(',')
			}
			hdr.WriteString(strconv.Itoa(s))
		}
		end := off + int64(len(t.Data))
		fmt.Fprintf(&hdr, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	hdr.WriteByte('}')
	// Pad so that the buffer starts 8-byte aligned (8 + N ≡ 0 mod 8).
	for hdr.Len()%8 != 0 {
		hdr.WriteByte(' ')
	}
	out := binary.LittleEndian.AppendUint64(make([]byte, 0, 8+hdr.Len()), uint64(hdr.Len()))
	out = append(out, hdr.Bytes()...)
	if _, err := w.Write(out); err != nil {
		return err
	}
	for _, t := range tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}
