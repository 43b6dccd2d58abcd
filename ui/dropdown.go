package ui

import (
	"image"
	"image/color"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

// Dropdown draws "label [choice ▾]"; a click opens the list of choices
// (drawn over everything by DrawPopup) and a click on one sets *sel. With
// the focus, Enter or Space opens the list, the arrows (and Home, End) walk
// it and Enter or Space picks; on a closed list the arrows change *sel at
// once. Escape closes the list without choosing.
func (c *Context) Dropdown(id string, r image.Rectangle, label string, choices []string, sel *int, help string) bool {
	label, help = i18n.T(label), i18n.T(help)
	shown := make([]string, len(choices)) // the names shown, in the current language
	for i, ch := range choices {
		shown[i] = i18n.T(ch)
	}
	choices = shown
	box := image.Rect(r.Min.X+r.Dx()*2/5, r.Min.Y, r.Max.X, r.Max.Y)
	changed := false
	// The open list answers first: it lies over other widgets.
	if c.open == id && c.popup != nil && c.in.Pressed && c.in.In(c.popup.r) {
		row := (c.in.Y - c.popup.r.Min.Y) / max(1, r.Dy())
		if row >= 0 && row < len(choices) && row != *sel {
			*sel = row
			changed = true
			c.Changed = true
		}
		c.open, c.popup = "", nil
	}
	hover, pressed, clicked := c.tap(id, r, help)
	if clicked && c.in.In(box) {
		if c.open == id {
			c.open, c.popup = "", nil
		} else {
			c.open = id
		}
	}
	hot := -1
	if c.popup != nil && c.popup.id == id {
		hot = c.popup.hot
	}
	if c.declare(Widget{ID: id, Role: "combobox", Rect: r, Label: label, Help: help}, pressed) {
		if c.open == id {
			// The arrows walk the open list; Enter or Space picks.
			if hot < 0 {
				hot = *sel
			}
			hot = listStep(hot, c.step(true), len(choices))
			if c.activated() {
				if hot >= 0 && hot < len(choices) && hot != *sel {
					*sel, changed, c.Changed = hot, true, true
				}
				c.open, c.popup = "", nil
			}
		} else if c.activated() {
			c.open, hot = id, *sel
		} else if k := c.step(true); k != 0 {
			// Closed: the arrows change the choice at once, as a native
			// select does.
			if n := listStep(*sel, k, len(choices)); n != *sel {
				*sel, changed, c.Changed = n, true, true
			}
		}
	}
	if c.open == id {
		h := r.Dy() * len(choices)
		pr := image.Rect(box.Min.X, box.Max.Y, box.Max.X, box.Max.Y+h)
		if !c.area.Empty() && pr.Max.Y > c.area.Max.Y { // open upwards near the bottom
			pr = pr.Add(image.Pt(0, -h-box.Dy()))
			if pr.Min.Y < c.area.Min.Y { // a long list in a short window: as high as it fits
				pr = pr.Add(image.Pt(0, min(c.area.Min.Y-pr.Min.Y, c.area.Max.Y-pr.Max.Y)))
			}
		}
		c.popup = &popup{id: id, r: pr, choices: choices, sel: *sel, hot: hot}
	}
	c.box(box, hover && c.in.In(box))
	name := "?"
	if *sel >= 0 && *sel < len(choices) {
		name = choices[*sel]
	}
	cy := (r.Min.Y + r.Max.Y) / 2
	c.text(box.Min.X+c.Px(6), cy, name, c.Style.Text, render.AlignLeft)
	c.arrow(box.Max.X-c.Px(12), cy, c.Px(4), c.Style.Muted)
	c.label(r.Min.X, cy, box.Min.X-r.Min.X-c.Px(6), label, c.labelColor(hover))
	c.order[len(c.order)-1].Value = name
	c.focusRing(id, r)
	return changed
}

// listStep moves index i of an n-item list by a step from Context.step:
// ±1 to a neighbour, −2/+2 to the first or last item, clamped.
func listStep(i, step, n int) int {
	switch step {
	case -2:
		return 0
	case 2:
		return n - 1
	}
	return max(0, min(n-1, i+step))
}

// PopupRect is the open dropdown list's rectangle (empty when closed).
func (c *Context) PopupRect() image.Rectangle {
	if c.popup == nil {
		return image.Rectangle{}
	}
	return c.popup.r
}

// DrawPopup draws the open dropdown list into dst (an overlay).
func (c *Context) DrawPopup(dst *image.RGBA) {
	p := c.popup
	if p == nil {
		return
	}
	rowH := p.r.Dy() / max(1, len(p.choices))
	render.FillRect(dst, p.r, c.Style.Control)
	for i, ch := range p.choices {
		row := image.Rect(p.r.Min.X, p.r.Min.Y+i*rowH, p.r.Max.X, p.r.Min.Y+(i+1)*rowH)
		if c.in.In(row) || i == p.hot {
			render.FillRect(dst, row, c.Style.ControlHover)
		}
		col := c.Style.Text
		if i == p.sel {
			col = c.Style.Accent
		}
		render.DrawText(dst, c.Th.Label, row.Min.X+c.Px(6), (row.Min.Y+row.Max.Y)/2, i18n.T(ch), col, render.AlignLeft, render.AlignMiddle)
	}
	render.StrokeRect(dst, p.r, c.Style.Border)
}

// arrow draws a small downward triangle centred at (cx, cy): the Go fonts
// have no such glyph.
func (c *Context) arrow(cx, cy, half int, col color.RGBA) {
	if c.dst == nil {
		return
	}
	for i := 0; i <= half; i++ {
		w := half - i
		render.FillRect(c.dst, image.Rect(cx-w, cy-half/2+i, cx+w+1, cy-half/2+i+1), col)
	}
}
