package record

import (
	"bytes"
	"image"
	"time"
)

// Live is a GIF recorded while someone watches: frames taken from the
// screen at the recording's rate as the game draws, encoded by a goroutine
// or, where the program has one thread (the browser), in slices of each
// frame, and handed back whole once stopped and finished.
type Live struct {
	gif      *GIF
	buf      bytes.Buffer
	start    time.Time
	done     chan error // the encoder goroutine's end (nil: sliced)
	stopping bool
	// Ended says why the recording stopped by itself ("": it did not).
	Ended string
}

// StartLive begins a recording of frames of the given size at now; sliced
// encodes only inside Tick (for GOOS=js), otherwise a goroutine encodes.
func StartLive(size image.Point, opt *GIFOptions, now time.Time, sliced bool) (*Live, error) {
	l := &Live{start: now}
	g, err := NewGIF(&l.buf, size, opt)
	if err != nil {
		return nil, err
	}
	l.gif = g
	if !sliced {
		l.done = make(chan error, 1)
		go func() { l.done <- g.Run() }()
	}
	return l, nil
}

// Stop ends the recording at now; Tick then finishes the file.
func (l *Live) Stop(now time.Time) {
	l.gif.StopAt(now.Sub(l.start))
	l.stopping = true
}

// Recording reports whether frames are still being taken.
func (l *Live) Recording() bool { return !l.stopping }

// Stats are the recording's counts.
func (l *Live) Stats() GIFStats { return l.gif.Stats() }

// Tick runs once a drawn frame: it copies rectangle r of img when a frame
// is due (a recording that is full, or whose rectangle no longer fits the
// image, stops), encodes for up to slice when sliced, and once stopped and
// finished returns the GIF's bytes with done set.
func (l *Live) Tick(now time.Time, img *image.RGBA, r image.Rectangle, slice time.Duration) (gif []byte, done bool, err error) {
	if !l.stopping {
		if at := now.Sub(l.start); l.gif.Stats().Full {
			l.Stop(now)
			l.Ended = "it reached its length"
		} else if l.gif.Due(at) {
			if _, err := l.gif.Capture(at, img, r); err != nil {
				l.Stop(now) // the window changed size: the recording ends there
				l.Ended = err.Error()
			}
		}
	}
	if l.done == nil {
		for end := time.Now().Add(slice); !l.gif.Idle(); {
			if done, err = l.gif.Work(1 << 14); done || err != nil || !time.Now().Before(end) {
				break
			}
		}
	} else {
		select {
		case err = <-l.done:
			done = err == nil
		default:
		}
	}
	if done {
		return l.buf.Bytes(), true, nil
	}
	return nil, false, err
}
