// Package ui is the playground's small widget set — button, toggle, slider
// with value, dropdown, number stepper, section header, tooltip — drawn in
// pure Go into an *image.RGBA.
//
// The widgets are immediate-mode: each frame the caller declares them with
// their rectangles and values, and a call returns whether the user changed
// the value. Input arrives as plain values (Input), so the widgets' logic is
// tested without a window; package app feeds them from Ebitengine.
package ui
