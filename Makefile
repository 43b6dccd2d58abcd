# The two commands that matter: `make run` and `make test`.
GO ?= go
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm

.PHONY: run test test-native test-wasm vet fmt-check bench deps

# Runs the playground (headless CLI until the Ebiten app lands): trains a VAE
# on a toy set and writes its views as PNG files under dist/run.
run:
	$(GO) run ./cmd/vae train -out dist/run

test: fmt-check vet test-native test-wasm

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

test-native:
	$(GO) test -count=1 ./...

# Packages whose behaviour differs under js/wasm run their tests in Node too.
WASM_PKGS ?= ./core/...
test-wasm:
	PATH="$(GOROOT_WASM):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 $(WASM_PKGS)

bench:
	$(GO) test -run=^$$ -bench=. -benchmem ./core/... ./render/...
