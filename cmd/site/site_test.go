package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestBuildWithPrebuiltGame builds a site around a stand-in game file and
// checks what the loader and the server rely on.
func TestBuildWithPrebuiltGame(t *testing.T) {
	tmp := t.TempDir()
	game := filepath.Join(tmp, "game.wasm")
	// Compressible, and big enough to be precompressed.
	raw := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("playground "), 4000)...)
	if err := os.WriteFile(game, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(tmp, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "mnist.vpk"), bytes.Repeat([]byte{1}, 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "site")
	t.Chdir("../..") // the builder reads web/ and fastblas/js from the repository root
	var report bytes.Buffer
	if err := build(out, "web", data, "", game, "go", &report); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"index.html", "loader.js", "style.css", "icon.svg", "wasm_exec.js", "vaegemm.js", "vaegemm.wasm", "playground.wasm", "data/mnist.vpk",
		"worker.js", "worker.wasm", "worker.wasm.br"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s", name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "e2e")); err == nil {
		t.Error("the end-to-end tests were copied into the site")
	}
	// Data sets are compressed already and get no copies.
	if _, err := os.Stat(filepath.Join(out, "data", "mnist.vpk.br")); err == nil {
		t.Error("data/mnist.vpk got a brotli copy")
	}

	// Both copies decode to the file.
	br, err := os.ReadFile(filepath.Join(out, "playground.wasm.br"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); !bytes.Equal(got, raw) {
		t.Error("playground.wasm.br does not decode to the game")
	}
	gz, err := os.Open(filepath.Join(out, "playground.wasm.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, raw) {
		t.Error("playground.wasm.gz does not decode to the game")
	}

	// The manifest carries raw sizes and versions, and the page's own links
	// name the same versions.
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<script id="site-manifest" type="application/json">(.*?)</script>`).FindSubmatch(index)
	if m == nil {
		t.Fatal("no manifest in index.html")
	}
	var manifest struct {
		Files map[string]manifestEntry `json:"files"`
	}
	if err := json.Unmarshal(m[1], &manifest); err != nil {
		t.Fatal(err)
	}
	if f := manifest.Files["playground.wasm"]; f.Bytes != int64(len(raw)) || len(f.Version) != 12 {
		t.Errorf("manifest entry for playground.wasm: %+v", f)
	}
	for _, name := range []string{"loader.js", "style.css", "icon.svg"} {
		want := name + "?v=" + manifest.Files[name].Version
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html does not link %s", want)
		}
	}
	if !strings.Contains(report.String(), "first load") {
		t.Errorf("report lacks the first load:\n%s", report.String())
	}
}
