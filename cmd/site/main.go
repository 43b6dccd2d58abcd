package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/andybalholm/brotli"

	"github.com/vaeplayground/vae/fastblas/wasmkernel"
)

// compressFrom is the size from which a file gets precompressed copies: below
// it the saving is smaller than an HTTP round of headers.
const compressFrom = 1024

// firstLoad lists what the loader fetches before the first frame.
var firstLoad = []string{"index.html", "style.css", "loader.js", "icon.svg", "manifest.webmanifest", "wasm_exec.js", "vaegemm.js", "vaegemm.wasm", "playground.wasm"}

// worker lists what the page loads after its first frame to train in a Web
// Worker (outside the first-load budget).
var worker = []string{"worker.js", "worker.wasm"}

// serviceWorker is the service worker's script: the builder writes the
// build's file list into it, and it is fetched by its plain name (a browser
// compares its bytes to find a new build), never by version.
const serviceWorker = "sw.js"

// workerPkg is the Go package of the training worker ("" leaves it out:
// training then stays on the page).
var workerPkg = "./worker"

// precompress writes the .br and .gz copies (the slow part of a build).
var precompress = true

// workerWasm, if set, is an already built worker to ship instead.
var workerWasm = ""

// alreadyCompressed names extensions whose files are compressed inside
// (the packed data sets are gzip streams).
var alreadyCompressed = map[string]bool{".vpk": true, ".png": true, ".gz": true, ".br": true}

func main() {
	var (
		out      = flag.String("out", "dist/site", "output folder (replaced)")
		web      = flag.String("web", "web", "folder of the site's sources")
		data     = flag.String("data", "dist/data", "folder of packed data sets (*.vpk) to copy into data/, if it exists")
		game     = flag.String("game", "./wasm", "Go package of the browser entry")
		prebuilt = flag.String("game-wasm", "", "use this already built game wasm instead of building -game")
		goCmd    = flag.String("go", "go", "the go command")
	)
	flag.StringVar(&workerPkg, "worker", workerPkg, "Go package of the training worker (empty: none)")
	flag.StringVar(&workerWasm, "worker-wasm", "", "use this already built worker wasm instead of building -worker")
	flag.BoolVar(&precompress, "compress", true, "write .br and .gz copies (false: a quicker build, for tests)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("site: ")
	if err := build(*out, *web, *data, *game, *prebuilt, *goCmd, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func build(out, web, data, game, prebuilt, goCmd string, w io.Writer) error {
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	gameWasm := filepath.Join(out, "playground.wasm")
	if prebuilt != "" {
		if err := copyFile(gameWasm, prebuilt); err != nil {
			return err
		}
	} else if err := buildGame(goCmd, game, gameWasm); err != nil {
		return err
	}
	if workerWasm != "" {
		if err := copyFile(filepath.Join(out, "worker.wasm"), workerWasm); err != nil {
			return err
		}
	} else if workerPkg != "" {
		if err := buildGame(goCmd, workerPkg, filepath.Join(out, "worker.wasm")); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "vaegemm.wasm"), wasmkernel.Module(), 0o644); err != nil {
		return err
	}
	goroot, err := goEnv(goCmd, "GOROOT")
	if err != nil {
		return err
	}
	if err := copyFile(filepath.Join(out, "wasm_exec.js"), filepath.Join(goroot, "lib", "wasm", "wasm_exec.js")); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(out, "vaegemm.js"), filepath.Join("fastblas", "js", "vaegemm.js")); err != nil {
		return err
	}
	if err := copyWeb(out, web); err != nil {
		return err
	}
	if err := writeIcons(out, filepath.Join(web, "icon.svg")); err != nil {
		return err
	}
	if err := copyData(filepath.Join(out, "data"), data); err != nil {
		return err
	}
	if err := stampWords(out); err != nil {
		return err
	}
	if err := stampIndex(out); err != nil {
		return err
	}
	if err := stampServiceWorker(out); err != nil {
		return err
	}
	sizes, err := compressAll(out)
	if err != nil {
		return err
	}
	report(w, out, sizes)
	return nil
}

func buildGame(goCmd, pkg, dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	cmd := exec.Command(goCmd, "build", "-trimpath", "-ldflags=-s -w", "-o", abs, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s for js/wasm: %w", pkg, err)
	}
	return nil
}

func goEnv(goCmd, name string) (string, error) {
	b, err := exec.Command(goCmd, "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// copyWeb copies the regular files at the top of web/ (its sub-folders, such
// as the end-to-end tests, are not part of the site).
func copyWeb(out, web string) error {
	entries, err := os.ReadDir(web)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := copyFile(filepath.Join(out, e.Name()), filepath.Join(web, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyData(dst, src string) error {
	names, err := filepath.Glob(filepath.Join(src, "*.vpk"))
	if err != nil || len(names) == 0 {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, name := range names {
		if err := copyFile(filepath.Join(dst, filepath.Base(name)), name); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// manifestEntry is what the loader learns of one file.
type manifestEntry struct {
	Bytes   int64  `json:"bytes"`
	Version string `json:"version"`
}

// stampIndex writes the manifest into index.html and points its own links at
// versioned URLs.
func stampIndex(out string) error {
	const placeholder = `<script id="site-manifest" type="application/json">{}</script>`
	indexPath := filepath.Join(out, "index.html")
	index, err := os.ReadFile(indexPath)
	if err != nil {
		return err
	}
	if !bytes.Contains(index, []byte(placeholder)) {
		return errors.New("index.html lacks the manifest placeholder " + placeholder)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	files := map[string]manifestEntry{}
	var pages []string // the other pages (embed-example.html)
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "index.html" || e.Name() == serviceWorker {
			continue
		}
		if strings.HasSuffix(e.Name(), ".html") {
			pages = append(pages, e.Name())
		}
		if files[e.Name()], err = entryOf(filepath.Join(out, e.Name())); err != nil {
			return err
		}
	}
	// The other pages name the site's files at their versions too; their
	// own versions are taken once they are stamped.
	for _, page := range pages {
		p := filepath.Join(out, page)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, versionLinks(b, files), 0o644); err != nil {
			return err
		}
		if files[page], err = entryOf(p); err != nil {
			return err
		}
	}
	manifest, err := json.Marshal(map[string]any{"files": files}) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	index = bytes.Replace(index, []byte(placeholder),
		[]byte(`<script id="site-manifest" type="application/json">`+string(manifest)+`</script>`), 1)
	return os.WriteFile(indexPath, versionLinks(index, files), 0o644)
}

// versionLinks points a page's href and src attributes that name one of
// files at its versioned URL (a link to a page, such as index.html#…, is
// left alone: pages are revalidated).
func versionLinks(page []byte, files map[string]manifestEntry) []byte {
	for name, f := range files {
		if strings.HasSuffix(name, ".html") {
			continue
		}
		for _, attr := range []string{"href", "src"} {
			old := attr + `="` + name + `"`
			page = bytes.ReplaceAll(page, []byte(old), []byte(attr+`="`+name+"?v="+f.Version+`"`))
		}
	}
	return page
}

// entryOf is a file's raw size and version: the first 6 bytes of its
// SHA-256 (the service worker checks what it stores against the same hash).
func entryOf(p string) (manifestEntry, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return manifestEntry{}, err
	}
	sum := sha256.Sum256(b)
	return manifestEntry{Bytes: int64(len(b)), Version: hex.EncodeToString(sum[:6])}, nil
}

// swList is what the service worker learns of the build.
type swList struct {
	Build string                   `json:"build"`
	Files map[string]manifestEntry `json:"files"` // kept in the build's cache
	Data  map[string]manifestEntry `json:"data"`  // kept on demand, across builds
}

// stampServiceWorker writes the build's list into sw.js, after index.html
// is stamped (its hash is in the list). The build's name hashes the list and
// the worker's own code, so that any change to either is a new build.
func stampServiceWorker(out string) error {
	const placeholder = "const site = {}; // written by cmd/site"
	swPath := filepath.Join(out, serviceWorker)
	script, err := os.ReadFile(swPath)
	if err != nil {
		return err
	}
	if !bytes.Contains(script, []byte(placeholder)) {
		return errors.New(serviceWorker + " lacks the placeholder " + placeholder)
	}
	list := swList{Files: map[string]manifestEntry{}, Data: map[string]manifestEntry{}}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		into := list.Files
		switch {
		case rel == serviceWorker:
			return nil
		case strings.HasPrefix(rel, "data/"):
			into = list.Data
		case strings.Contains(rel, "/"):
			return nil
		}
		into[rel], err = entryOf(p)
		return err
	})
	if err != nil {
		return err
	}
	listed, err := json.Marshal(list) // sorted keys: the same build gives the same bytes
	if err != nil {
		return err
	}
	build := sha256.New()
	build.Write(listed)
	build.Write(script)
	list.Build = hex.EncodeToString(build.Sum(nil)[:6])
	if listed, err = json.Marshal(list); err != nil {
		return err
	}
	script = bytes.Replace(script, []byte(placeholder), []byte("const site = "+string(listed)+"; // written by cmd/site"), 1)
	return os.WriteFile(swPath, script, 0o644)
}

// fileSizes are one file's sizes; gzip and brotli are 0 when not compressed.
type fileSizes struct {
	name              string
	raw, gzip, brotli int64
}

// compressAll writes .gz and .br beside every file worth it, two at a time
// (brotli at quality 11 is the slow part of the build).
func compressAll(out string) ([]fileSizes, error) {
	var names []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	sizes := make([]fileSizes, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	limit := make(chan struct{}, 2)
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			limit <- struct{}{}
			defer func() { <-limit }()
			sizes[i], errs[i] = compressFile(out, name)
		}()
	}
	wg.Wait()
	return sizes, errors.Join(errs...)
}

func compressFile(out, name string) (fileSizes, error) {
	p := filepath.Join(out, filepath.FromSlash(name))
	raw, err := os.ReadFile(p)
	if err != nil {
		return fileSizes{}, err
	}
	s := fileSizes{name: name, raw: int64(len(raw))}
	if !precompress || len(raw) < compressFrom || alreadyCompressed[filepath.Ext(name)] {
		return s, nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return s, err
	}
	if err := zw.Close(); err != nil {
		return s, err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	if _, err := bw.Write(raw); err != nil {
		return s, err
	}
	if err := bw.Close(); err != nil {
		return s, err
	}
	// A copy no smaller than the file would only cost the server a choice.
	if gz.Len() < len(raw) {
		if err := os.WriteFile(p+".gz", gz.Bytes(), 0o644); err != nil {
			return s, err
		}
		s.gzip = int64(gz.Len())
	}
	if br.Len() < len(raw) {
		if err := os.WriteFile(p+".br", br.Bytes(), 0o644); err != nil {
			return s, err
		}
		s.brotli = int64(br.Len())
	}
	return s, nil
}

// report prints every file's sizes and the first load's totals.
func report(w io.Writer, out string, sizes []fileSizes) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "file\traw\tgzip\tbrotli\t\n")
	var first, later fileSizes
	first.name, later.name = "first load", "training worker (after the first frame)"
	for _, s := range sizes {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", s.name, s.raw, orDash(s.gzip), orDash(s.brotli))
		for _, set := range []struct {
			names []string
			sum   *fileSizes
		}{{firstLoad, &first}, {worker, &later}} {
			if slices.Contains(set.names, s.name) {
				set.sum.raw += s.raw
				set.sum.gzip += transferred(s.gzip, s.raw)
				set.sum.brotli += transferred(s.brotli, s.raw)
			}
		}
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", first.name, first.raw, first.gzip, first.brotli)
	if later.raw > 0 {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", later.name, later.raw, later.gzip, later.brotli)
	}
	tw.Flush()
	fmt.Fprintf(w, "site written to %s; first load %.2f MB with brotli, %.2f MB with gzip, %.2f MB raw\n",
		out, float64(first.brotli)/1e6, float64(first.gzip)/1e6, float64(first.raw)/1e6)
}

// transferred is the size a browser transfers: the compressed copy if any.
func transferred(compressed, raw int64) int64 {
	if compressed > 0 {
		return compressed
	}
	return raw
}

func orDash(n int64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}
