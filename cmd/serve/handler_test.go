package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testSite writes a small site: an index, a wasm file with both compressed
// copies, a script with only gzip, a folder without index and one with, a
// hidden file, and a secret beside the site that must never be served.
func testSite(t *testing.T) string {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", "<!doctype html><title>site</title>")
	write("playground.wasm", "\x00asm raw")
	write("playground.wasm.br", "brotli bytes")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\x00asm raw"))
	zw.Close()
	write("playground.wasm.gz", gz.String())
	write("loader.js", "console.log(1)")
	write("loader.js.gz", "gzip bytes")
	write("style.css", "body{}")
	write("icon.svg", "<svg/>")
	write("sw.js", "const site = {};")
	write("manifest.webmanifest", "{}")
	write("data/mnist.vpk", "packed")
	write("docs/index.html", "docs")
	write(".hidden", "hidden")
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func get(t *testing.T, h http.Handler, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestContentTypes(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, ctype string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/playground.wasm", "application/wasm"},
		{"/loader.js", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/icon.svg", "image/svg+xml"},
		{"/data/mnist.vpk", "application/octet-stream"},
	} {
		w := get(t, h, tc.path, nil)
		if w.Code != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, w.Code)
		}
		if got := w.Header().Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", tc.path, got)
		}
	}
}

func TestEncodingNegotiation(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, accept, encoding, body string
	}{
		{"/playground.wasm", "gzip, deflate, br, zstd", "br", "brotli bytes"},
		{"/playground.wasm", "br;q=1.0, gzip;q=0.8", "br", "brotli bytes"},
		{"/playground.wasm", "gzip", "gzip", ""},
		{"/playground.wasm", "br;q=0, gzip", "gzip", ""},
		{"/playground.wasm", "*", "br", "brotli bytes"},
		{"/playground.wasm", "*;q=0", "", "\x00asm raw"},
		{"/playground.wasm", "BR", "br", "brotli bytes"},
		{"/playground.wasm", "", "", "\x00asm raw"},
		{"/playground.wasm", "identity", "", "\x00asm raw"},
		{"/playground.wasm", "br;q=0.0, gzip;q=0", "", "\x00asm raw"},
		{"/loader.js", "br, gzip", "gzip", "gzip bytes"},
		{"/loader.js", "br", "", "console.log(1)"},
	} {
		w := get(t, h, tc.path, map[string]string{"Accept-Encoding": tc.accept})
		if w.Code != http.StatusOK {
			t.Fatalf("%s with %q: status %d", tc.path, tc.accept, w.Code)
		}
		if got := w.Header().Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("%s with %q: Content-Encoding %q, want %q", tc.path, tc.accept, got, tc.encoding)
		}
		if got := w.Header().Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("%s with %q: Vary %q", tc.path, tc.accept, got)
		}
		if strings.HasSuffix(tc.path, ".wasm") && w.Header().Get("Content-Type") != "application/wasm" {
			t.Errorf("%s with %q: Content-Type %q", tc.path, tc.accept, w.Header().Get("Content-Type"))
		}
		if tc.encoding == "gzip" && tc.path == "/playground.wasm" {
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			if string(b) != "\x00asm raw" {
				t.Errorf("gzip body decodes to %q", b)
			}
			continue
		}
		if got := w.Body.String(); got != tc.body {
			t.Errorf("%s with %q: body %q, want %q", tc.path, tc.accept, got, tc.body)
		}
	}
	// Each representation has its own ETag, and a matching one answers 304.
	br := get(t, h, "/playground.wasm", map[string]string{"Accept-Encoding": "br"})
	raw := get(t, h, "/playground.wasm", nil)
	if br.Header().Get("ETag") == "" || br.Header().Get("ETag") == raw.Header().Get("ETag") {
		t.Errorf("ETags br %q, identity %q", br.Header().Get("ETag"), raw.Header().Get("ETag"))
	}
	again := get(t, h, "/playground.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": br.Header().Get("ETag")})
	if again.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", again.Code)
	}
	// A file without copies does not vary.
	if v := get(t, h, "/style.css", nil).Header().Get("Vary"); v != "" {
		t.Errorf("style.css: Vary %q", v)
	}
}

func TestCacheHeaders(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, h, "/playground.wasm?v=abc123", nil).Header().Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("versioned URL: Cache-Control %q", got)
	}
	// The service worker's script is revalidated even under a version: a
	// browser finds a new build by comparing its bytes.
	for _, p := range []string{"/", "/playground.wasm", "/data/mnist.vpk", "/sw.js", "/sw.js?v=abc123"} {
		if got := get(t, h, p, nil).Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", p, got)
		}
	}
	if got := get(t, h, "/manifest.webmanifest", nil).Header().Get("Content-Type"); got != "application/manifest+json" {
		t.Errorf("manifest.webmanifest: Content-Type %q", got)
	}
}

func TestRefusesEscapesListingsAndHiddenFiles(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/../secret.txt",
		"/data/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/data/..%5c..%5csecret.txt",
		"/link.txt", // a link out of the site
		"/.hidden",
		"/data/", // a folder without index: no listing
		"/data",  // nor without the slash
		"//secret.txt",
		"/missing.js",
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = p // as the server's parser would leave an escaped path
		if strings.Contains(p, "%") {
			r = httptest.NewRequest(http.MethodGet, p, nil)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, w.Code)
		}
		if strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "mnist.vpk") {
			t.Errorf("%s: body leaks %q", p, w.Body.String())
		}
	}
	// A folder with an index gets its slash, then its index.
	if w := get(t, h, "/docs", nil); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/docs/" {
		t.Errorf("/docs: status %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	if w := get(t, h, "/docs/", nil); w.Code != http.StatusOK || w.Body.String() != "docs" {
		t.Errorf("/docs/: status %d, body %q", w.Code, w.Body.String())
	}
	r := httptest.NewRequest(http.MethodPost, "/index.html", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", w.Code)
	}
}

func TestSubPath(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "some/path")
	if err != nil {
		t.Fatal(err)
	}
	if h.prefix != "/some/path/" {
		t.Fatalf("prefix %q", h.prefix)
	}
	if w := get(t, h, "/some/path", nil); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/some/path/" {
		t.Errorf("/some/path: status %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	for _, p := range []string{"/some/path/", "/some/path/playground.wasm", "/some/path/data/mnist.vpk"} {
		if w := get(t, h, p, nil); w.Code != http.StatusOK {
			t.Errorf("%s: status %d", p, w.Code)
		}
	}
	for _, p := range []string{"/", "/index.html", "/playground.wasm", "/some/index.html", "/some/pathindex.html"} {
		if w := get(t, h, p, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, w.Code)
		}
	}
}

// TestServesARealListener checks the pieces together over HTTP: Go's client
// asks for gzip by itself and decodes it.
func TestServesARealListener(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/playground.wasm")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "\x00asm raw" || !resp.Uncompressed {
		t.Errorf("body %q, decompressed by the client: %v", b, resp.Uncompressed)
	}
}

// TestServesASiteRebuiltUnderIt: make site replaces the folder while make run
// serves it; the server must serve the new folder, not the deleted one.
func TestServesASiteRebuiltUnderIt(t *testing.T) {
	dir := testSite(t)
	h, err := newSiteHandler(dir, "/")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if w := get(t, h, "/index.html", nil); w.Code != http.StatusServiceUnavailable {
		t.Errorf("while the folder is gone: status %d, want 503", w.Code)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("rebuilt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := get(t, h, "/", nil); w.Code != http.StatusOK || w.Body.String() != "rebuilt" {
		t.Errorf("after the rebuild: status %d, body %q", w.Code, w.Body.String())
	}
}

// The page may be framed by a page of its own origin (an article's live
// figure, embed=1): no header forbids it; and a frame sandboxed without
// allow-same-origin (an opaque origin) may read the files.
func TestEmbedHeaders(t *testing.T) {
	h, err := newSiteHandler(testSite(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/index.html"} {
		w := get(t, h, path, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, w.Code)
		}
		if x := w.Header().Get("X-Frame-Options"); x != "" && !strings.EqualFold(x, "SAMEORIGIN") {
			t.Errorf("%s: X-Frame-Options %q forbids framing", path, x)
		}
		if csp := w.Header().Get("Content-Security-Policy"); strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q forbids framing", path, csp)
		}
	}
	for _, path := range []string{"/playground.wasm", "/loader.js", "/index.html"} {
		w := get(t, h, path, map[string]string{"Origin": "null", "Accept-Encoding": "br"})
		if a := w.Header().Get("Access-Control-Allow-Origin"); a != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q: a sandboxed frame cannot read it", path, a)
		}
	}
}
