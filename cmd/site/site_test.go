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
		"worker.js", "worker.wasm", "worker.wasm.br", "sw.js", "manifest.webmanifest", "icon-192.png", "icon-512.png",
		"embed-example.html", "embed-example.css"} {
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
	// The loader's words in Vietnamese from the game's table, and the
	// page without scripts says it in both languages.
	w := regexp.MustCompile(`<script id="site-words" type="application/json">(.*?)</script>`).FindSubmatch(index)
	if w == nil {
		t.Fatal("no words in index.html")
	}
	var words map[string]map[string]string
	if err := json.Unmarshal(w[1], &words); err != nil {
		t.Fatal(err)
	}
	if got := words["vi"]["Reload"]; got != "Tải lại" {
		t.Errorf(`the loader's "Reload" in Vietnamese is %q`, got)
	}
	if got := words["vi"]["Downloading %s of %s MB"]; got != "Đang tải %s trên %s MB" {
		t.Errorf(`the loader's progress in Vietnamese is %q`, got)
	}
	if !bytes.Contains(index, []byte(`<p class="error" lang="vi">Sân chơi là một chương trình chạy trong trình duyệt của bạn: hãy bật JavaScript.</p></noscript>`)) {
		t.Error("the <noscript> text has no Vietnamese")
	}

	// The example article names its style sheet at its version, and its
	// figures by the page (revalidated, never versioned); the manifest
	// names the article as stamped.
	example, err := os.ReadFile(filepath.Join(out, "embed-example.html"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `href="embed-example.css?v=` + manifest.Files["embed-example.css"].Version + `"`; !bytes.Contains(example, []byte(want)) {
		t.Errorf("embed-example.html does not link %s", want)
	}
	if !bytes.Contains(example, []byte(`src="index.html#`)) || bytes.Contains(example, []byte(`index.html?v=`)) {
		t.Error("embed-example.html's figures do not open index.html#…")
	}
	if want, _ := entryOf(filepath.Join(out, "embed-example.html")); manifest.Files["embed-example.html"] != want {
		t.Errorf("the manifest names embed-example.html as %+v, the file is %+v", manifest.Files["embed-example.html"], want)
	}
	if _, ok := manifest.Files["sw.js"]; ok {
		t.Error("the page's manifest names sw.js by a version (a service worker is fetched by its plain name)")
	}

	// The service worker's list: every top-level file but itself at the hash
	// of its bytes (index.html as stamped), the data sets apart, and a build
	// name that changes with any file.
	sw, err := os.ReadFile(filepath.Join(out, "sw.js"))
	if err != nil {
		t.Fatal(err)
	}
	m = regexp.MustCompile(`(?m)^const site = (\{.*\}); // written by cmd/site$`).FindSubmatch(sw)
	if m == nil {
		t.Fatal("sw.js carries no list")
	}
	var list swList
	if err := json.Unmarshal(m[1], &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Build) != 12 {
		t.Errorf("build %q", list.Build)
	}
	for _, name := range []string{"index.html", "loader.js", "playground.wasm", "worker.wasm", "manifest.webmanifest", "icon-192.png", "embed-example.html", "embed-example.css"} {
		want, err := entryOf(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := list.Files[name]; got != want {
			t.Errorf("sw.js lists %s as %+v, the file is %+v", name, got, want)
		}
	}
	for name := range list.Files {
		if strings.Contains(name, "/") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || name == "sw.js" {
			t.Errorf("sw.js would keep %s in the build's cache", name)
		}
	}
	if d, ok := list.Data["data/mnist.vpk"]; !ok || d.Bytes != 5000 {
		t.Errorf("sw.js data sets: %+v", list.Data)
	}
	if _, ok := list.Files["data/mnist.vpk"]; ok {
		t.Error("a data set is in the build's cache list")
	}

	// A changed file is a new build; the same sources give the same one
	// (rebuilt around the worker just built, uncompressed, to be quick).
	workerWasm, precompress = filepath.Join(tmp, "worker.wasm"), false
	defer func() { workerWasm, precompress = "", true }()
	if err := copyFile(workerWasm, filepath.Join(out, "worker.wasm")); err != nil {
		t.Fatal(err)
	}
	build := func() string {
		t.Helper()
		again := filepath.Join(tmp, "again")
		if err := build(again, "web", data, "", game, "go", io.Discard); err != nil {
			t.Fatal(err)
		}
		sw, err := os.ReadFile(filepath.Join(again, "sw.js"))
		if err != nil {
			t.Fatal(err)
		}
		var l swList
		json.Unmarshal(regexp.MustCompile(`(?m)^const site = (\{.*\});`).FindSubmatch(sw)[1], &l)
		return l.Build
	}
	if b := build(); b != list.Build {
		t.Errorf("the same sources built %s, then %s", list.Build, b)
	}
	if err := os.WriteFile(game, append(raw, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if b := build(); b == list.Build {
		t.Errorf("a changed game kept the build name %s", b)
	}

	if !strings.Contains(report.String(), "first load") {
		t.Errorf("report lacks the first load:\n%s", report.String())
	}
}
