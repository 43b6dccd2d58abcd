package wasmkernel

// The kernel follows the GotoBLAS/BLIS scheme: the caller scales C by beta,
// then for each block of the shared dimension packs a panel of B and a panel
// of A (times alpha) into contiguous, zero-padded buffers, and the macro kernel
// sweeps MR×NR tiles of C over them. Packing absorbs every transpose and
// stride, so one register-blocked micro kernel serves all four NoTrans/Trans
// combinations.

// Tile shape of the micro kernel: MR rows of C by NR columns, NR/2 f64x2
// vectors per row, so MR·NR/2 accumulators. 4×8 was the fastest of the shapes
// measured in Node 20 on x86-64 (see the package benchmarks).
const (
	MR = 4
	NR = 8
)

// ABIVersion names the export signatures below. The host answers the Go
// side's "abi" import with the kernel's own abi(); a mismatch (an old kernel
// file beside a new program) makes the Go side fall back to gonum.
const ABIVersion = 1

// Names of the module's exports, which the host forwards one-to-one as the Go
// program's imports from the module ImportModule.
const (
	ImportModule = "vaegemm"

	ExportABI    = "abi"    // () -> i32
	ExportPackA  = "pack_a" // (src, strideP, strideD, np, nd i32, scale f64, dst i32)
	ExportPackB  = "pack_b" // same as pack_a, panels NR wide
	ExportScaleC = "scale"  // (c, ldcBytes, m, n i32, beta f64)
	ExportMacro  = "macro"  // (mc, nc, kc, pa, pb, c, ldcBytes, scratch i32)
)

// Module returns the kernel's WebAssembly binary. It imports its memory as
// env.memory: the host instantiates it with the Go instance's exported memory,
// so every pointer argument is an address in Go's own heap.
func Module() []byte { return build(MR, NR) }

func build(mr, nr int) []byte {
	return encode([]*function{
		abiFunc(),
		packFunc(ExportPackA, mr),
		packFunc(ExportPackB, nr),
		scaleFunc(),
		macroFunc(mr, nr),
	})
}

func abiFunc() *function {
	f := newFunction(ExportABI)
	f.results = []valType{i32}
	f.i32Const(ABIVersion)
	return f
}

// packFunc builds pack(src, strideP, strideD, np, nd, scale, dst). It copies
// an np×nd block of a strided matrix, element (p, d) at byte address
// src + p·strideP + d·strideD, into panels of width consecutive p indices:
// panel by panel, for each d the width values of that panel times scale,
// zero-padded where p ≥ np. For A, p is the row of C and d the shared index;
// for B, p is the column of C. The caller picks the strides, which is where
// transposes go.
func packFunc(name string, width int) *function {
	f := newFunction(name, i32, i32, i32, i32, i32, f64, i32)
	src, strideP, strideD, np, nd, scale, dst := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), local(5), f.param(6)
	p0 := f.local(i32)
	rows := f.local(i32)
	panel := f.local(i32)
	d := f.local(i32)
	q := f.local(i32)
	e := f.local(i32)
	r := f.local(i32)

	f.i32Const(0)
	f.set(p0)
	f.whileLt(p0, np, int32(width), func() {
		f.minRemaining(rows, int32(width), np, p0)
		// panel = src + p0*strideP
		f.get(src)
		f.get(p0)
		f.get(strideP)
		f.byte(opI32Mul)
		f.byte(opI32Add)
		f.set(panel)

		f.get(rows)
		f.i32Const(int32(width))
		f.byte(opI32Eq)
		f.ifElse(func() {
			// A full panel: width loads per d, unrolled.
			f.i32Const(0)
			f.set(d)
			f.get(panel)
			f.set(q)
			f.whileLt(d, nd, 1, func() {
				f.get(q)
				f.set(e)
				for k := 0; k < width; k++ {
					f.get(dst)
					f.get(e)
					f.f64Load(0)
					f.get(scale)
					f.byte(opF64Mul)
					f.f64Store(uint32(8 * k))
					if k < width-1 {
						f.addLocal(e, strideP)
					}
				}
				f.addTo(dst, int32(8*width))
				f.addLocal(q, strideD)
			})
		}, func() {
			// The last, partial panel: copy rows values and pad with zeros
			// so the micro kernel can always run full tiles.
			f.i32Const(0)
			f.set(d)
			f.get(panel)
			f.set(q)
			f.whileLt(d, nd, 1, func() {
				f.get(q)
				f.set(e)
				f.i32Const(0)
				f.set(r)
				f.whileLt(r, rows, 1, func() {
					f.get(dst)
					f.get(e)
					f.f64Load(0)
					f.get(scale)
					f.byte(opF64Mul)
					f.f64Store(0)
					f.addTo(dst, 8)
					f.addLocal(e, strideP)
				})
				f.whileLt(r, f.constLocal(int32(width)), 1, func() {
					f.get(dst)
					f.f64Const(0)
					f.f64Store(0)
					f.addTo(dst, 8)
				})
				f.addLocal(q, strideD)
			})
		})
	})
	return f
}

// constLocal returns a local holding v, set at the point of the call.
func (f *function) constLocal(v int32) local {
	l := f.local(i32)
	f.i32Const(v)
	f.set(l)
	return l
}

// scaleFunc builds scale(c, ldcBytes, m, n, beta): C ← beta·C for an m×n
// row-major block, with beta = 0 storing zeros so that NaN or Inf already in
// C does not survive (the BLAS convention).
func scaleFunc() *function {
	f := newFunction(ExportScaleC, i32, i32, i32, i32, f64)
	c, ldc, m, n, beta := f.param(0), f.param(1), f.param(2), f.param(3), local(4)
	i := f.local(i32)
	j := f.local(i32)
	row := f.local(i32)
	e := f.local(i32)

	f.i32Const(0)
	f.set(i)
	f.get(c)
	f.set(row)
	f.whileLt(i, m, 1, func() {
		f.get(row)
		f.set(e)
		f.i32Const(0)
		f.set(j)
		f.get(beta)
		f.f64Const(0)
		f.byte(opF64Eq)
		f.ifElse(func() {
			f.whileLt(j, n, 1, func() {
				f.get(e)
				f.f64Const(0)
				f.f64Store(0)
				f.addTo(e, 8)
			})
		}, func() {
			f.whileLt(j, n, 1, func() {
				f.get(e)
				f.get(e)
				f.f64Load(0)
				f.get(beta)
				f.byte(opF64Mul)
				f.f64Store(0)
				f.addTo(e, 8)
			})
		})
		f.addLocal(row, ldc)
	})
	return f
}

// macroFunc builds macro(mc, nc, kc, pa, pb, c, ldcBytes, scratch): C += Ã·B̃
// for packed panels Ã (mc×kc, from pack_a) and B̃ (kc×nc, from pack_b), C an
// mc×nc row-major block. scratch holds one mr×nr tile for the edges.
func macroFunc(mr, nr int) *function {
	vecs := nr / 2
	f := newFunction(ExportMacro, i32, i32, i32, i32, i32, i32, i32, i32)
	mc, nc, kc, pa, pb, c, ldc, scratch := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5), f.param(6), f.param(7)
	jr := f.local(i32)
	ir := f.local(i32)
	ncur := f.local(i32)
	mcur := f.local(i32)
	pbPanel := f.local(i32)
	pA := f.local(i32)
	pB := f.local(i32)
	l := f.local(i32)
	cRow := f.local(i32)
	r := f.local(i32)
	col := f.local(i32)
	e := f.local(i32)
	s := f.local(i32)
	acc := make([]local, mr*vecs)
	for x := range acc {
		acc[x] = f.local(v128)
	}
	bv := make([]local, vecs)
	for x := range bv {
		bv[x] = f.local(v128)
	}
	av := f.local(v128)

	f.i32Const(0)
	f.set(jr)
	f.whileLt(jr, nc, int32(nr), func() {
		f.minRemaining(ncur, int32(nr), nc, jr)
		// pbPanel = pb + jr*kc*8
		f.get(pb)
		f.get(jr)
		f.get(kc)
		f.byte(opI32Mul)
		f.i32Const(3)
		f.byte(opI32Shl)
		f.byte(opI32Add)
		f.set(pbPanel)

		f.i32Const(0)
		f.set(ir)
		f.whileLt(ir, mc, int32(mr), func() {
			f.minRemaining(mcur, int32(mr), mc, ir)
			for _, a := range acc {
				f.v128Zero()
				f.set(a)
			}
			// pA = pa + ir*kc*8
			f.get(pa)
			f.get(ir)
			f.get(kc)
			f.byte(opI32Mul)
			f.i32Const(3)
			f.byte(opI32Shl)
			f.byte(opI32Add)
			f.set(pA)
			f.get(pbPanel)
			f.set(pB)
			f.get(kc)
			f.set(l)
			// The hot loop: per step of the shared index, vecs vector loads of
			// B̃, mr splat loads of Ã, and mr·vecs multiply-adds.
			f.countDown(l, func() {
				for v := range bv {
					f.get(pB)
					f.v128Load(uint32(16 * v))
					f.set(bv[v])
				}
				for row := 0; row < mr; row++ {
					f.get(pA)
					f.load64Splat(uint32(8 * row))
					f.set(av)
					for v := range bv {
						a := acc[row*vecs+v]
						f.get(a)
						f.get(av)
						f.get(bv[v])
						f.simd(opF64x2Mul)
						f.simd(opF64x2Add)
						f.set(a)
					}
				}
				f.addTo(pA, int32(8*mr))
				f.addTo(pB, int32(8*nr))
			})

			// cRow = c + ir*ldc + jr*8
			f.get(c)
			f.get(ir)
			f.get(ldc)
			f.byte(opI32Mul)
			f.byte(opI32Add)
			f.get(jr)
			f.i32Const(3)
			f.byte(opI32Shl)
			f.byte(opI32Add)
			f.set(cRow)

			f.get(mcur)
			f.i32Const(int32(mr))
			f.byte(opI32Eq)
			f.get(ncur)
			f.i32Const(int32(nr))
			f.byte(opI32Eq)
			f.byte(opI32And)
			f.ifElse(func() {
				// A full tile: add the accumulators into C in place.
				for row := 0; row < mr; row++ {
					for v := 0; v < vecs; v++ {
						f.get(cRow)
						f.get(cRow)
						f.v128Load(uint32(16 * v))
						f.get(acc[row*vecs+v])
						f.simd(opF64x2Add)
						f.v128Store(uint32(16 * v))
					}
					if row < mr-1 {
						f.addLocal(cRow, ldc)
					}
				}
			}, func() {
				// An edge tile: spill to scratch, add the valid part.
				for row := 0; row < mr; row++ {
					for v := 0; v < vecs; v++ {
						f.get(scratch)
						f.get(acc[row*vecs+v])
						f.v128Store(uint32(8 * (row*nr + 2*v)))
					}
				}
				f.i32Const(0)
				f.set(r)
				f.whileLt(r, mcur, 1, func() {
					f.get(cRow)
					f.set(e)
					// s = scratch + r*nr*8
					f.get(scratch)
					f.get(r)
					f.i32Const(int32(8 * nr))
					f.byte(opI32Mul)
					f.byte(opI32Add)
					f.set(s)
					f.i32Const(0)
					f.set(col)
					f.whileLt(col, ncur, 1, func() {
						f.get(e)
						f.get(e)
						f.f64Load(0)
						f.get(s)
						f.f64Load(0)
						f.byte(opF64Add)
						f.f64Store(0)
						f.addTo(e, 8)
						f.addTo(s, 8)
					})
					f.addLocal(cRow, ldc)
				})
			})
		})
	})
	return f
}
