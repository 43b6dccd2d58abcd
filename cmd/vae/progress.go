package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Redraw intervals: a terminal bar redraws often enough to look live; plain
// lines (a file, a pipe, CI logs) come rarely, since every one stays.
const (
	barEvery   = 100 * time.Millisecond
	plainEvery = 10 * time.Second
	barWidth   = 20 // with the counts and the loss, a line fits 80 columns
)

// progress reports how far a long loop (training, evaluation) has come. On a
// terminal it redraws one line in place — a bar, the count, the elapsed time
// and an estimate of the time left; elsewhere carriage returns would pile up,
// so it writes a plain line now and then instead.
type progress struct {
	w     io.Writer
	tty   bool
	label string
	unit  string
	total int
	now   func() time.Time // a test sets a fake clock

	start, last time.Time
	shown       bool // a bar is on the terminal's current line
}

func newProgress(w io.Writer, label, unit string, total int) *progress {
	p := &progress{w: w, tty: isTerminal(w), label: label, unit: unit, total: total, now: time.Now}
	p.start = p.now()
	p.last = p.start
	return p
}

// isTerminal says whether w is a character device (a terminal): enough to
// choose between a redrawn bar and plain lines without a dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update reports done of total units, with an optional detail (the loss).
func (p *progress) update(done int, detail string) {
	now := p.now()
	switch {
	case p.tty && (now.Sub(p.last) >= barEvery || done == p.total):
		p.last = now
		fmt.Fprintf(p.w, "\r\033[K%s", p.bar(done, detail))
		p.shown = true
	case !p.tty && now.Sub(p.last) >= plainEvery && done < p.total:
		p.last = now
		fmt.Fprintln(p.w, p.line(done, detail))
	}
}

// printf writes a line of its own above the bar (which the next update
// redraws) and counts as a plain progress line.
func (p *progress) printf(format string, args ...any) {
	p.clear()
	fmt.Fprintf(p.w, format, args...)
	p.last = p.now()
}

// finish clears the bar so the next output starts on a clean line.
func (p *progress) finish() { p.clear() }

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

func (p *progress) fraction(done int) float64 {
	if p.total <= 0 {
		return 1
	}
	return min(1, float64(done)/float64(p.total))
}

func (p *progress) bar(done int, detail string) string {
	filled := int(p.fraction(done) * barWidth)
	s := fmt.Sprintf("%s [%s%s] %s", p.label, strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), p.counts(done))
	if detail != "" {
		s += "  " + detail
	}
	return s
}

func (p *progress) line(done int, detail string) string {
	s := fmt.Sprintf("%s: %s", p.label, p.counts(done))
	if detail != "" {
		s += "  " + detail
	}
	return s
}

func (p *progress) counts(done int) string {
	return fmt.Sprintf("%3.0f%% %d/%d %s, %s elapsed, %s", 100*p.fraction(done), done, p.total, p.unit,
		formatDuration(p.now().Sub(p.start)), p.eta(done))
}

// eta estimates the time left from the mean rate so far.
func (p *progress) eta(done int) string {
	if done <= 0 {
		return "ETA unknown"
	}
	if done >= p.total {
		return "done"
	}
	elapsed := p.now().Sub(p.start)
	left := time.Duration(float64(elapsed) * float64(p.total-done) / float64(done))
	return "ETA " + formatDuration(left)
}

// formatDuration writes d as 1h02m, 3m05s or 12s.
func formatDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s >= 3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s/60%60)
	case s >= 60:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}
