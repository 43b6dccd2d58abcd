package app

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/playground"
	"github.com/vaeplayground/vae/session"
)

// Platform does what differs between the desktop and the browser.
type Platform interface {
	// SaveFile stores data under name (a file, or a browser download) and
	// returns where it went.
	SaveFile(name string, data []byte) (string, error)
	// CopyLink puts a link reopening the settings (hash) on the clipboard,
	// or shows it, and returns a message for the user.
	CopyLink(hash string) string
	// SettingsChanged is told the new URL hash of the settings.
	SettingsChanged(hash string)
	// FirstFrame is called once the first frame is on screen.
	FirstFrame()
}

// Options configure a Game.
type Options struct {
	// ScreenshotPath and ScreenshotAfter: after that many frames (training
	// from the first one), write the screen to the file and end the game.
	ScreenshotPath  string
	ScreenshotAfter int
	// FirstShotPath, when set with ScreenshotPath, also gets frame 1.
	FirstShotPath string
	// Autosave, when set, is handed the session's saved state whenever a
	// save is due (session.Autosave); it stores it without blocking.
	Autosave func(record []byte)
	// Record, when set, starts a recording of that target (one of
	// playground.RecordTargets) at the first frame. A screenshot run stops
	// it at the screenshot and ends once the GIF is saved.
	Record string
	// Touch lays the screen out for a finger from the start (the page's
	// pointer is coarse); otherwise the first touch does.
	Touch bool
}

// Game is the ebiten.Game of the playground.
type Game struct {
	mu       sync.Mutex
	S        *session.Session
	Screen   *playground.Screen
	platform Platform
	opt      Options

	frame, overlay *ebiten.Image
	overlayEmpty   bool
	buf            []byte
	w, h           int
	scale          float64
	frames         int
	hash           string
	shotErr        error
	done           bool
	autosave       session.Autosave
	dropMu         sync.Mutex // guards dropped
	dropped        []droppedFile
	recordStarted  bool // Options.Record was started

	// The pointer's events, queued so that none is lost between frames:
	// pushed by the page's pointer events (PointerEvents) or polled from
	// Ebitengine each tick.
	pointer        input.Queue
	pointerEvents  bool
	keyEvents      bool
	keys           input.Keys // the widgets' keys from the page (keyEvents)
	prefersLight   atomic.Bool
	polled         pollState
	swallowRelease bool
	geoMu          sync.Mutex // guards geo (read by the page's event handlers)
	geo            Geometry
	laidOut        layoutKey

	// Smoothed milliseconds the game spends per Update and per Draw (the
	// rest of a frame is the browser's or the GPU's).
	UpdateMs, DrawMs float64
}

func smooth(avg *float64, since time.Time) {
	ms := float64(time.Since(since).Microseconds()) / 1000
	if *avg == 0 {
		*avg = ms
	}
	*avg += 0.05 * (ms - *avg)
}

// New makes a game for session s.
func New(s *session.Session, p Platform, opt Options) *Game {
	g := &Game{S: s, platform: p, opt: opt, scale: 1, overlayEmpty: true}
	if opt.ScreenshotPath != "" {
		s.Play()
	}
	return g
}

// Frames is the number of frames drawn.
func (g *Game) Frames() int { return g.frames }

// Do runs f with the game's lock held (the browser's hooks call in from
// JavaScript between frames).
func (g *Game) Do(f func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f()
}

// keys maps typed characters to the screen's key names, and the escape
// key when it is polled.
func keys(pollEscape bool) []string {
	var out []string
	for _, r := range ebiten.AppendInputChars(nil) {
		switch r {
		case ' ':
			out = append(out, playground.KeySpace)
		case '.', '?':
			out = append(out, string(r))
		case 'r', 'R':
			out = append(out, playground.KeyReset)
		case 'a', 'A':
			out = append(out, playground.KeyA)
		case 'b', 'B':
			out = append(out, playground.KeyB)
		case 'h', 'H':
			out = append(out, playground.KeyHelp)
		case 'g', 'G':
			out = append(out, playground.KeyRecord)
		}
	}
	if pollEscape && inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		out = append(out, playground.KeyEscape)
	}
	return out
}

func (g *Game) Update() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer smooth(&g.UpdateMs, time.Now())
	if g.Screen == nil {
		return nil // Layout comes first
	}
	now := time.Now()
	if g.done {
		// A recording still running or being encoded is saved first.
		if on, _ := g.Screen.Recording(); on {
			g.Screen.ToggleRecord(now)
		} else if !g.Screen.RecordSaving() {
			return ebiten.Termination
		}
	}
	if g.opt.Record != "" && !g.recordStarted {
		g.recordStarted = true
		if err := g.Screen.SetRecordOptions(g.opt.Record, 0, 0); err != nil {
			g.S.Message = err.Error()
		} else {
			g.Screen.ToggleRecord(now)
		}
	}
	if !g.pointerEvents {
		g.poll(now)
	}
	in := g.nextInput(now)
	screenKeys := g.frameKeys(&in)
	if dropped := ebiten.DroppedFiles(); dropped != nil {
		// Reading a dropped file waits for the browser's file reader: done
		// under the lock, a hook called meanwhile (vae.state) would block
		// inside a JavaScript event and the reader could never answer. So
		// the files are read on a goroutine and taken in by a later Update.
		go g.readDropped(dropped)
	}
	for _, f := range g.takeDropped() {
		if f.err != nil {
			g.S.Message = f.err.Error()
			continue
		}
		g.LoadFile(f.name, bytes.NewReader(f.data))
	}
	g.Screen.FPS = ebiten.ActualFPS()
	g.Screen.PrefersLight = g.prefersLight.Load()
	g.Screen.Update(in, screenKeys, now)
	g.serve()
	if h := g.S.Hash(); h != g.hash {
		g.hash = h
		g.platform.SettingsChanged(h)
	}
	g.autosaveTick(time.Now())
	return nil
}

// droppedFile is a dropped file read off the game's lock.
type droppedFile struct {
	name string
	data []byte
	err  error
}

// maxDroppedBytes bounds a dropped file (the session refuses more anyway).
const maxDroppedBytes = 64 << 20

// readDropped reads the files dropped on the window (not directories) and
// queues them for Update. It must not hold g.mu.
func (g *Game) readDropped(fsys fs.FS) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		g.queueDropped(droppedFile{err: fmt.Errorf("dropped files: %w", err)})
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, err := fsys.Open(e.Name())
		if err != nil {
			g.queueDropped(droppedFile{name: e.Name(), err: err})
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, maxDroppedBytes+1))
		f.Close()
		if err == nil && len(b) > maxDroppedBytes {
			err = fmt.Errorf("%s: larger than %d MiB", e.Name(), maxDroppedBytes>>20)
		}
		g.queueDropped(droppedFile{name: e.Name(), data: b, err: err})
	}
}

func (g *Game) queueDropped(f droppedFile) {
	g.dropMu.Lock()
	g.dropped = append(g.dropped, f)
	g.dropMu.Unlock()
}

func (g *Game) takeDropped() []droppedFile {
	g.dropMu.Lock()
	defer g.dropMu.Unlock()
	out := g.dropped
	g.dropped = nil
	return out
}

// LoadFile loads a checkpoint or a CSV; the message says how it went.
// The caller holds the lock (or is Update).
func (g *Game) LoadFile(name string, r io.Reader) error {
	err := g.S.LoadFile(name, r)
	if err != nil {
		g.S.Message = err.Error()
	}
	return err
}

// serve carries out the screen's requests.
func (g *Game) serve() {
	for _, r := range g.Screen.Requests {
		switch r {
		case playground.SavePNG:
			var b bytes.Buffer
			if err := png.Encode(&b, g.Composite()); err != nil {
				g.S.Message = err.Error()
				break
			}
			g.report(g.platform.SaveFile(fmt.Sprintf("vae-playground-step%d.png", g.S.Steps()), b.Bytes()))
		case playground.SaveCheckpoint:
			var b bytes.Buffer
			if err := g.S.SaveModel(&b); err != nil {
				g.S.Message = err.Error()
				break
			}
			g.report(g.platform.SaveFile(fmt.Sprintf("vae-step%d.vae", g.S.Steps()), b.Bytes()))
		case playground.SaveSafetensors:
			var b bytes.Buffer
			if err := g.S.SaveSafetensors(&b); err != nil {
				g.S.Message = "saving for PyTorch failed: " + err.Error()
				break
			}
			g.report(g.platform.SaveFile(fmt.Sprintf("vae-step%d.safetensors", g.S.Steps()), b.Bytes()))
		case playground.SaveRecording:
			f, ok := g.Screen.TakeRecording()
			if !ok {
				break
			}
			where, err := g.platform.SaveFile(f.Name, f.Data)
			g.report(where, err)
			if err == nil {
				g.S.Message += fmt.Sprintf(" — %d frames of %d×%d, %.1f s, %.0f KB", f.Stats.Encoded, f.Size.X, f.Size.Y, f.Length.Seconds(), float64(len(f.Data))/1024)
				if f.Stats.Dropped > 0 {
					g.S.Message += fmt.Sprintf(" (%d frames dropped: the encoder fell behind)", f.Stats.Dropped)
				}
			}
		case playground.ExportData:
			var b bytes.Buffer
			name, err := g.Screen.ExportData(&b)
			if err != nil {
				g.S.Message = "export failed: " + err.Error()
				break
			}
			g.report(g.platform.SaveFile(name, b.Bytes()))
		case playground.CopyLink:
			g.S.Message = g.platform.CopyLink(g.S.Hash()) + g.S.LinkNote()
		case playground.OpenPlayground:
			g.openPlayground()
		}
	}
	g.Screen.Requests = g.Screen.Requests[:0]
}

// PlaygroundOpener is a platform that can open the full playground beside
// an embed (the browser: a new tab).
type PlaygroundOpener interface {
	// OpenPlayground opens the playground with the settings of hash and
	// returns a message for the user.
	OpenPlayground(hash string) string
}

// openPlayground opens the full playground with the session's settings:
// in a new tab where the platform has tabs, else here (the embed's bar,
// views and controls give way to the full screen).
func (g *Game) openPlayground() {
	if o, ok := g.platform.(PlaygroundOpener); ok {
		g.S.Message = o.OpenPlayground(g.S.PlaygroundHash()) + g.S.LinkNote()
		return
	}
	g.S.Shown = session.Shown{}
	g.Screen.SetEmbed(false)
	_ = g.Screen.SetShown(nil, nil)
	g.S.Message = "the full playground, with the same settings"
}

func (g *Game) report(where string, err error) {
	if err != nil {
		g.S.Message = "saving failed: " + err.Error()
		return
	}
	g.S.Message = "saved " + where
}

// Composite is the frame with its overlay, as the screen shows it.
func (g *Game) Composite() *image.RGBA {
	img := image.NewRGBA(g.Screen.Frame.Bounds())
	draw.Draw(img, img.Bounds(), g.Screen.Frame, image.Point{}, draw.Src)
	draw.Draw(img, img.Bounds(), g.Screen.Overlay, image.Point{}, draw.Over)
	return img
}

func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer smooth(&g.DrawMs, time.Now())
	if g.Screen == nil {
		return
	}
	sc := g.Screen
	// The screen keeps its pixels between frames (SetScreenClearedEveryFrame
	// is off), so only what changed is drawn again: a software-rendered
	// WebGL (no GPU) pays for every pixel drawn.
	full := false
	if g.frame == nil || g.frame.Bounds() != sc.Frame.Bounds() {
		// Unmanaged: the frame and the overlay are large and rewritten
		// often, so they get textures of their own rather than a place on
		// Ebitengine's shared atlas.
		opt := &ebiten.NewImageOptions{Unmanaged: true}
		g.frame = ebiten.NewImageWithOptions(sc.Frame.Bounds(), opt)
		g.overlay = ebiten.NewImageWithOptions(sc.Frame.Bounds(), opt)
		g.frame.WritePixels(sc.Frame.Pix)
		sc.OverlayDirty = true
		full = true
	} else {
		for _, r := range sc.Dirty {
			g.upload(r)
		}
	}
	overlayWas := !g.overlayEmpty
	if sc.OverlayDirty {
		g.overlay.WritePixels(sc.Overlay.Pix)
		g.overlayEmpty = isClear(sc.Overlay.Pix)
		sc.OverlayDirty = false
		// The old overlay must be painted over, the new one drawn.
		full = full || overlayWas || !g.overlayEmpty
	}
	if !g.overlayEmpty && len(sc.Dirty) > 0 {
		full = true // the overlay lies over what changed
	}
	if full || g.frames == 0 || g.sizeChanged(screen) {
		screen.DrawImage(g.frame, nil)
		if !g.overlayEmpty {
			screen.DrawImage(g.overlay, nil)
		}
	} else {
		for _, r := range sc.Dirty {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
			screen.DrawImage(g.frame.SubImage(r).(*ebiten.Image), op)
		}
	}
	sc.Dirty = sc.Dirty[:0]
	g.frames++
	if g.frames == 1 {
		g.platform.FirstFrame()
		if g.opt.FirstShotPath != "" {
			g.shotErr = writeScreen(screen, g.opt.FirstShotPath)
		}
	}
	if g.opt.ScreenshotPath != "" && g.frames >= g.opt.ScreenshotAfter && !g.done {
		g.shotErr = writeScreen(screen, g.opt.ScreenshotPath)
		g.done = true
	}
}

// sizeChanged reports a new screen size (its old pixels are then gone).
func (g *Game) sizeChanged(screen *ebiten.Image) bool {
	b := screen.Bounds()
	changed := b.Dx() != g.w || b.Dy() != g.h
	g.w, g.h = b.Dx(), b.Dy()
	return changed
}

// ShotError is the screenshot's error, if any.
func (g *Game) ShotError() error { return g.shotErr }

func isClear(pix []byte) bool {
	for i := 3; i < len(pix); i += 4 {
		if pix[i] != 0 {
			return false
		}
	}
	return true
}

// upload copies one redrawn rectangle of the frame to the GPU image.
func (g *Game) upload(r image.Rectangle) {
	sc := g.Screen
	r = r.Intersect(sc.Frame.Bounds())
	if r.Empty() {
		return
	}
	n := r.Dx() * r.Dy() * 4
	if cap(g.buf) < n {
		g.buf = make([]byte, n)
	}
	buf := g.buf[:n]
	row := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		off := sc.Frame.PixOffset(r.Min.X, y)
		copy(buf[(y-r.Min.Y)*row:], sc.Frame.Pix[off:off+row])
	}
	g.frame.SubImage(r).(*ebiten.Image).WritePixels(buf)
}

// writeScreen reads the screen back (what the GPU drew) into a PNG.
func writeScreen(screen *ebiten.Image, path string) error {
	b := screen.Bounds()
	img := image.NewRGBA(b)
	screen.ReadPixels(img.Pix)
	return writePNG(path, img)
}

// Layout is LayoutF in whole pixels (Ebitengine calls LayoutF when it
// exists).
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := g.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// LayoutF lays the screen out in device pixels, so text and lines are
// crisp at any device scale.
func (g *Game) LayoutF(outsideWidth, outsideHeight float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	if s <= 0 {
		s = 1
	}
	w, h := int(outsideWidth*s), int(outsideHeight*s)
	g.mu.Lock()
	defer g.mu.Unlock()
	key := layoutKey{w, h, s}
	if g.Screen != nil && key == g.laidOut {
		b := g.Screen.Frame.Bounds()
		return float64(b.Dx()), float64(b.Dy())
	}
	g.laidOut = key
	if g.Screen == nil {
		g.Screen = playground.NewScreen(g.S, w, h, s)
		g.Screen.SetTouch(g.opt.Touch)
	} else {
		g.Screen.Resize(w, h, s)
	}
	// A window smaller than the layout's least size (a phone) was
	// letterboxed: the frame, larger than the window, was shrunk to fit
	// with black bands beside it. Laying out at a smaller scale instead
	// makes the frame the window's size, so the canvas is filled.
	if b := g.Screen.Frame.Bounds(); w > 0 && h > 0 && (b.Dx() > w || b.Dy() > h) {
		fit := math.Min(float64(w)/float64(b.Dx()), float64(h)/float64(b.Dy()))
		g.Screen.Resize(w, h, g.Screen.Scale*fit)
	}
	b := g.Screen.Frame.Bounds()
	g.geoMu.Lock()
	g.geo = Geometry{FrameW: b.Dx(), FrameH: b.Dy(), DeviceScale: s, LayoutScale: g.Screen.Scale}
	g.geoMu.Unlock()
	return float64(b.Dx()), float64(b.Dy())
}
