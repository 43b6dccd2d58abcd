package record

import (
	"bufio"
	"bytes"
	"compress/lzw"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"sync"
	"time"
)

// GIFOptions set a recording up; the zero value of each field means its
// default.
type GIFOptions struct {
	// FPS is the capture rate in frames per second (default 10): Due says
	// when the next frame is wanted, and playback follows the capture times.
	FPS float64
	// MaxFrames ends the recording (default 300: 30 s at 10/s).
	MaxFrames int
	// Downscale k > 1 records a k×k box average of the pixels, for a smaller
	// file of a large screen and less encoding; Work averages, so Capture
	// still only copies.
	Downscale int
	// Reserved colours get exact palette entries of their own (theme and
	// class colours): a flat panel or a class dot keeps its colour.
	Reserved []color.RGBA
	// Palette, if set, is the recording's whole palette (after Reserved; at
	// most 255 colours together) instead of one built from the first frame
	// and grown by colours that appear later.
	Palette []color.RGBA
	// MaxPending bounds the frames captured but not yet quantised (default
	// 3); a frame offered beyond it is dropped (and counted), so a slow
	// encoder costs frames, never memory or the drawing thread's time.
	MaxPending int
}

// GIFStats count a recording's progress.
type GIFStats struct {
	Captured int   // frames accepted by Capture
	Dropped  int   // frames offered while MaxPending were waiting
	Encoded  int   // frames written to the output
	Bytes    int64 // bytes written to the output
	Full     bool  // MaxFrames were captured
}

// GIF records frames of a fixed size and writes them as an animated GIF. Use
// NewGIF, then Capture on the drawing thread and Work (or Run) elsewhere or
// in slices; Stop ends the recording, after which Work finishes the file.
// Capture, Due, Stop and Stats may be called from any goroutine; Work and
// Run from one goroutine at a time.
type GIF struct {
	opt      GIFOptions
	src      image.Point // capture size
	w, h     int         // frame size (after downscale)
	interval time.Duration

	mu       sync.Mutex
	wake     *sync.Cond // Capture and Stop signal Run
	pending  []*frame
	free     []*frame
	captured int
	dropped  int
	stopped  bool
	started  bool
	nextDue  time.Duration
	last     time.Duration // the last frame's capture time
	end      time.Duration // when StopAt stopped it

	// The encoder's state, touched only by Work.
	work struct {
		sync.Mutex
		phase    phase
		row      int
		cur      time.Duration // capture time of the frame being encoded
		frames   int           // frames quantised so far
		last     *frame        // the last frame quantised, its pixels kept
		avg      []uint8       // downscaled: this frame's averaged pixels
		prevAvg  []uint8       // and the last frame's
		reserved *reservedSet
		hist     *histogram
		mapper   *mapper
		written  int // palette entries in the global table
		idx      []uint8
		prev     []uint8
		rect     image.Rectangle
		rowBuf   []uint8
		blocks   blockWriter
		lzw      *lzw.Writer
		out      *countWriter
		buf      *bufio.Writer
		encoded  int
		err      error
	}
}

type frame struct {
	pix []uint8 // RGBA, stride 4·w
	at  time.Duration
}

type phase int

const (
	phaseNext     phase = iota // take the next pending frame
	phaseSample                // first frame: sample its colours
	phaseQuantise              // map the frame's pixels to palette indices
	phaseDelay                 // wait for the next frame's time (or Stop)
	phaseEncode                // LZW the changed rectangle
	phaseDone
)

// sampleTarget is about how many pixels of the first frame the palette is
// built from.
const sampleTarget = 1 << 16

// NewGIF starts a recording of frames size large (the capture rectangle's
// size) written to w as it goes.
func NewGIF(w io.Writer, size image.Point, opt *GIFOptions) (*GIF, error) {
	var o GIFOptions
	if opt != nil {
		o = *opt
	}
	if o.FPS == 0 {
		o.FPS = 10
	}
	if o.MaxFrames == 0 {
		o.MaxFrames = 300
	}
	if o.Downscale == 0 {
		o.Downscale = 1
	}
	if o.MaxPending == 0 {
		o.MaxPending = 3
	}
	switch {
	case !(o.FPS > 0 && o.FPS <= 50):
		return nil, fmt.Errorf("record: GIF rate %v frames/s outside (0, 50]", o.FPS)
	case o.MaxFrames < 1:
		return nil, fmt.Errorf("record: GIF frame cap %d below 1", o.MaxFrames)
	case o.Downscale < 1 || o.Downscale > 16:
		return nil, fmt.Errorf("record: GIF downscale %d outside [1, 16]", o.Downscale)
	case o.MaxPending < 1:
		return nil, fmt.Errorf("record: GIF pending frames %d below 1", o.MaxPending)
	case len(o.Palette) > 0 && len(o.Palette)+len(o.Reserved) > maxColors:
		return nil, fmt.Errorf("record: GIF palette of %d colours and %d reserved is more than %d", len(o.Palette), len(o.Reserved), maxColors)
	}
	fw, fh := size.X/o.Downscale, size.Y/o.Downscale
	if fw < 1 || fh < 1 || fw > 65535 || fh > 65535 {
		return nil, fmt.Errorf("record: GIF frame %dx%d (after downscale by %d) outside 1…65535", fw, fh, o.Downscale)
	}
	g := &GIF{opt: o, src: size, w: fw, h: fh, interval: time.Duration(float64(time.Second) / o.FPS)}
	g.wake = sync.NewCond(&g.mu)
	g.work.out = &countWriter{w: w}
	g.work.buf = bufio.NewWriterSize(g.work.out, 32<<10)
	g.work.blocks.w = g.work.buf
	return g, nil
}

// Size is the size of the frames written (after downscale).
func (g *GIF) Size() image.Point { return image.Pt(g.w, g.h) }

// Due reports whether a frame captured at time at (since the recording
// began, in the caller's clock) is wanted: the first one always, then one
// per 1/FPS.
func (g *GIF) Due(at time.Duration) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.stopped && g.captured < g.opt.MaxFrames && (!g.started || at >= g.nextDue)
}

// Capture copies the rectangle r of img as the frame taken at time at, if
// one is due (see Due). It reports whether the frame was taken: false when
// none was due, the recording is stopped or full, or MaxPending frames are
// waiting (a dropped frame). r must have the recording's capture size.
func (g *GIF) Capture(at time.Duration, img *image.RGBA, r image.Rectangle) (bool, error) {
	return g.capture(at, img, r, false)
}

// CaptureWait is Capture that waits for room rather than drop the frame,
// for a recorder whose encoder runs in another goroutine (Run) and whose
// caller prefers every frame to speed: the command line's recordings do
// not depend on how busy the machine is.
func (g *GIF) CaptureWait(at time.Duration, img *image.RGBA, r image.Rectangle) (bool, error) {
	return g.capture(at, img, r, true)
}

func (g *GIF) capture(at time.Duration, img *image.RGBA, r image.Rectangle, wait bool) (bool, error) {
	if r.Size() != g.src || !r.In(img.Bounds()) {
		return false, fmt.Errorf("record: capture %v of a %v image, want a %v rectangle inside it", r, img.Bounds(), g.src)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for wait && len(g.pending) >= g.opt.MaxPending && !g.stopped {
		g.wake.Wait()
	}
	if g.stopped || g.captured >= g.opt.MaxFrames || (g.started && at < g.nextDue) {
		return false, nil
	}
	if g.started && at < g.last {
		return false, fmt.Errorf("record: capture time %v before the last frame's", at)
	}
	if !g.started {
		g.started, g.nextDue = true, at
	}
	g.nextDue += g.interval
	if g.nextDue <= at {
		g.nextDue = at + g.interval // far behind: no burst to catch up
	}
	if len(g.pending) >= g.opt.MaxPending {
		g.dropped++
		return false, nil
	}
	var f *frame
	if n := len(g.free); n > 0 {
		f, g.free = g.free[n-1], g.free[:n-1]
	} else {
		f = &frame{pix: make([]uint8, 4*g.src.X*g.src.Y)}
	}
	f.at = at
	g.copyFrame(f.pix, img, r)
	g.pending = append(g.pending, f)
	g.captured++
	g.last = at
	g.wake.Broadcast()
	return true, nil
}

// copyFrame is all the drawing thread pays: a copy of the rows (a
// downscale is averaged later, by Work).
func (g *GIF) copyFrame(dst []uint8, img *image.RGBA, r image.Rectangle) {
	row := 4 * g.src.X
	for y := range g.src.Y {
		o := img.PixOffset(r.Min.X, r.Min.Y+y)
		copy(dst[row*y:row*(y+1)], img.Pix[o:o+row])
	}
}

// sourceRow is row y of frame f at the recording's size: a slice of the
// copy, or its k×k box average written into dst.
func (g *GIF) sourceRow(f *frame, y int, dst []uint8) []uint8 {
	k := g.opt.Downscale
	if k == 1 {
		return f.pix[4*g.w*y : 4*g.w*(y+1)]
	}
	n, stride := uint32(k*k), 4*g.src.X
	for x := range g.w {
		var s [3]uint32
		for dy := range k {
			o := stride*(y*k+dy) + 4*x*k
			for dx := range k {
				p := f.pix[o+4*dx : o+4*dx+3 : o+4*dx+3]
				s[0] += uint32(p[0])
				s[1] += uint32(p[1])
				s[2] += uint32(p[2])
			}
		}
		d := dst[4*x : 4*x+4 : 4*x+4]
		d[0], d[1], d[2], d[3] = uint8((s[0]+n/2)/n), uint8((s[1]+n/2)/n), uint8((s[2]+n/2)/n), 255
	}
	return dst
}

// Stop ends the recording: no frame is captured after it, and Work then
// writes what is pending and the GIF's end. The last frame shows for one
// interval.
func (g *GIF) Stop() { g.StopAt(0) }

// StopAt is Stop at time at of the recording's clock: the last frame shows
// until then (frames dropped at the end do not shorten the recording).
func (g *GIF) StopAt(at time.Duration) {
	g.mu.Lock()
	if !g.stopped {
		g.stopped, g.end = true, at
	}
	g.wake.Broadcast()
	g.mu.Unlock()
}

// Idle reports whether Work has nothing to do until the next Capture or
// Stop: a caller working in slices can stop early.
func (g *GIF) Idle() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending) == 0 && !g.stopped
}

// Stats reports the recording's progress.
func (g *GIF) Stats() GIFStats {
	g.mu.Lock()
	s := GIFStats{Captured: g.captured, Dropped: g.dropped, Full: g.captured >= g.opt.MaxFrames}
	g.mu.Unlock()
	g.work.Lock()
	s.Encoded, s.Bytes = g.work.encoded, g.work.out.n
	g.work.Unlock()
	return s
}

// Work does about budget pixels of encoding (at least one row) and reports
// whether the file is finished: stopped, every frame written and the
// output flushed. It returns early when it waits for a frame. Work is
// deterministic: the bytes written do not depend on the budgets used.
func (g *GIF) Work(budget int) (done bool, err error) {
	done, _, err = g.step(budget)
	return done, err
}

// Finish stops the recording and does all the work left.
func (g *GIF) Finish() error {
	g.Stop()
	for {
		done, err := g.Work(math.MaxInt)
		if done || err != nil {
			return err
		}
	}
}

// Run encodes in the calling goroutine until the recording is stopped and
// finished, sleeping while no frame waits: natively, `go g.Run()` is the
// recording's encoder.
func (g *GIF) Run() error {
	for {
		done, waiting, err := g.step(1 << 18)
		if done || err != nil {
			return err
		}
		if waiting {
			g.mu.Lock()
			for len(g.pending) == 0 && !g.stopped {
				g.wake.Wait()
			}
			g.mu.Unlock()
		}
	}
}

// step is Work, also saying whether it stopped for want of a frame.
func (g *GIF) step(budget int) (done, waiting bool, err error) {
	s := &g.work
	s.Lock()
	defer s.Unlock()
	if s.err != nil {
		return false, false, s.err
	}
	defer func() {
		if err == nil {
			err = s.buf.Flush()
		}
		if err != nil {
			s.err = err
		}
	}()
	budget = max(budget, 1)
	for budget > 0 {
		switch s.phase {
		case phaseDone:
			return true, false, nil
		case phaseNext:
			g.mu.Lock()
			n, stopped := len(g.pending), g.stopped
			g.mu.Unlock()
			switch {
			case n > 0 && s.frames == 0 && len(g.opt.Palette) == 0:
				s.reserved = newReservedSet(g.opt.Reserved)
				s.hist = newHistogram(s.reserved)
				s.phase, s.row = phaseSample, 0
			case n > 0:
				s.phase, s.row = phaseQuantise, 0
			case stopped:
				if s.frames == 0 {
					return false, false, errors.New("record: GIF stopped before any frame was captured")
				}
				s.buf.WriteByte(0x3b) // trailer
				s.phase = phaseDone
			default:
				return false, true, nil
			}
		case phaseSample:
			budget -= g.sampleRow()
		case phaseQuantise:
			budget -= g.quantiseRow()
		case phaseDelay:
			g.mu.Lock()
			var next time.Duration
			have, stopped := len(g.pending) > 0, g.stopped
			if have {
				next = g.pending[0].at
			}
			g.mu.Unlock()
			if !have && !stopped {
				return false, true, nil
			}
			if !have {
				g.mu.Lock()
				next = max(s.cur+g.interval, g.end)
				g.mu.Unlock()
			}
			g.writeFrameHeader(centis(next) - centis(s.cur))
			s.phase, s.row = phaseEncode, s.rect.Min.Y
		case phaseEncode:
			n, err := g.encodeRow()
			if err != nil {
				return false, false, err
			}
			budget -= n
		}
	}
	return false, false, nil
}

// centis is a time in GIF delay units, rounded from the recording's start
// so that rounding never accumulates.
func centis(t time.Duration) int { return int((t + 5*time.Millisecond) / (10 * time.Millisecond)) }

func (g *GIF) head() *frame {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending[0]
}

// sampleRow adds every s-th pixel of every s-th row of the first frame to
// the histogram; after the last, it builds the palette and writes the
// file's header.
func (g *GIF) sampleRow() int {
	s := &g.work
	// The copy's own pixels (before any downscale) are sampled.
	w, h := g.src.X, g.src.Y
	stride := max(1, int(math.Sqrt(float64(w*h)/sampleTarget)))
	f := g.head()
	n := 0
	if s.row < h {
		row := f.pix[4*w*s.row : 4*w*(s.row+1)]
		for x := 0; x < w; x += stride {
			s.hist.add(row[4*x], row[4*x+1], row[4*x+2])
			n++
		}
		s.row += stride
		return n
	}
	pal := append([]color.RGBA(nil), s.reserved.colors...)
	pal = append(pal, s.hist.medianCut(maxColors-growRoom-len(pal))...)
	s.hist = nil
	g.begin(pal)
	s.phase, s.row = phaseQuantise, 0
	return 1 << 12 // about what the cut costs
}

// begin fixes the palette and writes the header: the logical screen, the
// global colour table and the loop-for-ever extension.
func (g *GIF) begin(pal []color.RGBA) {
	s := &g.work
	given := s.reserved == nil
	if given {
		s.reserved = newReservedSet(g.opt.Reserved)
		pal = append(append([]color.RGBA(nil), s.reserved.colors...), g.opt.Palette...)
	}
	if len(pal) == 0 {
		pal = []color.RGBA{{0, 0, 0, 255}}
	}
	s.mapper = newMapper(pal, s.reserved)
	s.mapper.fixed = given
	s.written = len(pal)
	s.idx = make([]uint8, g.w*g.h)
	s.prev = make([]uint8, g.w*g.h)
	s.rowBuf = make([]uint8, g.w)

	b := s.buf
	b.WriteString("GIF89a")
	le16(b, g.w)
	le16(b, g.h)
	b.WriteByte(0x80 | 0x70 | 7) // a global table of 256, 8-bit colour resolution
	b.WriteByte(0)               // background index
	b.WriteByte(0)               // square pixels
	writeTable(b, pal)
	b.Write([]byte{0x21, 0xff, 0x0b})
	b.WriteString("NETSCAPE2.0")
	b.Write([]byte{0x03, 0x01, 0x00, 0x00, 0x00}) // loop for ever
}

// quantiseRow maps one row of the head frame to palette indices and
// widens the changed rectangle; after the last row the frame's pixels are
// given back and the frame waits for its successor's time.
func (g *GIF) quantiseRow() int {
	s := &g.work
	if s.mapper == nil {
		g.begin(nil) // a palette given in the options
	}
	f := g.head()
	y := s.row
	if y == 0 {
		s.rect = image.Rectangle{}
	}
	k := g.opt.Downscale
	cost := g.w * k * k
	var row, before []uint8 // this row's pixels, and the previous frame's
	if k == 1 {
		row = g.sourceRow(f, y, nil)
		if s.last != nil {
			before = s.last.pix[4*g.w*y : 4*g.w*(y+1)]
		}
	} else {
		if s.avg == nil {
			s.avg, s.prevAvg = make([]uint8, 4*g.w*g.h), make([]uint8, 4*g.w*g.h)
		}
		row = g.sourceRow(f, y, s.avg[4*g.w*y:4*g.w*(y+1)])
		if s.frames > 0 {
			before = s.prevAvg[4*g.w*y : 4*g.w*(y+1)]
		}
	}
	idx := s.idx[g.w*y : g.w*(y+1)]
	prev := s.prev[g.w*y : g.w*(y+1)]
	if before != nil && bytes.Equal(row, before) {
		// Most of a screen stays still: an unchanged row costs a
		// comparison, not a lookup per pixel.
		copy(idx, prev)
		return g.nextRow(f, cost/8)
	}
	m := s.mapper
	lo, hi := -1, -1
	last := uint32(1 << 31) // no colour
	var i uint8
	for x := range idx {
		p := row[4*x : 4*x+3 : 4*x+3]
		c := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
		if before != nil && c == uint32(before[4*x])|uint32(before[4*x+1])<<8|uint32(before[4*x+2])<<16 {
			// An unchanged pixel keeps its index (even were the palette
			// to have grown a nearer entry since: no flicker).
			idx[x] = prev[x]
			continue
		}
		// Runs of one colour (panels, flat heatmap cells) are looked up once.
		if c != last {
			i, last = m.index(p[0], p[1], p[2]), c
		}
		idx[x] = i
		if i != prev[x] || s.frames == 0 {
			if lo < 0 {
				lo = x
			}
			hi = x
		}
	}
	if lo >= 0 {
		s.rect = s.rect.Union(image.Rect(lo, y, hi+1, y+1))
	}
	return g.nextRow(f, cost)
}

// nextRow moves past a quantised row; after the last the frame's pixels
// are kept to compare the next frame with (the ones before are given back)
// and the frame waits for its successor's time.
func (g *GIF) nextRow(f *frame, cost int) int {
	s := &g.work
	s.row++
	if s.row == g.h {
		g.mu.Lock()
		g.pending = g.pending[1:]
		if g.opt.Downscale == 1 {
			if s.last != nil {
				g.free = append(g.free, s.last)
			}
			s.last = f
		} else {
			// The averaged rows are what the next frame is compared with.
			g.free = append(g.free, f)
			s.avg, s.prevAvg = s.prevAvg, s.avg
		}
		g.wake.Broadcast() // room for CaptureWait
		g.mu.Unlock()
		s.cur = f.at
		s.frames++
		s.phase = phaseDelay
	}
	return max(cost, 1)
}

// writeFrameHeader writes the graphic control extension (delay,
// transparency, leave the previous frame in place) and the image
// descriptor of the changed rectangle, and starts its LZW data. A frame
// that changed nothing is one transparent pixel.
func (g *GIF) writeFrameHeader(delay int) {
	s := &g.work
	empty := s.rect.Empty()
	if empty {
		s.rect = image.Rect(0, 0, 1, 1)
	}
	b := s.buf
	b.Write([]byte{0x21, 0xf9, 0x04, 1<<2 | 1}) // disposal: leave in place; transparent index set
	le16(b, max(delay, 2))                      // browsers treat 0 and 1 as 10
	b.Write([]byte{transparent, 0x00})
	b.WriteByte(0x2c)
	le16(b, s.rect.Min.X)
	le16(b, s.rect.Min.Y)
	le16(b, s.rect.Dx())
	le16(b, s.rect.Dy())
	if pal := s.mapper.pal; len(pal) > s.written {
		// The palette grew after the header: this frame carries it.
		b.WriteByte(0x80 | 7)
		writeTable(b, pal)
	} else {
		b.WriteByte(0) // the global table, not interlaced
	}
	const lit = 8
	b.WriteByte(lit)
	s.blocks.n = 0
	if s.lzw == nil {
		s.lzw = lzw.NewWriter(&s.blocks, lzw.LSB, lit).(*lzw.Writer)
	} else {
		s.lzw.Reset(&s.blocks, lzw.LSB, lit)
	}
	if empty {
		s.lzw.Write([]byte{transparent})
		s.rect = image.Rectangle{Min: image.Pt(0, 0), Max: image.Pt(1, 0)} // no rows left
	}
}

// encodeRow compresses one row of the changed rectangle, pixels that did
// not change written as transparent; after the last row the frame is
// complete and the current indices become the previous.
func (g *GIF) encodeRow() (int, error) {
	s := &g.work
	r := s.rect
	if s.row < r.Max.Y {
		y := s.row
		idx := s.idx[g.w*y+r.Min.X : g.w*y+r.Max.X]
		prev := s.prev[g.w*y+r.Min.X : g.w*y+r.Max.X]
		out := s.rowBuf[:len(idx)]
		for x, i := range idx {
			if i == prev[x] && s.frames > 1 {
				out[x] = transparent
			} else {
				out[x] = i
			}
		}
		if _, err := s.lzw.Write(out); err != nil {
			return 0, err
		}
		s.row++
		return len(idx), nil
	}
	if err := s.lzw.Close(); err != nil {
		return 0, err
	}
	if err := s.blocks.close(); err != nil {
		return 0, err
	}
	// What is on screen now is this frame; the next overwrites every index.
	s.idx, s.prev = s.prev, s.idx
	s.encoded++
	s.phase = phaseNext
	return 1, nil
}

// transparent is the palette index of "leave the pixel as it was".
const transparent = maxColors

// writeTable writes a 256-entry colour table: pal, then black.
func writeTable(b *bufio.Writer, pal []color.RGBA) {
	for i := range maxColors + 1 {
		c := color.RGBA{}
		if i < len(pal) {
			c = pal[i]
		}
		b.Write([]byte{c.R, c.G, c.B})
	}
}

func le16(b *bufio.Writer, v int) { b.Write([]byte{byte(v), byte(v >> 8)}) }

// blockWriter cuts LZW output into the GIF's data sub-blocks of at most
// 255 bytes.
type blockWriter struct {
	w   *bufio.Writer
	buf [256]byte
	n   int
}

func (b *blockWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		b.buf[1+b.n] = c
		b.n++
		if b.n == 255 {
			if err := b.flush(); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
}

func (b *blockWriter) flush() error {
	b.buf[0] = byte(b.n)
	_, err := b.w.Write(b.buf[:b.n+1])
	b.n = 0
	return err
}

// close writes the last partial block and the block terminator.
func (b *blockWriter) close() error {
	if b.n > 0 {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return b.w.WriteByte(0)
}

// countWriter counts the bytes that reached the output.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
