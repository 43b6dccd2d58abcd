package record

import (
	"bytes"
	"image"
	"image/gif"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
)

// A live recording of 3 s of a changing screen at 10 frames/s, drawn at 60
// frames/s: sliced (as in the browser) and with a goroutine, it has 30
// frames of the screen's size, and both write the same file.
func TestLiveRecordsWhileTheGameDraws(t *testing.T) {
	th := render.DarkTheme()
	size := image.Pt(200, 150)
	var files [][]byte
	for _, sliced := range []bool{true, false} {
		start := time.Unix(1000, 0)
		l, err := StartLive(size, &GIFOptions{FPS: 10, MaxPending: 200}, start, sliced)
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(image.Rect(0, 0, 200, 150))
		var out []byte
		for i := 0; ; i++ {
			now := start.Add(time.Duration(i) * time.Second / 60)
			if i == 180 {
				l.Stop(now)
			}
			if l.Recording() {
				heatmapFrame(img, float64(i)/20, th)
			}
			data, done, err := l.Tick(now, img, img.Bounds(), 2*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if done {
				out = data
				break
			}
			if !sliced && !l.Recording() {
				time.Sleep(time.Millisecond) // the goroutine finishes
			}
			if i > 100000 {
				t.Fatal("never finished")
			}
		}
		a, err := gif.DecodeAll(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Image) != 30 || a.Config.Width != 200 || a.Config.Height != 150 {
			t.Fatalf("sliced %v: %d frames of %dx%d, want 30 of 200x150", sliced, len(a.Image), a.Config.Width, a.Config.Height)
		}
		if s := l.Stats(); s.Dropped != 0 || s.Encoded != 30 {
			t.Errorf("sliced %v: %+v", sliced, s)
		}
		files = append(files, out)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("sliced and goroutine recordings differ")
	}
}

// A window resized while recording ends the recording with what it has.
func TestLiveStopsWhenTheScreenChangesSize(t *testing.T) {
	start := time.Unix(0, 0)
	l, err := StartLive(image.Pt(40, 30), nil, start, true)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	l.Tick(start, img, img.Bounds(), time.Second)
	small := image.NewRGBA(image.Rect(0, 0, 30, 30))
	for i := 1; ; i++ {
		data, done, err := l.Tick(start.Add(time.Duration(i)*time.Second), small, small.Bounds(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			if a, err := gif.DecodeAll(bytes.NewReader(data)); err != nil || len(a.Image) != 1 {
				t.Fatalf("%v, %v", a, err)
			}
			return
		}
		if i > 10 {
			t.Fatal("a resized screen did not end the recording")
		}
	}
}
