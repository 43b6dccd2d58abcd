package scene

import (
	"image"
	"image/draw"

	"github.com/vaeplayground/vae/i18n"
)

// Panel is a panel's static part (title, axes, densities, …) cached as an
// image: Draw repaints it only when its key or its rectangle changed, and
// copies it into the frame, where the moving parts are then drawn on top
// without redrawing text and heatmaps. The zero value is an empty cache.
type Panel struct {
	img  *image.RGBA
	key  string
	lang string // the language its words were drawn in
}

// Draw copies the cached panel into frame at r, repainting the cache with
// paint first when key or r differ from the last call. It returns the
// frame's sub-image at r, to draw the moving parts on, and the rectangle
// it redrew (r), which the caller reports as dirty.
func (p *Panel) Draw(frame *image.RGBA, r image.Rectangle, key string, paint func(dst *image.RGBA)) (*image.RGBA, image.Rectangle) {
	if p.img == nil || p.img.Bounds() != r || p.key != key || p.lang != i18n.Current() {
		if p.img == nil || p.img.Bounds() != r {
			p.img = image.NewRGBA(r)
		} else {
			// Repainted in place: a panel's key changes with every refresh
			// of its density (several a second), and a new image of a
			// scale-3 panel was megabytes for the collector each time.
			clear(p.img.Pix)
		}
		p.key, p.lang = key, i18n.Current()
		paint(p.img)
	}
	dst := frame.SubImage(r).(*image.RGBA)
	draw.Draw(dst, r, p.img, r.Min, draw.Src)
	return dst, r
}

// Reset empties the cache: the next Draw repaints.
func (p *Panel) Reset() { p.img, p.key = nil, "" }

// Key remembers the key of what was last drawn, for the parts of the
// screen that redraw in place when their content changes (the status line,
// the overlay) rather than from a cache.
type Key struct {
	key   string
	valid bool
}

// Changed reports whether k differs from the last key seen (always true
// after Reset or at first), and remembers k.
func (c *Key) Changed(k string) bool {
	if c.valid && c.key == k {
		return false
	}
	c.key, c.valid = k, true
	return true
}

// Reset forgets the last key: the next Changed is true.
func (c *Key) Reset() { c.valid = false }

// Deferred is the redraw of a panel that changed while out of sight on a
// compact screen's sheet (a phone's views below the fold, or all of them
// under the open controls): the panel is drawn once it shows again, with
// what it shows by then, rather than at every change no one sees. The zero
// value owes nothing.
type Deferred struct{ owed bool }

// Due reports whether panel r is to be drawn now: when changed says its
// content changed, or a change was put off, and it shows (Frame.Shown). A
// change out of sight is put off.
func (d *Deferred) Due(f *Frame, r image.Rectangle, changed bool) bool {
	if !changed && !d.owed {
		return false
	}
	if !f.Shown(r) {
		d.owed = true
		return false
	}
	d.owed = false
	return true
}
