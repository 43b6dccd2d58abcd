package wasmkernel

import (
	"bytes"
	"encoding/binary"
	"math"
)

// This file is a small WebAssembly binary assembler: just the instructions the
// kernel uses, written so that the kernel in kernel.go reads like structured
// code (loops and ifs take closures) while the output stays byte-for-byte
// deterministic. Opcode numbers are from the WebAssembly core specification
// (2.0) and its fixed-width SIMD proposal.

// valType is a WebAssembly value type.
type valType byte

const (
	i32  valType = 0x7f
	f64  valType = 0x7c
	v128 valType = 0x7b
)

// local is the index of a parameter or local variable of a function.
type local uint32

// Plain (one-byte) opcodes.
const (
	opBlock    = 0x02
	opLoop     = 0x03
	opIf       = 0x04
	opElse     = 0x05
	opEnd      = 0x0b
	opBr       = 0x0c
	opBrIf     = 0x0d
	opLocalGet = 0x20
	opLocalSet = 0x21
	opLocalTee = 0x22
	opF64Load  = 0x2b
	opF64Store = 0x39
	opI32Const = 0x41
	opF64Const = 0x44
	opI32Eqz   = 0x45
	opI32Eq    = 0x46
	opI32LtS   = 0x48
	opI32GeS   = 0x4e
	opF64Eq    = 0x61
	opI32Add   = 0x6a
	opI32Sub   = 0x6b
	opI32Mul   = 0x6c
	opI32And   = 0x71
	opI32Shl   = 0x74
	opF64Add   = 0xa0
	opF64Mul   = 0xa2
	opSelect   = 0x1b

	blockEmpty = 0x40
)

// SIMD opcodes, each encoded as the 0xfd prefix and a LEB128 number.
const (
	simdPrefix      = 0xfd
	opV128Load      = 0x00
	opV128Load64Spl = 0x0a
	opV128Store     = 0x0b
	opV128Const     = 0x0c
	opF64x2Add      = 0xf0
	opF64x2Mul      = 0xf2
)

// function is one function body under construction.
type function struct {
	name    string // export name
	params  []valType
	results []valType
	locals  []valType
	body    bytes.Buffer
}

func newFunction(name string, params ...valType) *function {
	return &function{name: name, params: params}
}

// param returns the local index of the i-th parameter.
func (f *function) param(i int) local { return local(i) }

// local declares a new local variable of type t.
func (f *function) local(t valType) local {
	f.locals = append(f.locals, t)
	return local(len(f.params) + len(f.locals) - 1)
}

func (f *function) byte(b ...byte) { f.body.Write(b) }

func (f *function) uleb(v uint64) { f.body.Write(binary.AppendUvarint(nil, v)) }

func (f *function) sleb(v int64) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			f.body.WriteByte(b)
			return
		}
		f.body.WriteByte(b | 0x80)
	}
}

func (f *function) get(l local) { f.byte(opLocalGet); f.uleb(uint64(l)) }
func (f *function) set(l local) { f.byte(opLocalSet); f.uleb(uint64(l)) }
func (f *function) tee(l local) { f.byte(opLocalTee); f.uleb(uint64(l)) }

func (f *function) i32Const(v int32) { f.byte(opI32Const); f.sleb(int64(v)) }

func (f *function) f64Const(v float64) {
	f.byte(opF64Const)
	f.body.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))
}

// memarg writes a memory immediate: log2 of the promised alignment and a
// constant byte offset. Go's float64 slices are only 8-byte aligned, so every
// access here promises 8 bytes (align 3), even 16-byte vector ones; the
// alignment is a hint and misaligned vector access stays correct.
func (f *function) memarg(offset uint32) { f.uleb(3); f.uleb(uint64(offset)) }

func (f *function) f64Load(offset uint32)  { f.byte(opF64Load); f.memarg(offset) }
func (f *function) f64Store(offset uint32) { f.byte(opF64Store); f.memarg(offset) }

func (f *function) simd(op uint32) { f.byte(simdPrefix); f.uleb(uint64(op)) }

func (f *function) v128Load(offset uint32)  { f.simd(opV128Load); f.memarg(offset) }
func (f *function) v128Store(offset uint32) { f.simd(opV128Store); f.memarg(offset) }
func (f *function) load64Splat(offset uint32) {
	f.simd(opV128Load64Spl)
	f.memarg(offset)
}
func (f *function) v128Zero() { f.simd(opV128Const); f.body.Write(make([]byte, 16)) }

// addTo emits l += v for an i32 local and constant.
func (f *function) addTo(l local, v int32) {
	f.get(l)
	f.i32Const(v)
	f.byte(opI32Add)
	f.set(l)
}

// addLocal emits l += m for i32 locals.
func (f *function) addLocal(l, m local) {
	f.get(l)
	f.get(m)
	f.byte(opI32Add)
	f.set(l)
}

// block emits a block whose end is the target of br 0 from directly inside.
func (f *function) block(body func()) {
	f.byte(opBlock, blockEmpty)
	body()
	f.byte(opEnd)
}

// ifThen emits "if (top of stack) { then }".
func (f *function) ifThen(then func()) {
	f.byte(opIf, blockEmpty)
	then()
	f.byte(opEnd)
}

// ifElse emits "if (top of stack) { then } else { els }".
func (f *function) ifElse(then, els func()) {
	f.byte(opIf, blockEmpty)
	then()
	f.byte(opElse)
	els()
	f.byte(opEnd)
}

// whileLt emits "for ; i < limit; i += step { body }" for i32 locals; the
// caller initialises i. Bodies must not branch themselves: the loop's own
// labels sit at depths that a body cannot see.
func (f *function) whileLt(i, limit local, step int32, body func()) {
	f.byte(opBlock, blockEmpty)
	f.byte(opLoop, blockEmpty)
	f.get(i)
	f.get(limit)
	f.byte(opI32GeS)
	f.byte(opBrIf)
	f.uleb(1)
	body()
	f.addTo(i, step)
	f.byte(opBr)
	f.uleb(0)
	f.byte(opEnd)
	f.byte(opEnd)
}

// countDown emits "for ; n > 0; n-- { body }" for an i32 local n.
func (f *function) countDown(n local, body func()) {
	f.byte(opBlock, blockEmpty)
	f.byte(opLoop, blockEmpty)
	f.get(n)
	f.byte(opI32Eqz)
	f.byte(opBrIf)
	f.uleb(1)
	body()
	f.addTo(n, -1)
	f.byte(opBr)
	f.uleb(0)
	f.byte(opEnd)
	f.byte(opEnd)
}

// minRemaining emits dst = min(full, extent - offset) for i32 locals: the
// width of a possibly partial tile that starts at offset.
func (f *function) minRemaining(dst local, full int32, extent, offset local) {
	f.i32Const(full)
	f.get(extent)
	f.get(offset)
	f.byte(opI32Sub)
	f.tee(dst)
	f.i32Const(full)
	f.get(dst)
	f.byte(opI32LtS)
	f.byte(opSelect)
	f.set(dst)
}

// encode serialises the module: memory imported as env.memory (the Go
// instance's memory) and the given functions exported under their names.
func encode(funcs []*function) []byte {
	var out bytes.Buffer
	out.Write([]byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00})

	section := func(id byte, content []byte) {
		out.WriteByte(id)
		out.Write(binary.AppendUvarint(nil, uint64(len(content))))
		out.Write(content)
	}
	name := func(b []byte, s string) []byte {
		b = binary.AppendUvarint(b, uint64(len(s)))
		return append(b, s...)
	}
	vec := func(n int) []byte { return binary.AppendUvarint(nil, uint64(n)) }

	// Type section: one signature per function, in order.
	types := vec(len(funcs))
	for _, fn := range funcs {
		types = append(types, 0x60)
		types = append(types, binary.AppendUvarint(nil, uint64(len(fn.params)))...)
		for _, p := range fn.params {
			types = append(types, byte(p))
		}
		types = append(types, binary.AppendUvarint(nil, uint64(len(fn.results)))...)
		for _, r := range fn.results {
			types = append(types, byte(r))
		}
	}
	section(1, types)

	// Import section: env.memory, a memory of at least 0 pages with no maximum,
	// which any Go instance's memory satisfies.
	imports := vec(1)
	imports = name(imports, "env")
	imports = name(imports, "memory")
	imports = append(imports, 0x02, 0x00, 0x00)
	section(2, imports)

	// Function section: function i has type i.
	fsec := vec(len(funcs))
	for i := range funcs {
		fsec = binary.AppendUvarint(fsec, uint64(i))
	}
	section(3, fsec)

	exports := vec(len(funcs))
	for i, fn := range funcs {
		exports = name(exports, fn.name)
		exports = append(exports, 0x00)
		exports = binary.AppendUvarint(exports, uint64(i))
	}
	section(7, exports)

	code := vec(len(funcs))
	for _, fn := range funcs {
		var body []byte
		// Locals, run-length encoded by type.
		var groups [][2]uint64
		for _, t := range fn.locals {
			if n := len(groups); n > 0 && groups[n-1][1] == uint64(t) {
				groups[n-1][0]++
				continue
			}
			groups = append(groups, [2]uint64{1, uint64(t)})
		}
		body = binary.AppendUvarint(body, uint64(len(groups)))
		for _, g := range groups {
			body = binary.AppendUvarint(body, g[0])
			body = append(body, byte(g[1]))
		}
		body = append(body, fn.body.Bytes()...)
		body = append(body, opEnd)
		code = binary.AppendUvarint(code, uint64(len(body)))
		code = append(code, body...)
	}
	section(10, code)

	// A "name" custom section with the function names, so that profilers
	// (node --cpu-prof, browser devtools) show pack_a, macro, ... instead of
	// wasm-function[N].
	names := name(nil, "name")
	var fnames []byte
	fnames = binary.AppendUvarint(fnames, uint64(len(funcs)))
	for i, fn := range funcs {
		fnames = binary.AppendUvarint(fnames, uint64(i))
		fnames = name(fnames, fn.name)
	}
	names = append(names, 1) // function names subsection
	names = binary.AppendUvarint(names, uint64(len(fnames)))
	names = append(names, fnames...)
	section(0, names)
	return out.Bytes()
}
