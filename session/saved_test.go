package session

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// saveNow asks s for its saved session and waits for it (a worker answers
// in a later frame).
func saveNow(t *testing.T, s *Session) []byte {
	t.Helper()
	s.RequestSave()
	var b []byte
	tickUntil(t, s, "saved session", func() bool {
		var ok bool
		b, ok = s.TakeSave(time.Unix(1_700_000_000, 0))
		return ok
	})
	return b
}

// saveAndResume saves s and resumes the record in a new inline session.
func saveAndResume(t *testing.T, s *Session) *Session {
	t.Helper()
	sv, err := ReadSaved(saveNow(t, s))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resume(sv, Inline, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// A session resumed from its saved record takes the very steps the
// uninterrupted one takes: the same parameters and losses, bit for bit,
// whichever runner trained it — also a worker, whose checkpoint carries the
// optimiser state.
func TestResumeContinuesTheRunExactly(t *testing.T) {
	const hash = "data=8gaussians&prior=mixture&comps=4&seed=3&batch=64&lr=0.004"
	for _, mode := range []Mode{Inline, Background, Worker} {
		a := newSession(t, hash, mode)
		if mode == Worker {
			if err := a.AttachWorker(startWorker(t)); err != nil {
				t.Fatal(err)
			}
		}
		a.StepN(120)
		tickUntil(t, a, "120 steps", func() bool { return a.Steps() == 120 })
		b := saveNow(t, a)

		sv, err := ReadSaved(b)
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		if sv.Steps != 120 || sv.Dataset != "8gaussians" || sv.Prior != "mixture" {
			t.Fatalf("mode %d: summary %+v", mode, sv)
		}
		r, err := Resume(sv, Inline, nil)
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		t.Cleanup(r.Close)
		if r.Steps() != 120 || r.History.Len() != a.History.Len() || !slices.Equal(r.History.Loss, a.History.Loss) {
			t.Fatalf("mode %d: resumed at step %d with %d history points", mode, r.Steps(), r.History.Len())
		}
		if r.Hash() != a.Hash() {
			t.Fatalf("mode %d: settings %q, want %q", mode, r.Hash(), a.Hash())
		}
		a.StepN(60)
		tickUntil(t, a, "180 steps", func() bool { return a.Steps() == 180 && slices.Equal(a.Snapshot(), a.Snapshot()) })
		r.StepN(60)
		if r.Steps() != 180 {
			t.Fatalf("mode %d: resumed run at step %d", mode, r.Steps())
		}
		if mode == Worker {
			// The worker's last snapshot comes after its results.
			tickUntil(t, a, "snapshot", func() bool { return slices.Equal(a.Snapshot(), r.Snapshot()) })
		}
		if !slices.Equal(a.Snapshot(), r.Snapshot()) {
			t.Fatalf("mode %d: the resumed run's parameters differ from the uninterrupted run's", mode)
		}
		if a.History.Last.ELBO != r.History.Last.ELBO {
			t.Fatalf("mode %d: ELBO %v resumed, %v uninterrupted", mode, r.History.Last.ELBO, a.History.Last.ELBO)
		}
	}
}

// Drawn and imported points come back whole, also more than a link holds.
func TestResumeKeepsThePoints(t *testing.T) {
	s := newSession(t, "", Inline)
	for i := range 2 * maxLinkPoints {
		if err := s.AddPoint(float64(i%40)/10-2, float64(i/40)/10-1, i%3); err != nil {
			t.Fatal(err)
		}
	}
	s.StepN(5)
	r := saveAndResume(t, s)
	if r.Drawn.Len() != s.Drawn.Len() || r.Data.N != s.Data.N || r.Values.Choice("data") != DrawnSet {
		t.Fatalf("resumed with %d drawn points (%d training), want %d", r.Drawn.Len(), r.Data.N, s.Drawn.Len())
	}

	if err := s.LoadFile("pts.csv", strings.NewReader("1,2,0\n3,1,1\n-1,0,0\n2,2,1\n")); err != nil {
		t.Fatal(err)
	}
	s.StepN(3)
	r2 := saveAndResume(t, s)
	if r2.Values.Choice("data") != ImportedSet || r2.Data.N != 4 || !slices.Equal(r2.Data.X, s.Data.X) || !slices.Equal(r2.Data.Labels, s.Data.Labels) {
		t.Fatalf("imported points came back as %+v", r2.Data)
	}
	if !slices.Equal(r2.Snapshot(), s.Snapshot()) {
		t.Fatal("imported run resumed with other parameters")
	}
}

// A damaged, cut or foreign record is refused with ErrSaved, never a
// panic: every prefix, flipped bytes, another version.
func TestDamagedSavedSessionsRefused(t *testing.T) {
	s := newSession(t, "prior=mixture", Inline)
	s.StepN(10)
	b := saveNow(t, s)
	for n := 0; n < len(b); n += 1 + n/16 {
		if _, err := ReadSaved(b[:n]); !errors.Is(err, ErrSaved) {
			t.Fatalf("prefix of %d bytes: %v", n, err)
		}
	}
	metaEnd := len(savedMagic) + 8 + int(binary.LittleEndian.Uint32(b[len(savedMagic)+4:]))
	for _, at := range []int{len(savedMagic), len(savedMagic) + 20, metaEnd / 2, metaEnd - 1, metaEnd + 2} {
		c := slices.Clone(b)
		c[at] ^= 0x40
		if _, err := ReadSaved(c); !errors.Is(err, ErrSaved) {
			t.Errorf("byte %d flipped: %v", at, err)
		}
	}
	// A flipped byte in the checkpoint passes the record's CRC and is caught
	// by the checkpoint's own on resume.
	c := slices.Clone(b)
	c[len(c)-100] ^= 0x40
	sv, err := ReadSaved(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(sv, Inline, nil); !errors.Is(err, ErrSaved) {
		t.Errorf("damaged checkpoint resumed: %v", err)
	}
	if _, err := ReadSaved(append(slices.Clone(b), 0)); !errors.Is(err, ErrSaved) {
		t.Error("a trailing byte was accepted")
	}
}

func FuzzReadSaved(f *testing.F) {
	s, err := New("", Inline)
	if err != nil {
		f.Fatal(err)
	}
	s.StepN(3)
	s.RequestSave()
	b, _ := s.TakeSave(time.Unix(0, 0))
	s.Close()
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ReadSaved(b); err != nil && !errors.Is(err, ErrSaved) {
			t.Fatalf("error without ErrSaved: %v", err)
		}
	})
}

// Autosave saves on a change while paused, every Every while playing, not
// again for the same state, and at once when forced.
func TestAutosaveTiming(t *testing.T) {
	s := newSession(t, "", Inline)
	a := &Autosave{Every: 5 * time.Second}
	t0 := time.Unix(1000, 0)
	if _, ok := a.Tick(s, s.Hash(), t0); ok {
		t.Fatal("an untouched session was saved over what an earlier visit left")
	}
	s.StepN(1)
	if _, ok := a.Tick(s, s.Hash(), t0); !ok {
		t.Fatal("the first step was not saved")
	}
	if _, ok := a.Tick(s, s.Hash(), t0.Add(time.Second)); ok {
		t.Fatal("saved again with nothing changed")
	}
	s.StepN(1)
	if _, ok := a.Tick(s, s.Hash(), t0.Add(2*time.Second)); !ok {
		t.Fatal("a step while paused was not saved at once")
	}
	s.Play()
	s.StepN(1)
	s.Play()
	if _, ok := a.Tick(s, s.Hash(), t0.Add(3*time.Second)); ok {
		t.Fatal("saved while playing before Every passed")
	}
	b, ok := a.Tick(s, s.Hash(), t0.Add(8*time.Second))
	if !ok {
		t.Fatal("not saved after Every while playing")
	}
	if sv, err := ReadSaved(b); err != nil || sv.Steps != 3 {
		t.Fatalf("saved %v, %v; want step 3", sv, err)
	}
	s.StepN(1)
	s.Play()
	a.Force()
	if _, ok := a.Tick(s, s.Hash(), t0.Add(9*time.Second)); !ok {
		t.Fatal("a forced save waited")
	}
}

// A save whose answer never comes (the worker asked was given up) is asked
// for again.
func TestAutosaveAsksAgain(t *testing.T) {
	s := newSession(t, "", Inline)
	s.StepN(1)
	a := &Autosave{}
	t0 := time.Unix(1000, 0)
	a.Tick(s, s.Hash(), t0)
	a.pending = true // as if the answer were lost
	if _, ok := a.Tick(s, s.Hash(), t0.Add(time.Second)); ok || !a.Pending() {
		t.Fatal("a lost answer was not waited for")
	}
	if _, ok := a.Tick(s, s.Hash(), t0.Add(autosaveRetry+2*time.Second)); ok {
		t.Fatal("the retry answered in the same tick it asked")
	}
	if _, ok := a.Tick(s, s.Hash(), t0.Add(autosaveRetry+3*time.Second)); !ok {
		t.Fatal("the save asked for again never came")
	}
}
