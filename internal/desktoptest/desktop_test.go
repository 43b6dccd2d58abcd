package desktoptest

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// requireEnv makes a missing display or Xvfb a failure instead of a skip
// (the Makefile sets it: CI installs Xvfb).
const requireEnv = "VAE_DESKTOP_TEST"

func TestDesktopScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the desktop app")
	}
	prefix := displayPrefix(t)
	dir := t.TempDir()
	bin := buildApp(t, dir)
	// A small MNIST pack for the image case (the real digits, 3000 of them).
	data := filepath.Join(dir, "data")
	pack := exec.Command("go", "run", "github.com/vaeplayground/vae/datasets/cmd/mnistpack", "-train", "3000", "-test", "500", "-out", filepath.Join(data, "mnist.vpk"))
	if out, err := pack.CombinedOutput(); err != nil {
		t.Fatalf("mnistpack: %v\n%s", err, out)
	}
	for _, c := range []struct{ name, settings string }{{"points", ""}, {"mnist", "data=mnist&d.n=3000"}} {
		t.Run(c.name, func(t *testing.T) { runDesktop(t, prefix, bin, dir, data, c.name, c.settings) })
	}
}

// buildApp builds cmd/playground into dir.
func buildApp(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "playground")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/vaeplayground/vae/cmd/playground").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// displayPrefix is the command that gives the app a display: none when
// there is one, else xvfb-run.
func displayPrefix(t *testing.T) []string {
	t.Helper()
	if os.Getenv("DISPLAY") != "" {
		return nil
	}
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		if os.Getenv(requireEnv) == "require" {
			t.Fatal("no display and no xvfb-run (apt-get install xvfb xauth)")
		}
		t.Skip("no display and no xvfb-run")
	}
	return []string{xvfb, "-a", "-s", "-screen 0 1400x900x24"}
}

// runDesktop runs the app for 300 frames with the settings and checks the
// screenshots of frame 1 and frame 300.
func runDesktop(t *testing.T, prefix []string, bin, dir, data, name, settings string) {
	first, last := filepath.Join(dir, name+"-frame1.png"), filepath.Join(dir, name+"-frame300.png")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	args := append(append([]string(nil), prefix...), bin, "-screenshot", last, "-first", first, "-after", "300", "-data-dir", data, "-settings", settings)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	a, b := readPNG(t, first), readPNG(t, last)
	if a.Bounds() != b.Bounds() || a.Bounds().Dx() < 640 || a.Bounds().Dy() < 400 {
		t.Fatalf("screenshots %v and %v", a.Bounds(), b.Bounds())
	}
	for name, img := range map[string]*image.RGBA{"frame 1": a, "frame 300": b} {
		if v := lumaVariance(img); v < 100 {
			t.Errorf("%s is blank (luma variance %.1f)", name, v)
		}
	}
	if f := changedFraction(a, b); f < 0.01 {
		t.Errorf("only %.2f%% of the pixels changed in 300 frames of training", 100*f)
	}
	if dir := os.Getenv("VAE_SHOTS"); dir != "" { // keep them to look at
		_ = os.MkdirAll(dir, 0o755)
		for _, p := range []string{first, last} {
			if b, err := os.ReadFile(p); err == nil {
				_ = os.WriteFile(filepath.Join(dir, "desktop-"+filepath.Base(p)), b, 0o644)
			}
		}
	}
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

func lumaVariance(img *image.RGBA) float64 {
	var s, s2, n float64
	for i := 0; i < len(img.Pix); i += 4 {
		l := 0.299*float64(img.Pix[i]) + 0.587*float64(img.Pix[i+1]) + 0.114*float64(img.Pix[i+2])
		s += l
		s2 += l * l
		n++
	}
	m := s / n
	return s2/n - m*m
}

func changedFraction(a, b *image.RGBA) float64 {
	diff := 0
	for i := 0; i < len(a.Pix); i += 4 {
		d := 0
		for c := range 3 {
			d += abs(int(a.Pix[i+c]) - int(b.Pix[i+c]))
		}
		if d > 24 {
			diff++
		}
	}
	return float64(diff) / float64(len(a.Pix)/4)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
