// Package ui is the playground's small widget set — button, toggle, slider
// with value, dropdown, number stepper, section header, tooltip — drawn in
// pure Go into an *image.RGBA, with a row and column layout helper.
//
// The widgets are immediate-mode: each frame the caller declares them with
// their rectangles and values, and a call returns whether the user changed
// the value. Input arrives as plain values (Input), so the widgets' logic is
// tested without a window; package app feeds them from Ebitengine.
//
// One widget per file: button.go, toggle.go, slider.go, dropdown.go (and
// its open list), stepper.go, section.go, tooltip.go (tooltips and hints
// for regions that are not widgets). context.go holds the state carried
// from frame to frame, input.go the frame's input and style.go the colours,
// which come from the render.Theme's named control colours (Accent,
// Control, ControlHover, Focus, TooltipBG).
//
// Layout (layout.go) places widgets the way debugui's SetGridLayout does:
// Rows and Columns split a rectangle into Fixed and Flex tracks with one
// gap between neighbours, sizes in CSS pixels and the device scale applied
// once, to the edges.
//
// Keyboard (focus.go): the focusable widgets, in the order they are
// declared (declare them in reading order), form the focus order. Tab and
// Shift-Tab walk it with a visible ring, Enter and Space activate, the
// arrows, Home and End change a slider, stepper or dropdown, Escape closes
// an open list. Keys arrive in Input.Keys; KeyTaken tells the app which
// ones a widget used. Focused and Widgets describe the controls (role,
// rectangle, label, value, help) so that the app can scroll the focused
// one into view, mirror it to a screen reader and report it to tests.
//
// Touch (touch.go): Input.Touch marks a finger. The first one switches
// the Context to DensityTouch, under which Target gives rows of at least
// MinTouchTarget (44) CSS pixels; a tap acts on release (a swipe or a
// press that began elsewhere does not), a long press shows the tooltip
// instead of acting, and a lifted finger hovers nothing.
package ui
