package playground

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// From a fresh screen, Tab walks the top bar, then the column; it reaches
// the dataset dropdown, an arrow changes the dataset, and Space is the
// widget's, not play.
func TestTabReachesTheDatasetAndArrowsChangeIt(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	now := time.Unix(0, 0)
	frame := func(keys ...ui.Key) {
		now = now.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: 640, Y: 790, Keys: keys}, nil, now)
	}
	frame()
	frame()
	var path []string
	for range 40 {
		frame(ui.KeyTab)
		w, ok := sc.Focused()
		if !ok {
			t.Fatalf("Tab left no focus after %v", path)
		}
		path = append(path, w.ID)
		if w.ID == "data" {
			break
		}
	}
	if path[0] != "reset" && path[0] != sc.topCtx.Widgets()[0].ID {
		t.Fatalf("the first Tab focused %q, want the top bar's first button", path[0])
	}
	if path[len(path)-1] != "data" {
		t.Fatalf("Tab never reached the dataset dropdown: %v", path)
	}
	// The top bar came before the column.
	topN := len(sc.topCtx.Widgets())
	if len(path) <= topN {
		t.Fatalf("reached the column after %d of the top bar's %d widgets: %v", len(path), topN, path)
	}
	was := s.Values.Choice("data")
	frame(ui.KeyDown)
	frame()
	if got := s.Values.Choice("data"); got == was {
		t.Fatalf("an arrow on the dataset dropdown left it at %q", got)
	}
	// Shift-Tab goes back towards the top bar.
	now = now.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: 640, Y: 790, Keys: []ui.Key{ui.KeyTab}, Shift: true}, nil, now)
	if w, _ := sc.Focused(); w.ID != path[len(path)-2] {
		t.Fatalf("Shift-Tab from the dataset focused %q, want %q", w.ID, path[len(path)-2])
	}
	// Space with a focused widget does not toggle training.
	playing := s.Playing
	now = now.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: 640, Y: 790, Keys: []ui.Key{ui.KeySpace}}, []string{KeySpace}, now)
	if s.Playing != playing {
		t.Fatal("Space toggled training while a widget had the focus")
	}
}

// Tab past the column's last widget comes back to the top bar, and a
// focused widget below the fold scrolls into view.
func TestTabWrapsAndScrollsIntoView(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 600, 1)
	now := time.Unix(0, 0)
	frame := func(in ui.Input) {
		now = now.Add(16 * time.Millisecond)
		sc.Update(in, nil, now)
	}
	frame(ui.Input{})
	frame(ui.Input{})
	// Shift-Tab from nothing: the column's last widget, scrolled into view.
	frame(ui.Input{Keys: []ui.Key{ui.KeyTab}, Shift: true})
	frame(ui.Input{})
	w, ok := sc.Focused()
	if !ok || !sc.ctx.FocusVisible() {
		t.Fatalf("Shift-Tab from nothing: focus %+v %v", w, ok)
	}
	if off, _ := sc.Scroll(); off == 0 {
		t.Fatalf("the column's last widget %q at %v was not scrolled into view (panel %v)", w.ID, w.Rect, sc.L.Controls)
	}
	if w2, _ := sc.ctx.Focused(); !w2.Rect.In(sc.L.Controls) {
		t.Fatalf("%q at %v, outside the column %v", w2.ID, w2.Rect, sc.L.Controls)
	}
	frame(ui.Input{Keys: []ui.Key{ui.KeyTab}})
	if w, _ := sc.Focused(); w.ID != sc.topCtx.Widgets()[0].ID {
		t.Fatalf("Tab past the column's end focused %q, want the top bar's first", w.ID)
	}
}

// With a lesson open, Tab walks the top bar, then the lesson's column (its
// close, back, step list, next and the slow-motion buttons), then the
// controls; Enter on Next opens the next step; Shift-Tab from the
// controls' first widget comes back to the lesson's last. The live
// region's text names the step, its checks and the focused button.
func TestTabWalksTheLessonColumn(t *testing.T) {
	s, sc := newScreen(t, "lesson=priors&step=14")
	sc.Resize(1280, 440, 1) // the slow-motion buttons below the column's fold (and not yet a phone's layout)
	now := time.Unix(0, 0)
	frame := func(shift bool, keys ...ui.Key) {
		now = now.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: 640, Y: 790, Keys: keys, Shift: shift}, nil, now)
	}
	frame(false)
	frame(false)
	var path []string
	for range 60 {
		frame(false, ui.KeyTab)
		w, ok := sc.Focused()
		if !ok {
			t.Fatalf("Tab left no focus after %v", path)
		}
		path = append(path, w.ID)
		if _, col := sc.ctx.Focused(); col {
			break
		}
	}
	index := func(id string) int { return slices.Index(path, id) }
	top := len(sc.topCtx.Widgets())
	order := []string{"lesson-close", "lesson-prev", "lesson-steps", "slow-next", "slow-other"}
	for i, id := range order {
		if j := index(id); j < top || i > 0 && j != index(order[i-1])+1 {
			t.Fatalf("Tab's path %v: %q not after the top bar's %d widgets, right after %q", path, id, top, order[max(i-1, 0)])
		}
	}
	if index("slow-other") > len(path)-2 {
		t.Fatalf("the controls came before the lesson's last button: %v", path)
	}
	// Shift-Tab from the controls' first widget: the lesson's last.
	frame(true, ui.KeyTab)
	if w, _ := sc.Focused(); w.ID != "slow-other" {
		t.Fatalf("Shift-Tab from the controls focused %q, want slow-other", w.ID)
	}
	frame(false)
	frame(false)
	if w, _ := sc.Focused(); !w.Rect.In(sc.lesson.body) {
		t.Errorf("the focused %s at %v is not scrolled into the lesson's text %v", w.ID, w.Rect, sc.lesson.body)
	}
	// The slow-motion button works from the keyboard, and the live text
	// follows it.
	_, before := sc.Describe()
	frame(true, ui.KeyTab) // slow-next
	frame(false, ui.KeyEnter)
	frame(false)
	key, text := sc.Describe()
	if !strings.Contains(key, "Focus: ") || !strings.Contains(text, "Step 14 of 14") {
		t.Errorf("live text %q names neither the focus nor the step", text)
	}
	if text == before || sc.Lesson().Slow().St == nil {
		t.Errorf("Enter on the slow-motion button changed nothing: %q", text)
	}
	// Step 14 is the last (no Next): Shift-Tab to Back, Enter opens 13.
	for range 2 {
		frame(true, ui.KeyTab)
	}
	if w, _ := sc.Focused(); w.ID != "lesson-prev" {
		t.Fatalf("focused %q, want lesson-prev", w.ID)
	}
	frame(false, ui.KeyEnter)
	frame(false)
	if got := s.Values.Int("step"); got != 13 {
		t.Fatalf("Enter on Back: step %d, want 13", got)
	}
}

// The live region's text speaks Vietnamese: the state, the lesson's step
// and checks, the focused control and its role.
func TestDescribeSpeaksVietnamese(t *testing.T) {
	_, sc := newScreen(t, "lesson=priors&step=4&lang=vi")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	var text string
	miss := missed(t, func() {
		sc.lesson.ctx.SetFocus("lesson-next")
		runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
		_, text = sc.Describe()
	})
	report(t, "the live region", miss)
	for _, want := range []string{"Bước 4 / 14", "Tiêu điểm: ", "nút", "ELBO"} {
		if !strings.Contains(text, want) {
			t.Errorf("live text %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "..") {
		t.Errorf("live text %q has a doubled full stop", text)
	}
	if !i18n.Has(i18n.Vietnamese, CanvasName) || !i18n.Has(i18n.Vietnamese, KeysHelp) {
		t.Error("the canvas's name or key help has no Vietnamese")
	}
}
