package record

import (
	"cmp"
	"image/color"
	"slices"
)

// maxColors is the palette's size without the transparent entry.
const maxColors = 255

// growRoom is how many entries median cut leaves free for colours that
// appear only after the first frame (a panel opened, a new class).
const growRoom = 24

// farColor is the squared distance from its nearest entry beyond which a
// colour gets an entry of its own while there is room (about 16 levels per
// channel: a heatmap's colours between entries are far closer).
const farColor = 3 * 16 * 16

// histogram counts sampled colours in 5-bit-per-channel bins, keeping the
// sum of each bin's exact colours so a palette entry is the mean of the
// pixels it stands for, not a bin's corner.
type histogram struct {
	count            []uint32
	sumR, sumG, sumB []uint64
	reserved         *reservedSet
}

func newHistogram(reserved *reservedSet) *histogram {
	const bins = 1 << 15
	return &histogram{
		count: make([]uint32, bins),
		sumR:  make([]uint64, bins), sumG: make([]uint64, bins), sumB: make([]uint64, bins),
		reserved: reserved,
	}
}

func (h *histogram) add(r, g, b uint8) {
	if h.reserved.index(r, g, b) >= 0 {
		return // has its own entry already
	}
	k := int(r>>3)<<10 | int(g>>3)<<5 | int(b>>3)
	h.count[k]++
	h.sumR[k] += uint64(r)
	h.sumG[k] += uint64(g)
	h.sumB[k] += uint64(b)
}

// bin is one non-empty histogram bin: its mean colour and weight.
type bin struct {
	c [3]uint8
	n uint32
}

// box is a run of bins[lo:hi] that median cut may split.
type box struct {
	lo, hi int
	n      uint64
	axis   int   // the channel with the widest range
	span   uint8 // that range
}

// medianCut returns up to k colours standing for the histogram's pixels:
// it splits, again and again, the box whose pixels are spread most (weight
// times widest channel range) at the weighted median of that channel. Flat
// colours (range 0) are never split, so a large flat panel costs one entry
// while a gradient's entries follow the gradient.
func (h *histogram) medianCut(k int) []color.RGBA {
	var bins []bin
	for i, n := range h.count {
		if n == 0 {
			continue
		}
		m := uint64(n)
		bins = append(bins, bin{c: [3]uint8{uint8((h.sumR[i] + m/2) / m), uint8((h.sumG[i] + m/2) / m), uint8((h.sumB[i] + m/2) / m)}, n: n})
	}
	if len(bins) == 0 || k <= 0 {
		return nil
	}
	boxes := []box{measure(bins, 0, len(bins))}
	for len(boxes) < k {
		best, score := -1, uint64(0)
		for i, b := range boxes {
			if b.hi-b.lo < 2 || b.span == 0 {
				continue
			}
			if s := b.n * uint64(b.span); s > score {
				best, score = i, s
			}
		}
		if best < 0 {
			break
		}
		b := boxes[best]
		part := bins[b.lo:b.hi]
		axis := b.axis
		slices.SortFunc(part, func(x, y bin) int {
			if c := cmp.Compare(x.c[axis], y.c[axis]); c != 0 {
				return c
			}
			// A total order: the cut must not depend on the sort's whims.
			return cmp.Compare(uint32(x.c[0])<<16|uint32(x.c[1])<<8|uint32(x.c[2]), uint32(y.c[0])<<16|uint32(y.c[1])<<8|uint32(y.c[2]))
		})
		half, acc, cut := b.n/2, uint64(0), 1
		for i := range part {
			acc += uint64(part[i].n)
			if acc >= half {
				cut = i + 1
				break
			}
		}
		cut = min(max(cut, 1), len(part)-1)
		boxes[best] = measure(bins, b.lo, b.lo+cut)
		boxes = append(boxes, measure(bins, b.lo+cut, b.hi))
	}
	out := make([]color.RGBA, len(boxes))
	for i, b := range boxes {
		var s [3]uint64
		for _, x := range bins[b.lo:b.hi] {
			for c := range 3 {
				s[c] += uint64(x.c[c]) * uint64(x.n)
			}
		}
		out[i] = color.RGBA{uint8((s[0] + b.n/2) / b.n), uint8((s[1] + b.n/2) / b.n), uint8((s[2] + b.n/2) / b.n), 255}
	}
	return out
}

func measure(bins []bin, lo, hi int) box {
	b := box{lo: lo, hi: hi}
	mn, mx := [3]uint8{255, 255, 255}, [3]uint8{}
	for _, x := range bins[lo:hi] {
		b.n += uint64(x.n)
		for c := range 3 {
			mn[c], mx[c] = min(mn[c], x.c[c]), max(mx[c], x.c[c])
		}
	}
	for c := range 3 {
		if s := mx[c] - mn[c]; s > b.span {
			b.span, b.axis = s, c
		}
	}
	return b
}

// reservedSet finds the exact reserved colours quickly: a 5-bit bin flag
// first, then a short scan.
type reservedSet struct {
	colors []color.RGBA
	flag   []bool
}

func newReservedSet(cs []color.RGBA) *reservedSet {
	s := &reservedSet{flag: make([]bool, 1<<15)}
	for _, c := range cs {
		c.A = 255
		if !slices.Contains(s.colors, c) && len(s.colors) < maxColors {
			s.colors = append(s.colors, c)
			s.flag[int(c.R>>3)<<10|int(c.G>>3)<<5|int(c.B>>3)] = true
		}
	}
	return s
}

// index is the reserved colour's position, or −1.
func (s *reservedSet) index(r, g, b uint8) int {
	if !s.flag[int(r>>3)<<10|int(g>>3)<<5|int(b>>3)] {
		return -1
	}
	for i, c := range s.colors {
		if c.R == r && c.G == g && c.B == b {
			return i
		}
	}
	return -1
}

// mapper maps colours to palette indices. Reserved colours come first in the
// palette and map exactly; any other colour maps to the palette entry
// nearest to the centre of its 6-bit-per-channel cell, found once per cell
// and cached (an image has far fewer distinct cells than pixels). A colour
// far from every entry is added while the palette has room; entries never
// change, so a colour keeps its index for the whole recording.
type mapper struct {
	pal      []color.RGBA
	reserved *reservedSet
	// cell holds index+1 of the nearest entry (0: not yet looked up).
	cell []uint16
	// fixed palettes never grow.
	fixed bool
}

func newMapper(pal []color.RGBA, reserved *reservedSet) *mapper {
	m := &mapper{pal: pal, reserved: reserved, cell: make([]uint16, 1<<18)}
	m.resetCells()
	return m
}

// reservedCell marks a cell holding a reserved colour: its pixels are
// checked for an exact match first.
const reservedCell = 1 << 15

func (m *mapper) index(r, g, b uint8) uint8 {
	k := int(r>>2)<<12 | int(g>>2)<<6 | int(b>>2)
	v := m.cell[k]
	if v&reservedCell != 0 {
		if i := m.reserved.index(r, g, b); i >= 0 {
			return uint8(i)
		}
		v &^= reservedCell
	}
	if v != 0 {
		return uint8(v - 1)
	}
	return m.lookup(k, r, g, b)
}

// lookup finds and caches the entry of cell k, first seen with colour r, g, b.
func (m *mapper) lookup(k int, r, g, b uint8) uint8 {
	i, d := m.nearest(int(r&^3)+2, int(g&^3)+2, int(b&^3)+2)
	if d > farColor && len(m.pal) < maxColors && !m.fixed {
		// A new colour: it gets an entry, and cells looked up before may
		// now be nearer to it.
		i = len(m.pal)
		m.pal = append(m.pal, color.RGBA{r, g, b, 255})
		m.resetCells()
	}
	m.cell[k] = m.cell[k]&reservedCell | (uint16(i) + 1)
	return uint8(i)
}

// resetCells forgets every lookup, keeping the reserved marks.
func (m *mapper) resetCells() {
	clear(m.cell)
	for _, c := range m.reserved.colors {
		m.cell[int(c.R>>2)<<12|int(c.G>>2)<<6|int(c.B>>2)] = reservedCell
	}
}

func (m *mapper) nearest(r, g, b int) (index, dist int) {
	best, bestD := 0, int(^uint(0)>>1)
	for i, c := range m.pal {
		dr, dg, db := int(c.R)-r, int(c.G)-g, int(c.B)-b
		if d := dr*dr + dg*dg + db*db; d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}
