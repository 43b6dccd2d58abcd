// Wires the WebAssembly SIMD matrix kernel (package fastblas/wasmkernel) into a
// Go js/wasm program, in a browser page or in Node.
//
// The Go program imports the kernel's functions (//go:wasmimport vaegemm ...),
// but the kernel works on the Go instance's memory, which exists only once the
// Go module is instantiated. So the Go importObject gets small forwarding
// functions first, and the kernel is instantiated right after the Go instance,
// with its exported memory:
//
//   const go = new Go();
//   const gemm = new VAEGemm();
//   gemm.addImports(go.importObject);
//   const [kernel, result] = await Promise.all([
//     VAEGemm.compile(fetch("vaegemm.wasm")),          // null without SIMD
//     WebAssembly.instantiateStreaming(fetch("main.wasm"), go.importObject),
//   ]);
//   gemm.attach(kernel, result.instance);
//   go.run(result.instance);                            // Go calls fastblas.Install()
//
// Without a kernel (no WebAssembly SIMD, the file missing) abi() answers 0 and
// the Go side keeps gonum's product.
"use strict";

(function (root) {
	const importModule = "vaegemm";

	class VAEGemm {
		constructor() {
			this.kernel = null; // the kernel instance's exports, once attached
		}

		// addImports adds the module the Go program imports to its import
		// object. Explicit parameter lists keep the forwarders monomorphic.
		addImports(importObject) {
			const self = this;
			importObject[importModule] = {
				abi: () => (self.kernel ? self.kernel.abi() : 0),
				pack_a: (src, sp, sd, np, nd, scale, dst) => self.kernel.pack_a(src, sp, sd, np, nd, scale, dst),
				pack_b: (src, sp, sd, np, nd, scale, dst) => self.kernel.pack_b(src, sp, sd, np, nd, scale, dst),
				scale: (c, ldc, m, n, beta) => self.kernel.scale(c, ldc, m, n, beta),
				macro: (mc, nc, kc, pa, pb, c, ldc, scratch) => self.kernel.macro(mc, nc, kc, pa, pb, c, ldc, scratch),
			};
			return importObject;
		}

		// attach instantiates the compiled kernel on the Go instance's memory.
		// A null module leaves the kernel off.
		attach(module, goInstance) {
			if (!module) {
				return false;
			}
			const instance = new WebAssembly.Instance(module, { env: { memory: goInstance.exports.mem } });
			this.kernel = instance.exports;
			return true;
		}

		// compile compiles the kernel from bytes, a Response or a promise of one.
		// It resolves to null where the engine lacks WebAssembly SIMD (the
		// module does not validate) or the kernel cannot be fetched.
		static async compile(source) {
			try {
				let bytes = await source;
				if (typeof Response !== "undefined" && bytes instanceof Response) {
					if (!bytes.ok) {
						return null;
					}
					bytes = await bytes.arrayBuffer();
				}
				if (!WebAssembly.validate(bytes)) {
					return null;
				}
				return await WebAssembly.compile(bytes);
			} catch (err) {
				console.warn("vaegemm: SIMD kernel unavailable:", err);
				return null;
			}
		}

		// importsKernel reports whether a compiled Go module imports the kernel,
		// so a generic runner can demand the kernel only where it is used.
		static importsKernel(goModule) {
			return WebAssembly.Module.imports(goModule).some((imp) => imp.module === importModule);
		}
	}

	if (typeof module !== "undefined" && module.exports) {
		module.exports = VAEGemm;
	} else {
		root.VAEGemm = VAEGemm;
	}
})(typeof globalThis !== "undefined" ? globalThis : this);
