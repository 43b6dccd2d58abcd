package main

import (
	"context"
	"encoding/csv"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// played composites the GIF's frames as a viewer shows them.
func played(t *testing.T, a *gif.GIF) []*image.RGBA {
	t.Helper()
	canvas := image.NewRGBA(image.Rect(0, 0, a.Config.Width, a.Config.Height))
	var out []*image.RGBA
	for _, p := range a.Image {
		for y := p.Rect.Min.Y; y < p.Rect.Max.Y; y++ {
			for x := p.Rect.Min.X; x < p.Rect.Max.X; x++ {
				if c := p.Palette[p.ColorIndexAt(x, y)].(color.RGBA); c.A != 0 {
					canvas.SetRGBA(x, y, c)
				}
			}
		}
		f := image.NewRGBA(canvas.Rect)
		copy(f.Pix, canvas.Pix)
		out = append(out, f)
	}
	return out
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestTrainRecordsTheLatentSpaceAndItsNumbers(t *testing.T) {
	dir := t.TempDir()
	gifPath, csvPath, codesPath := filepath.Join(dir, "latent.gif"), filepath.Join(dir, "history.csv"), filepath.Join(dir, "codes.csv")
	out, err := train(t, context.Background(), append(small, "-steps", "45", "-out", dir, "-gif", gifPath, "-gif-every", "10",
		"-csv", csvPath, "-codes-csv", codesPath)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, err := os.Open(gifPath)
	if err != nil {
		t.Fatal(err)
	}
	a, err := gif.DecodeAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Steps 0, 10, 20, 30, 40 and the last, 45.
	if len(a.Image) != 6 {
		t.Fatalf("%d frames, want 6", len(a.Image))
	}
	if !strings.Contains(out, "latent.gif: 6 frames") {
		t.Errorf("the run does not report its GIF:\n%s", out)
	}
	frames := played(t, a)
	b := frames[0].Bounds()
	if b.Dx() != gifSide+axesLeft+colorbarWidth+24 || b.Dy() != gifSide+axesBelow+8+26+24 {
		t.Errorf("frames of %v", b.Size())
	}
	// Training moves the codes: each frame differs from the one before in
	// the plot, not only in the step number of the title.
	plot := image.Rect(12+axesLeft, 40, 12+axesLeft+gifSide, 40+gifSide)
	for i := 1; i < len(frames); i++ {
		changed := 0
		for y := plot.Min.Y; y < plot.Max.Y; y++ {
			for x := plot.Min.X; x < plot.Max.X; x++ {
				if frames[i].RGBAAt(x, y) != frames[i-1].RGBAAt(x, y) {
					changed++
				}
			}
		}
		if changed < 50 {
			t.Errorf("frame %d: %d plot pixels changed since frame %d", i, changed, i-1)
		}
	}

	hist := readCSVFile(t, csvPath)
	if want := []string{"step", "epoch", "loss", "elbo", "recon", "kl", "beta", "learning_rate", "skipped", "kl_z1", "kl_z2"}; !slices.Equal(hist[0], want) {
		t.Errorf("history header %v, want %v", hist[0], want)
	}
	if len(hist) != 46 {
		t.Fatalf("history has %d rows, want 45", len(hist)-1)
	}
	for i, rec := range hist[1:] {
		if rec[0] != strconv.Itoa(i+1) {
			t.Fatalf("history row %d is step %s", i, rec[0])
		}
		elbo, err1 := strconv.ParseFloat(rec[3], 64)
		lr, err2 := strconv.ParseFloat(rec[7], 64)
		if err1 != nil || err2 != nil || elbo >= 0 || lr != 1e-3 {
			t.Fatalf("history row %d: %v", i, rec)
		}
	}

	codes := readCSVFile(t, codesPath)
	if want := []string{"index", "x", "y", "label", "label_name", "mu_z1", "mu_z2", "sigma_z1", "sigma_z2"}; !slices.Equal(codes[0], want) {
		t.Errorf("codes header %v, want %v", codes[0], want)
	}
	if len(codes) != 201 {
		t.Errorf("codes has %d rows, want the 200 points", len(codes)-1)
	}
}

func TestGIFFrameCapAndResumedRun(t *testing.T) {
	dir := t.TempDir()
	gifPath := filepath.Join(dir, "a.gif")
	if out, err := train(t, context.Background(), append(small, "-steps", "40", "-out", dir, "-gif", gifPath, "-gif-every", "5", "-gif-frames", "3", "-save-trainer")...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, _ := os.Open(gifPath)
	a, err := gif.DecodeAll(f)
	f.Close()
	if err != nil || len(a.Image) != 3 {
		t.Fatalf("a cap of 3 frames: %d frames, %v", len(a.Image), err)
	}
	// A resumed run records from where it resumes.
	if out, err := train(t, context.Background(), "-resume", filepath.Join(dir, "trainer.vae"), "-steps", "20", "-k", "2", "-log-every", "0",
		"-out", dir, "-gif", gifPath, "-gif-every", "10"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, _ = os.Open(gifPath)
	a, err = gif.DecodeAll(f)
	f.Close()
	if err != nil || len(a.Image) != 3 { // steps 40, 50, 60
		t.Fatalf("resumed: %d frames, %v; want 3", len(a.Image), err)
	}
}

func TestRecordOptionsAreCheckedBeforeTraining(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-gif", filepath.Join(dir, "x.gif"), "-latent", "3"}, "2-D latent"},
		{[]string{"-gif", filepath.Join(dir, "x.gif"), "-gif-frames", "1"}, "-gif-frames"},
		{[]string{"-gif", filepath.Join(dir, "x.gif"), "-gif-every", "-1"}, "-gif-every"},
		{[]string{"-gif", filepath.Join(dir, "x.gif"), "-gif-fps", "0"}, "-gif-fps"},
		{[]string{"-gif", filepath.Join(dir, "no", "such", "x.gif")}, "-gif"},
	} {
		out, err := train(t, context.Background(), append(append(slices.Clone(small), "-steps", "5", "-out", dir), tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error naming %s", tc.args, err, tc.want)
		}
		if strings.Contains(out, "on moons") {
			t.Errorf("%v: training started:\n%s", tc.args, out)
		}
	}
}
