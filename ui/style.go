package ui

import (
	"image/color"

	"github.com/vaeplayground/vae/render"
)

// Style holds the widgets' colours.
type Style struct {
	Accent, Control, ControlHover, Text, Muted, Border, TipBG color.RGBA
	Focus                                                     color.RGBA // the keyboard focus ring
}

// DefaultStyle takes the widgets' colours from the theme's named ones.
func DefaultStyle(th *render.Theme) Style {
	return Style{
		Accent:       th.Accent,
		Control:      th.Control,
		ControlHover: th.ControlHover,
		Text:         th.Text,
		Muted:        th.MutedText,
		Border:       th.Frame,
		TipBG:        th.TooltipBG,
		Focus:        th.Focus,
	}
}
