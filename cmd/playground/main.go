package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/vaeplayground/vae/app"
	"github.com/vaeplayground/vae/fastblas"
	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/session"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "playground:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		settings = flag.String("settings", "", "settings as in a link's hash, e.g. 'data=circles&prior=mixture' ('help' lists them)")
		lang     = flag.String("lang", "", "the interface's language, en or vi (default: the desktop's, from LC_ALL, LC_MESSAGES or LANG; lang= in -settings wins)")
		model    = flag.String("model", "", "checkpoint or .safetensors model to load at start")
		csvPath  = flag.String("csv", "", "CSV of points (x,y[,label]) to train on, as if dropped on the window")
		shot     = flag.String("screenshot", "", "write the screen to this PNG after -after frames, then exit")
		first    = flag.String("first", "", "with -screenshot: also write frame 1 to this PNG")
		after    = flag.Int("after", 300, "frames before the screenshot")
		saveDir  = flag.String("save-dir", ".", "folder for saved pictures, checkpoints, recordings and exports")
		profile  = flag.String("cpuprofile", "", "write a CPU profile of the session to this file")
		dataDir  = flag.String("data-dir", "dist/data", "folder of the packed image sets (make mnist-pack, make fashion-pack)")
		fresh    = flag.Bool("fresh", false, "start fresh instead of resuming the autosaved session")
		savePath = flag.String("autosave", "", "file of the autosaved session (default: in the user's cache folder; 'off' for none)")
		recordOn = flag.String("record", "", "start recording this at the first frame: screen, views, latent, data or loss (g or Record stops it; with -screenshot it stops there and is saved to -save-dir before the app exits)")
	)
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flag.Arg(0))
	}
	// Settings without lang= open in -lang, else the desktop's language
	// (English where it is neither of the interface's).
	language := i18n.Preferred(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG"))
	if *lang != "" {
		if !i18n.Known(*lang) {
			return fmt.Errorf("-lang %q: want one of %s", *lang, strings.Join(i18n.Languages, ", "))
		}
		language = *lang
	}
	session.SetDefaultLanguage(language)
	if *settings == "help" {
		// The settings table, in the language chosen: no window.
		i18n.Set(language)
		return session.WriteHelp(os.Stdout)
	}
	if *after < 1 {
		return fmt.Errorf("-after %d: want at least 1 frame", *after)
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The reproducible product: a link trains to the same bits here as in
	// the browser.
	fastblas.Install()
	// A screenshot run (CI's) neither resumes nor saves unless -autosave
	// names a file: it leaves the user's session alone.
	store, err := autosaveStore(*savePath, *shot == "" || *savePath != "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "autosave off:", err)
	}
	// The saved session resumes when nothing on the command line says what
	// to open; -fresh starts over (the saved one is replaced once it trains).
	resume := store != nil && !*fresh && *settings == "" && *model == "" && *csvPath == ""
	s, err := startSession(store, resume, *settings, fileAssets{dir: *dataDir})
	if err != nil {
		return err
	}
	defer s.Close()
	// What the settings could not apply, in the session's language.
	i18n.Set(s.Values.Choice("lang"))
	for _, n := range s.Notes {
		fmt.Fprintln(os.Stderr, i18n.F("settings: %s", i18n.T(n)))
	}
	for _, path := range []string{*csvPath, *model} {
		if path == "" {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		name := filepath.Base(path)
		if path == *csvPath && filepath.Ext(name) != ".csv" {
			name += ".csv" // the flag says what it is
		}
		err = s.LoadFile(name, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	opt := app.Options{ScreenshotPath: *shot, ScreenshotAfter: *after, FirstShotPath: *first, Record: *recordOn}
	var saver *autosaver
	if store != nil {
		saver = newAutosaver(store)
		opt.Autosave = saver.put
	}
	g := app.New(s, &desktop{dir: *saveDir}, opt)
	if saver != nil {
		saver.game = g
		// The last state goes to disk when the window closes.
		defer func() {
			for pending := g.SaveNow(); pending; pending = g.PollSave() {
				time.Sleep(10 * time.Millisecond)
			}
			saver.flush()
		}()
	}
	ebiten.SetWindowTitle("VAE playground")
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetWindowSize(1280, 800)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(g); err != nil {
		return err
	}
	return g.ShotError()
}

// desktop saves into a folder and prints links.
type desktop struct{ dir string }

func (d *desktop) SaveFile(name string, data []byte) (string, error) {
	path := filepath.Join(d.dir, name)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // the status line says where, wherever the app was started
	}
	return path, os.WriteFile(path, data, 0o644)
}

func (d *desktop) CopyLink(hash string) string {
	fmt.Println("settings:", hash)
	return "settings printed on the terminal; reopen them with -settings '" + hash + "'"
}

func (d *desktop) SettingsChanged(string) {}
func (d *desktop) FirstFrame()            {}
