package render

import (
	"image"
	"image/color"
	"math"
)

// TileOptions configures how images are drawn into tiles. A nil *TileOptions
// means the defaults: one channel, Grays, a 2-pixel gap.
type TileOptions struct {
	// Channels is 1 (grey levels, mapped through Colormap) or 3 (RGB,
	// interleaved per pixel: r, g, b, r, g, b, …). 0 means 1.
	Channels int
	// Colormap maps grey levels; nil means Grays.
	Colormap *Colormap
	// Gap is the space in pixels between tiles; negative means none.
	// 0 means the default of 2.
	Gap int
}

func (o *TileOptions) resolve() TileOptions {
	out := TileOptions{Channels: 1, Colormap: Grays, Gap: 2}
	if o == nil {
		return out
	}
	if o.Channels == 3 {
		out.Channels = 3
	}
	if o.Colormap != nil {
		out.Colormap = o.Colormap
	}
	switch {
	case o.Gap < 0:
		out.Gap = 0
	case o.Gap > 0:
		out.Gap = o.Gap
	}
	return out
}

// noDataPixel marks image pixels that are NaN.
var noDataPixel = color.RGBA{0xff, 0x00, 0xff, 0xff}

// DrawImage draws one w×h image (values in [0, 1], row-major, top row first)
// scaled to fill the rectangle r: nearest pixel when enlarging, the mean of
// the covered source pixels when shrinking. Values are clamped to [0, 1];
// NaN pixels are magenta so they cannot pass unnoticed.
func DrawImage(dst *image.RGBA, r image.Rectangle, img []float64, w, h int, opt *TileOptions) {
	o := opt.resolve()
	drawImage(dst, r, img, w, h, o)
}

func drawImage(dst *image.RGBA, r image.Rectangle, img []float64, w, h int, o TileOptions) {
	ch := o.Channels
	if w <= 0 || h <= 0 || len(img) < w*h*ch || r.Empty() {
		return
	}
	clip := r.Intersect(dst.Bounds())
	if clip.Empty() {
		return
	}
	tw, th := r.Dx(), r.Dy()
	// Source span [s0, s1) of each destination column and row; tiles of a
	// grid are small, so their tables live on the stack.
	var stack [4 * smallTile]int
	var xs0, xs1, ys0, ys1 []int
	if tw <= smallTile && th <= smallTile {
		xs0, xs1 = stack[0:tw], stack[smallTile:smallTile+tw]
		ys0, ys1 = stack[2*smallTile:2*smallTile+th], stack[3*smallTile:3*smallTile+th]
	} else {
		xs0, xs1 = make([]int, tw), make([]int, tw)
		ys0, ys1 = make([]int, th), make([]int, th)
	}
	spans(xs0, xs1, w)
	spans(ys0, ys1, h)
	enlarging := tw >= w && th >= h
	var sum [3]float64
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		sy0, sy1 := ys0[y-r.Min.Y], ys1[y-r.Min.Y]
		off := dst.PixOffset(clip.Min.X, y)
		for x := clip.Min.X; x < clip.Max.X; x, off = x+1, off+4 {
			u := x - r.Min.X
			var col color.RGBA
			if ch == 1 && enlarging {
				// One source pixel per destination pixel: a table lookup.
				v := img[sy0*w+xs0[u]]
				switch {
				case v != v:
					col = noDataPixel
				case v <= 0:
					col = o.Colormap.lut[0]
				case v >= 1:
					col = o.Colormap.lut[255]
				default:
					col = o.Colormap.lut[int(v*255+0.5)]
				}
				dst.Pix[off], dst.Pix[off+1], dst.Pix[off+2], dst.Pix[off+3] = col.R, col.G, col.B, col.A
				continue
			}
			sx0, sx1 := xs0[u], xs1[u]
			sum = [3]float64{}
			for sy := sy0; sy < sy1; sy++ {
				row := img[(sy*w)*ch:]
				for sx := sx0; sx < sx1; sx++ {
					for c := range ch {
						sum[c] += row[sx*ch+c]
					}
				}
			}
			inv := 1 / float64((sy1-sy0)*(sx1-sx0))
			if ch == 1 {
				v := sum[0] * inv
				if math.IsNaN(v) {
					col = noDataPixel
				} else {
					col = o.Colormap.At(v)
				}
			} else {
				col = color.RGBA{A: 255}
				bad := false
				for c := range 3 {
					v := sum[c] * inv
					bad = bad || math.IsNaN(v)
					u := uint8(clamp01(v)*255 + 0.5)
					switch c {
					case 0:
						col.R = u
					case 1:
						col.G = u
					default:
						col.B = u
					}
				}
				if bad {
					col = noDataPixel
				}
			}
			dst.Pix[off], dst.Pix[off+1], dst.Pix[off+2], dst.Pix[off+3] = col.R, col.G, col.B, col.A
		}
	}
}

// smallTile is the largest tile side whose span tables drawImage keeps on
// the stack.
const smallTile = 128

// spans fills, for each of the len(s0) destination pixels along an axis, the
// span [s0, s1) of the n source pixels it covers (at least one).
func spans(s0, s1 []int, n int) {
	tn := len(s0)
	for u := range tn {
		a := u * n / tn
		s0[u], s1[u] = a, min(max((u+1)*n/tn, a+1), n)
	}
}

// TileLayout returns the rectangles of n tiles of w×h images laid out in
// cols columns inside r, row by row: every tile the same size, as large as
// fits with the gap between tiles while keeping the images' aspect ratio, the
// whole block centred in r.
func TileLayout(r image.Rectangle, n, w, h, cols, gap int) []image.Rectangle {
	if n <= 0 || cols <= 0 || w <= 0 || h <= 0 {
		return nil
	}
	rows := (n + cols - 1) / cols
	availW := float64(r.Dx()-gap*(cols-1)) / float64(cols)
	availH := float64(r.Dy()-gap*(rows-1)) / float64(rows)
	s := math.Min(availW/float64(w), availH/float64(h))
	tw, th := int(float64(w)*s), int(float64(h)*s)
	if tw <= 0 || th <= 0 {
		return nil
	}
	blockW, blockH := cols*tw+(cols-1)*gap, rows*th+(rows-1)*gap
	x0, y0 := r.Min.X+(r.Dx()-blockW)/2, r.Min.Y+(r.Dy()-blockH)/2
	out := make([]image.Rectangle, n)
	for k := range out {
		i, j := k%cols, k/cols
		x, y := x0+i*(tw+gap), y0+j*(th+gap)
		out[k] = image.Rect(x, y, x+tw, y+th)
	}
	return out
}

// Tiles draws images (each w×h, see DrawImage) as a grid of cols columns
// inside r (see TileLayout) and returns the tile rectangles, in the order of
// images, so a click can be mapped back to the image under it.
func Tiles(dst *image.RGBA, r image.Rectangle, images [][]float64, w, h, cols int, opt *TileOptions) []image.Rectangle {
	o := opt.resolve()
	rects := TileLayout(r, len(images), w, h, cols, o.Gap)
	for k, tr := range rects {
		drawImage(dst, tr, images[k], w, h, o)
	}
	return rects
}

// ManifoldCodes returns the n×n latent codes of a 2-D latent manifold over
// bounds, in the order Tiles lays images out (row by row from the top-left),
// so that decoding them and tiling the images with n columns shows the
// decoder's output where each code sits in the latent plot: the top-left tile
// is the code at (Min.X, Max.Y). Codes sit at the centres of an n×n grid of
// cells over bounds.
func ManifoldCodes(bounds Rect, n int) []Point {
	g := Grid{NX: n, NY: n, Bounds: bounds}
	out := make([]Point, 0, n*n)
	for row := range n {
		for i := range n {
			out = append(out, g.Point(i, n-1-row))
		}
	}
	return out
}

// ReconstructionPairs draws each input beside its reconstruction (input on
// the left), pairsPerRow pairs to a row, with a wider gap between pairs than
// inside them. It returns the rectangles of the inputs and of the
// reconstructions.
func ReconstructionPairs(dst *image.RGBA, r image.Rectangle, inputs, recons [][]float64, w, h, pairsPerRow int, opt *TileOptions) (in, rec []image.Rectangle) {
	o := opt.resolve()
	n := min(len(inputs), len(recons))
	// Lay pairs out as double-width tiles, then split each in two.
	pairs := TileLayout(r, n, 2*w, h, pairsPerRow, 3*o.Gap+4)
	for k, pr := range pairs {
		inner := max(o.Gap/2, 1)
		half := (pr.Dx() - inner) / 2
		a := image.Rect(pr.Min.X, pr.Min.Y, pr.Min.X+half, pr.Max.Y)
		b := image.Rect(pr.Max.X-half, pr.Min.Y, pr.Max.X, pr.Max.Y)
		drawImage(dst, a, inputs[k], w, h, o)
		drawImage(dst, b, recons[k], w, h, o)
		in, rec = append(in, a), append(rec, b)
	}
	return in, rec
}

// InterpolationStrip draws the decoded images of an interpolation (see
// InterpolationCodes) as one row inside r, and outlines the first and last
// tiles (the two end points) in accent. It returns the tile rectangles.
func InterpolationStrip(dst *image.RGBA, r image.Rectangle, images [][]float64, w, h int, accent color.RGBA, opt *TileOptions) []image.Rectangle {
	o := opt.resolve()
	if o.Gap < 3 {
		o.Gap = 3 // room for the end outlines
	}
	rects := TileLayout(r, len(images), w, h, max(len(images), 1), o.Gap)
	for k, tr := range rects {
		drawImage(dst, tr, images[k], w, h, o)
	}
	if len(rects) > 0 {
		StrokeRect(dst, rects[0].Inset(-2), accent)
		StrokeRect(dst, rects[len(rects)-1].Inset(-2), accent)
	}
	return rects
}
