package main

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
)

// contentTypes is every type the site uses; the system's MIME table is not
// consulted, so the answer is the same on every machine.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
}

// encodings are the precompressed copies the builder writes, best first.
var encodings = []struct{ name, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// siteHandler serves the files under dir at URL paths under prefix.
type siteHandler struct {
	dir    string
	prefix string // starts and ends with "/"
}

func newSiteHandler(dir, prefix string) (*siteHandler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	root.Close()
	prefix = path.Clean("/" + prefix)
	if prefix != "/" {
		prefix += "/"
	}
	return &siteHandler{dir: dir, prefix: prefix}, nil
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p+"/" == h.prefix {
		// Relative URLs resolve against the folder only with its slash.
		http.Redirect(w, r, h.prefix, http.StatusMovedPermanently)
		return
	}
	rest, ok := strings.CutPrefix(p, h.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	name, ok := siteName(rest)
	if !ok {
		http.NotFound(w, r)
		return
	}
	h.serveFile(w, r, name, strings.HasSuffix(rest, "/") || rest == "")
}

// siteName turns the URL path below the prefix into a name inside the site,
// refusing any "..", hidden names and backslashes instead of cleaning them.
func siteName(rest string) (string, bool) {
	if rest == "" || strings.HasSuffix(rest, "/") {
		rest += "index.html"
	}
	if strings.ContainsAny(rest, "\\\x00") {
		return "", false
	}
	for _, part := range strings.Split(rest, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return "", false
		}
	}
	return rest, fs.ValidPath(rest)
}

func (h *siteHandler) serveFile(w http.ResponseWriter, r *http.Request, name string, isIndex bool) {
	// The folder is opened per request: `make site` replaces it while a
	// server may be running, and a root held open would still point at the
	// old, deleted one.
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "the site folder is missing", http.StatusServiceUnavailable)
		return
	}
	defer root.Close()
	info, err := root.Stat(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if info.IsDir() {
		// A folder with an index gets its slash; no folder is ever listed.
		if _, err := root.Stat(name + "/index.html"); err == nil && !isIndex {
			http.Redirect(w, r, path.Base(name)+"/", http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
		return
	}
	if !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}

	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	// The files are public: a frame sandboxed without allow-same-origin
	// (an embed with allow-scripts alone) has an opaque origin, and its
	// fetches of the game are cross-origin reads.
	hdr.Set("Access-Control-Allow-Origin", "*")
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		ctype = "application/octet-stream"
	}
	hdr.Set("Content-Type", ctype)
	// A URL that names a version never changes; any other is revalidated,
	// and so is the service worker's script whatever its URL: a browser
	// learns of a new build by its bytes.
	if r.URL.Query().Get("v") != "" && path.Base(name) != "sw.js" {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}

	serveName, encoding := name, ""
	for _, enc := range encodings {
		ci, err := root.Stat(name + enc.suffix)
		if err != nil || !ci.Mode().IsRegular() {
			continue
		}
		hdr.Set("Vary", "Accept-Encoding")
		if encoding == "" && accepts(r.Header.Get("Accept-Encoding"), enc.name) {
			serveName, encoding, info = name+enc.suffix, enc.name, ci
		}
	}
	f, err := root.Open(serveName)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if encoding != "" {
		hdr.Set("Content-Encoding", encoding)
	}
	// Each representation has its own tag, so a cache never mixes them.
	tag := fmt.Sprintf("%x-%x", info.ModTime().UnixNano(), info.Size())
	if encoding != "" {
		tag += "-" + encoding
	}
	hdr.Set("ETag", `"`+tag+`"`)
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// accepts reports whether an Accept-Encoding header admits coding with a
// non-zero quality (RFC 9110 §12.5.3), directly or through "*".
func accepts(header, coding string) bool {
	star := false
	for _, item := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(strings.TrimSpace(item), ";")
		token = strings.ToLower(strings.TrimSpace(token))
		if token != coding && token != "*" {
			continue
		}
		ok := qualityAboveZero(params)
		if token == coding {
			return ok
		}
		star = ok
	}
	return star
}

func qualityAboveZero(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			v = strings.TrimSpace(v)
			return strings.Trim(v, "0.") != "" // q=0, q=0.0, q=0.000 refuse
		}
	}
	return true
}
