package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts have the Latin-1 and Latin Extended-A letters (á, â, ê, ô,
// ă, đ…) but not the rest of Vietnamese's: no ơ or ư, no hook above or dot
// below, no stacked marks (ế, ộ, ữ, ặ), and no combining marks either.
// vietFace composes those letters from the font's own pieces — the base
// letter, the acute, grave and tilde of á, à and ã, the hook of a smaller
// "?", the dot of ".", a "’" for the horn — so that they match the rest of
// the text; a second font with Vietnamese would have cost its weight in
// the browser download.
type vietFace struct {
	font.Face
	small font.Face // the hook above is a small "?"

	mu    sync.Mutex
	cache map[rune]*composed
	marks map[markKey]*image.Alpha
}

type composed struct {
	mask *image.Alpha // relative to the dot at (0, 0)
	adv  fixed.Int26_6
}

type tone int

const (
	toneNone tone = iota
	toneGrave
	toneAcute
	toneHook
	toneTilde
	toneDot
)

// vietLetter is a Vietnamese letter as its parts: a base letter the Go
// font has, a horn (ơ, ư) and a tone mark.
type vietLetter struct {
	base rune
	horn bool
	tone tone
}

// vietLetters are Vietnamese's letters with a tone mark or a horn
// (generated from Unicode's decompositions).
var vietLetters = map[rune]vietLetter{
	'à': {'a', false, toneGrave},
	'á': {'a', false, toneAcute},
	'ả': {'a', false, toneHook},
	'ã': {'a', false, toneTilde},
	'ạ': {'a', false, toneDot},
	'ằ': {'ă', false, toneGrave},
	'ắ': {'ă', false, toneAcute},
	'ẳ': {'ă', false, toneHook},
	'ẵ': {'ă', false, toneTilde},
	'ặ': {'ă', false, toneDot},
	'ầ': {'â', false, toneGrave},
	'ấ': {'â', false, toneAcute},
	'ẩ': {'â', false, toneHook},
	'ẫ': {'â', false, toneTilde},
	'ậ': {'â', false, toneDot},
	'è': {'e', false, toneGrave},
	'é': {'e', false, toneAcute},
	'ẻ': {'e', false, toneHook},
	'ẽ': {'e', false, toneTilde},
	'ẹ': {'e', false, toneDot},
	'ề': {'ê', false, toneGrave},
	'ế': {'ê', false, toneAcute},
	'ể': {'ê', false, toneHook},
	'ễ': {'ê', false, toneTilde},
	'ệ': {'ê', false, toneDot},
	'ì': {'i', false, toneGrave},
	'í': {'i', false, toneAcute},
	'ỉ': {'i', false, toneHook},
	'ĩ': {'i', false, toneTilde},
	'ị': {'i', false, toneDot},
	'ò': {'o', false, toneGrave},
	'ó': {'o', false, toneAcute},
	'ỏ': {'o', false, toneHook},
	'õ': {'o', false, toneTilde},
	'ọ': {'o', false, toneDot},
	'ồ': {'ô', false, toneGrave},
	'ố': {'ô', false, toneAcute},
	'ổ': {'ô', false, toneHook},
	'ỗ': {'ô', false, toneTilde},
	'ộ': {'ô', false, toneDot},
	'ơ': {'o', true, toneNone},
	'ờ': {'o', true, toneGrave},
	'ớ': {'o', true, toneAcute},
	'ở': {'o', true, toneHook},
	'ỡ': {'o', true, toneTilde},
	'ợ': {'o', true, toneDot},
	'ù': {'u', false, toneGrave},
	'ú': {'u', false, toneAcute},
	'ủ': {'u', false, toneHook},
	'ũ': {'u', false, toneTilde},
	'ụ': {'u', false, toneDot},
	'ư': {'u', true, toneNone},
	'ừ': {'u', true, toneGrave},
	'ứ': {'u', true, toneAcute},
	'ử': {'u', true, toneHook},
	'ữ': {'u', true, toneTilde},
	'ự': {'u', true, toneDot},
	'ỳ': {'y', false, toneGrave},
	'ý': {'y', false, toneAcute},
	'ỷ': {'y', false, toneHook},
	'ỹ': {'y', false, toneTilde},
	'ỵ': {'y', false, toneDot},
	'À': {'A', false, toneGrave},
	'Á': {'A', false, toneAcute},
	'Ả': {'A', false, toneHook},
	'Ã': {'A', false, toneTilde},
	'Ạ': {'A', false, toneDot},
	'Ằ': {'Ă', false, toneGrave},
	'Ắ': {'Ă', false, toneAcute},
	'Ẳ': {'Ă', false, toneHook},
	'Ẵ': {'Ă', false, toneTilde},
	'Ặ': {'Ă', false, toneDot},
	'Ầ': {'Â', false, toneGrave},
	'Ấ': {'Â', false, toneAcute},
	'Ẩ': {'Â', false, toneHook},
	'Ẫ': {'Â', false, toneTilde},
	'Ậ': {'Â', false, toneDot},
	'È': {'E', false, toneGrave},
	'É': {'E', false, toneAcute},
	'Ẻ': {'E', false, toneHook},
	'Ẽ': {'E', false, toneTilde},
	'Ẹ': {'E', false, toneDot},
	'Ề': {'Ê', false, toneGrave},
	'Ế': {'Ê', false, toneAcute},
	'Ể': {'Ê', false, toneHook},
	'Ễ': {'Ê', false, toneTilde},
	'Ệ': {'Ê', false, toneDot},
	'Ì': {'I', false, toneGrave},
	'Í': {'I', false, toneAcute},
	'Ỉ': {'I', false, toneHook},
	'Ĩ': {'I', false, toneTilde},
	'Ị': {'I', false, toneDot},
	'Ò': {'O', false, toneGrave},
	'Ó': {'O', false, toneAcute},
	'Ỏ': {'O', false, toneHook},
	'Õ': {'O', false, toneTilde},
	'Ọ': {'O', false, toneDot},
	'Ồ': {'Ô', false, toneGrave},
	'Ố': {'Ô', false, toneAcute},
	'Ổ': {'Ô', false, toneHook},
	'Ỗ': {'Ô', false, toneTilde},
	'Ộ': {'Ô', false, toneDot},
	'Ơ': {'O', true, toneNone},
	'Ờ': {'O', true, toneGrave},
	'Ớ': {'O', true, toneAcute},
	'Ở': {'O', true, toneHook},
	'Ỡ': {'O', true, toneTilde},
	'Ợ': {'O', true, toneDot},
	'Ù': {'U', false, toneGrave},
	'Ú': {'U', false, toneAcute},
	'Ủ': {'U', false, toneHook},
	'Ũ': {'U', false, toneTilde},
	'Ụ': {'U', false, toneDot},
	'Ư': {'U', true, toneNone},
	'Ừ': {'U', true, toneGrave},
	'Ứ': {'U', true, toneAcute},
	'Ử': {'U', true, toneHook},
	'Ữ': {'U', true, toneTilde},
	'Ự': {'U', true, toneDot},
	'Ỳ': {'Y', false, toneGrave},
	'Ý': {'Y', false, toneAcute},
	'Ỷ': {'Y', false, toneHook},
	'Ỹ': {'Y', false, toneTilde},
	'Ỵ': {'Y', false, toneDot},
}

// withVietnamese wraps face (of font f at size) so that it draws every
// Vietnamese letter.
func withVietnamese(face font.Face, f *opentype.Font, size float64) font.Face {
	small, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size * 0.7, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return face
	}
	return &vietFace{Face: face, small: small, cache: map[rune]*composed{}, marks: map[markKey]*image.Alpha{}}
}

func (v *vietFace) has(r rune) bool {
	_, ok := v.Face.GlyphAdvance(r)
	return ok
}

// Glyph draws r from the font, or composed when the font lacks it.
func (v *vietFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	if c := v.composed(r); c != nil {
		b := c.mask.Bounds()
		return b.Add(image.Pt(dot.X.Round(), dot.Y.Round())), c.mask, b.Min, c.adv, true
	}
	return v.Face.Glyph(dot, r)
}

// GlyphBounds is the glyph's ink box and advance.
func (v *vietFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	if c := v.composed(r); c != nil {
		b := c.mask.Bounds()
		return fixed.R(b.Min.X, b.Min.Y, b.Max.X, b.Max.Y), c.adv, true
	}
	return v.Face.GlyphBounds(r)
}

// GlyphAdvance is the glyph's advance width.
func (v *vietFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	if c := v.composed(r); c != nil {
		return c.adv, true
	}
	return v.Face.GlyphAdvance(r)
}

// Kern kerns the pair, or the composed letter as its base.
func (v *vietFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if l, ok := vietLetters[r0]; ok && !v.has(r0) {
		r0 = l.base
	}
	if l, ok := vietLetters[r1]; ok && !v.has(r1) {
		r1 = l.base
	}
	return v.Face.Kern(r0, r1)
}

// composed is r composed from its parts, or nil when the font has r or r
// is no Vietnamese letter.
func (v *vietFace) composed(r rune) *composed {
	l, ok := vietLetters[r]
	if !ok {
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.cache[r]; ok {
		return c
	}
	var c *composed
	if !v.has(r) {
		c = v.compose(l)
	}
	v.cache[r] = c
	return c
}

// glyph is r of face drawn with its dot at (0, 0), as a copy (the face
// reuses its buffer), and its advance.
func glyph(face font.Face, r rune) (*image.Alpha, fixed.Int26_6) {
	dr, mask, mp, adv, ok := face.Glyph(fixed.Point26_6{}, r)
	a := image.NewAlpha(dr)
	if ok && mask != nil {
		draw.Draw(a, dr, mask, mp, draw.Src)
	}
	return a, adv
}

// ink is the box of a's pixels with any coverage.
func ink(a *image.Alpha) image.Rectangle {
	var r image.Rectangle
	b := a.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if a.AlphaAt(x, y).A > 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// crop is the part of a inside r, trimmed to its ink.
func crop(a *image.Alpha, r image.Rectangle) *image.Alpha {
	sub := a.SubImage(r.Intersect(a.Bounds())).(*image.Alpha)
	out := image.NewAlpha(ink(sub))
	draw.Draw(out, out.Bounds(), sub, out.Bounds().Min, draw.Src)
	return out
}

type markKey struct {
	t     tone
	upper bool
	horn  bool
}

// mark is the ink of a tone mark (or, with horn, of the horn), cut from a
// glyph of the font that has it: the accent of á over a's top, the hook
// of a small "?" above its dot, the dot of ".", the "’".
func (v *vietFace) mark(t tone, upper, horn bool) *image.Alpha {
	k := markKey{t, upper, horn}
	if m, ok := v.marks[k]; ok {
		return m
	}
	var m *image.Alpha
	above := func(with, base rune) *image.Alpha {
		g, _ := glyph(v.Face, with)
		b, _ := glyph(v.Face, base)
		top := ink(b).Min.Y
		return crop(g, image.Rect(g.Bounds().Min.X, g.Bounds().Min.Y, g.Bounds().Max.X, top))
	}
	base := map[bool]rune{false: 'a', true: 'A'}[upper]
	switch {
	case horn:
		g, _ := glyph(v.Face, '’')
		m = crop(g, g.Bounds())
	case t == toneAcute:
		m = above(map[bool]rune{false: 'á', true: 'Á'}[upper], base)
	case t == toneGrave:
		m = above(map[bool]rune{false: 'à', true: 'À'}[upper], base)
	case t == toneTilde:
		m = above(map[bool]rune{false: 'ã', true: 'Ã'}[upper], base)
	case t == toneHook:
		// The curve of a small "?", without its dot and the foot of its
		// stem.
		g, _ := glyph(v.small, '?')
		in := ink(g)
		cut := in.Min.Y + int(math.Round(float64(in.Dy())*0.55))
		m = crop(g, image.Rect(in.Min.X, in.Min.Y, in.Max.X, cut))
	case t == toneDot:
		g, _ := glyph(v.Face, '.')
		m = crop(g, g.Bounds())
	}
	v.marks[k] = m
	return m
}

// over draws mark m onto dst with its ink box moved to at (the larger
// coverage wins where they overlap), growing dst as needed.
func over(dst *image.Alpha, m *image.Alpha, at image.Point) *image.Alpha {
	mb := m.Bounds()
	to := mb.Add(at.Sub(mb.Min))
	if !to.In(dst.Bounds()) {
		grown := image.NewAlpha(dst.Bounds().Union(to))
		draw.Draw(grown, dst.Bounds(), dst, dst.Bounds().Min, draw.Src)
		dst = grown
	}
	for y := 0; y < mb.Dy(); y++ {
		for x := 0; x < mb.Dx(); x++ {
			a := m.AlphaAt(mb.Min.X+x, mb.Min.Y+y).A
			if a > dst.AlphaAt(to.Min.X+x, to.Min.Y+y).A {
				dst.SetAlpha(to.Min.X+x, to.Min.Y+y, colorAlpha(a))
			}
		}
	}
	return dst
}

// compose draws letter l: its base, the horn at the base's top right, the
// tone mark above (over a circumflex or breve, a little to the right, as
// Vietnamese type sets the stacked marks) or the dot below.
func (v *vietFace) compose(l vietLetter) *composed {
	if l.base == 'i' && l.tone != toneDot && l.tone != toneNone && v.has('ı') {
		l.base = 'ı' // a mark above i replaces its dot
	}
	base, adv := glyph(v.Face, l.base)
	if !v.has(l.base) {
		return nil
	}
	bi := ink(base)
	upper := l.base >= 'A' && l.base <= 'Z' || l.base == 'Â' || l.base == 'Ê' || l.base == 'Ô' || l.base == 'Ă'
	gap := max(1, int(math.Round(float64(v.Face.Metrics().Height.Ceil())*0.06)))
	out := image.NewAlpha(base.Bounds())
	draw.Draw(out, out.Bounds(), base, base.Bounds().Min, draw.Src)
	top := bi.Min.Y
	if l.horn {
		h := v.mark(toneNone, upper, true)
		hb := h.Bounds()
		// The horn's tail meets the shoulder of o or u; its head stands
		// above and right of the letter.
		at := image.Pt(bi.Max.X-hb.Dx()/2, bi.Min.Y-hb.Dy()/2)
		out = over(out, h, at)
		if right := at.X + hb.Dx(); right > bi.Max.X {
			adv += fixed.I(right - bi.Max.X - 1)
		}
	}
	if l.tone == toneNone {
		return &composed{mask: out, adv: adv}
	}
	m := v.mark(l.tone, upper, false)
	mb := m.Bounds()
	cx := (bi.Min.X + bi.Max.X) / 2
	switch l.tone {
	case toneDot:
		out = over(out, m, image.Pt(cx-mb.Dx()/2, max(bi.Max.Y, 0)+gap))
	default:
		x := cx - mb.Dx()/2
		switch l.base {
		case 'â', 'ê', 'ô', 'Â', 'Ê', 'Ô':
			if l.tone != toneTilde {
				x += bi.Dx() / 3 // beside the circumflex's peak, not on it
			}
		}
		out = over(out, m, image.Pt(x, top-gap-mb.Dy()))
	}
	return &composed{mask: out, adv: adv}
}

func colorAlpha(a uint8) color.Alpha { return color.Alpha{A: a} }
