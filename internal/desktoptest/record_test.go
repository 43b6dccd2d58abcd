package desktoptest

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The desktop app records the latent view while it trains (-record, as
// the key g does) and, when the run ends, writes the GIF into -save-dir:
// a GIF of the view's frames, which change as the model learns.
func TestDesktopRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the desktop app")
	}
	prefix := displayPrefix(t)
	dir := t.TempDir()
	bin := buildApp(t, dir)
	saved := filepath.Join(dir, "saved")
	if err := os.Mkdir(saved, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "last.png")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	args := append(append([]string(nil), prefix...), bin, "-record", "latent", "-screenshot", shot, "-after", "240",
		"-save-dir", saved, "-settings", "data=8gaussians", "-autosave", "off")
	if out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	files, err := filepath.Glob(filepath.Join(saved, "vae-playground-latent-step*.gif"))
	if err != nil || len(files) != 1 {
		entries, _ := os.ReadDir(saved)
		t.Fatalf("want one GIF in -save-dir, found %v (%v)", entries, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	a, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// 240 frames at up to 60 a second: at least 4 s, 10 frames a second.
	if len(a.Image) < 10 || a.Config.Width < 150 || a.Config.Height != a.Config.Width {
		t.Fatalf("%d frames of %dx%d", len(a.Image), a.Config.Width, a.Config.Height)
	}
	canvas := image.NewRGBA(image.Rect(0, 0, a.Config.Width, a.Config.Height))
	draw.Draw(canvas, a.Image[0].Bounds(), a.Image[0], a.Image[0].Bounds().Min, draw.Src)
	first := image.NewRGBA(canvas.Bounds())
	copy(first.Pix, canvas.Pix)
	for _, p := range a.Image[1:] {
		draw.Draw(canvas, p.Bounds(), p, p.Bounds().Min, draw.Over)
	}
	if v := lumaVariance(first); v < 100 {
		t.Errorf("the first frame is blank (luma variance %.1f)", v)
	}
	if f := changedFraction(first, canvas); f < 0.01 {
		t.Errorf("only %.2f%% of the view changed over the recording", 100*f)
	}
	if dir := os.Getenv("VAE_SHOTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		_ = os.WriteFile(filepath.Join(dir, "desktop-"+filepath.Base(files[0])), data, 0o644)
	}
}
