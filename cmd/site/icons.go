package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/image/vector"
)

// iconSizes are the PNG icons written beside icon.svg for the web app
// manifest: installing wants 192 and 512 px ones on most platforms, and
// some take no SVG at all.
var iconSizes = []int{192, 512}

// writeIcons draws web/icon.svg as icon-<size>.png for every size. It reads
// only what the icon is made of (a rounded <rect>, filled or stroked
// <circle>s), so the PNGs cannot drift from the SVG; anything else in it is
// an error, not a silently different icon.
func writeIcons(out, svgPath string) error {
	src, err := os.ReadFile(svgPath)
	if err != nil {
		return err
	}
	shapes, side, err := parseIcon(src)
	if err != nil {
		return fmt.Errorf("%s: %w", svgPath, err)
	}
	for _, size := range iconSizes {
		var buf bytes.Buffer
		if err := png.Encode(&buf, drawIcon(shapes, side, size)); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("icon-%d.png", size)), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// iconShape is one element of the icon, in viewBox units.
type iconShape struct {
	rect             bool
	x, y, w, h, rx   float64 // rect
	cx, cy, r        float64 // circle
	fill, stroke     color.Color
	strokeWidth      float64
	hasFill, hasLine bool
}

func parseIcon(src []byte) ([]iconShape, float64, error) {
	dec := xml.NewDecoder(bytes.NewReader(src))
	var shapes []iconShape
	side := 0.0
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, 0, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range el.Attr {
			attr[a.Name.Local] = a.Value
		}
		num := func(name string) float64 {
			v, err := strconv.ParseFloat(attr[name], 64)
			if err != nil {
				return 0
			}
			return v
		}
		var s iconShape
		switch el.Name.Local {
		case "svg":
			f := strings.Fields(attr["viewBox"])
			if len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != f[3] {
				return nil, 0, fmt.Errorf("want a square viewBox from 0 0, got %q", attr["viewBox"])
			}
			side, _ = strconv.ParseFloat(f[2], 64)
			continue
		case "rect":
			s = iconShape{rect: true, x: num("x"), y: num("y"), w: num("width"), h: num("height"), rx: num("rx")}
		case "circle":
			s = iconShape{cx: num("cx"), cy: num("cy"), r: num("r")}
		default:
			return nil, 0, fmt.Errorf("<%s> is not drawn into the PNG icons (only rect and circle are)", el.Name.Local)
		}
		if s.fill, s.hasFill, err = paint(attr["fill"], true); err != nil {
			return nil, 0, err
		}
		if s.stroke, s.hasLine, err = paint(attr["stroke"], false); err != nil {
			return nil, 0, err
		}
		s.strokeWidth = num("stroke-width")
		if _, ok := attr["stroke-width"]; !ok {
			s.strokeWidth = 1
		}
		shapes = append(shapes, s)
	}
	if side <= 0 {
		return nil, 0, errors.New("no viewBox")
	}
	return shapes, side, nil
}

// paint reads a colour: #rrggbb, or none; SVG fills black when unset and
// strokes nothing.
func paint(v string, isFill bool) (color.Color, bool, error) {
	switch {
	case v == "" && isFill:
		return color.Black, true, nil
	case v == "" || v == "none":
		return nil, false, nil
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(v, "#"), 16, 32)
	if err != nil || len(v) != 7 || v[0] != '#' {
		return nil, false, fmt.Errorf("colour %q: want #rrggbb", v)
	}
	return color.RGBA{uint8(n >> 16), uint8(n >> 8), uint8(n), 255}, true, nil
}

func drawIcon(shapes []iconShape, side float64, size int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	k := float64(size) / side
	for _, s := range shapes {
		if s.rect {
			z := vector.NewRasterizer(size, size)
			roundedRect(z, k*s.x, k*s.y, k*s.w, k*s.h, k*math.Min(s.rx, math.Min(s.w, s.h)/2))
			if s.hasFill {
				z.Draw(dst, dst.Bounds(), image.NewUniform(s.fill), image.Point{})
			}
			continue
		}
		if s.hasFill {
			z := vector.NewRasterizer(size, size)
			circle(z, k*s.cx, k*s.cy, k*s.r, false)
			z.Draw(dst, dst.Bounds(), image.NewUniform(s.fill), image.Point{})
		}
		if s.hasLine {
			// A ring: the outer edge one way round, the inner the other.
			z := vector.NewRasterizer(size, size)
			circle(z, k*s.cx, k*s.cy, k*(s.r+s.strokeWidth/2), false)
			circle(z, k*s.cx, k*s.cy, k*math.Max(0, s.r-s.strokeWidth/2), true)
			z.Draw(dst, dst.Bounds(), image.NewUniform(s.stroke), image.Point{})
		}
	}
	return dst
}

// kappa places the control points of a cubic Bézier quarter circle.
const kappa = 0.5522847498

func circle(z *vector.Rasterizer, cx, cy, r float64, reverse bool) {
	f := func(v float64) float32 { return float32(v) }
	d := 1.0
	if reverse {
		d = -1
	}
	z.MoveTo(f(cx+r), f(cy))
	for q := 0; q < 4; q++ {
		a0 := d * float64(q) * math.Pi / 2
		a1 := d * float64(q+1) * math.Pi / 2
		x0, y0 := math.Cos(a0), math.Sin(a0)
		x1, y1 := math.Cos(a1), math.Sin(a1)
		// Tangents at both ends, in the direction of travel.
		t0x, t0y := -y0*d, x0*d
		t1x, t1y := -y1*d, x1*d
		z.CubeTo(
			f(cx+r*(x0+kappa*t0x)), f(cy+r*(y0+kappa*t0y)),
			f(cx+r*(x1-kappa*t1x)), f(cy+r*(y1-kappa*t1y)),
			f(cx+r*x1), f(cy+r*y1))
	}
	z.ClosePath()
}

func roundedRect(z *vector.Rasterizer, x, y, w, h, r float64) {
	f := func(v float64) float32 { return float32(v) }
	c := r * (1 - kappa)
	z.MoveTo(f(x+r), f(y))
	z.LineTo(f(x+w-r), f(y))
	z.CubeTo(f(x+w-c), f(y), f(x+w), f(y+c), f(x+w), f(y+r))
	z.LineTo(f(x+w), f(y+h-r))
	z.CubeTo(f(x+w), f(y+h-c), f(x+w-c), f(y+h), f(x+w-r), f(y+h))
	z.LineTo(f(x+r), f(y+h))
	z.CubeTo(f(x+c), f(y+h), f(x), f(y+h-c), f(x), f(y+h-r))
	z.LineTo(f(x), f(y+r))
	z.CubeTo(f(x), f(y+c), f(x+c), f(y), f(x+r), f(y))
	z.ClosePath()
}
