// Package playground is the VAE playground's screen: a shell around the
// scene the "mode" setting names. The shell owns the top bar (transport,
// status line, file buttons), the controls column (one control per row of
// session's settings table, plus the scene's own tools), the status line
// and the overlay (help, open lists, tooltips), and lays the screen out;
// the scenes (package vaeview, package flowlab, both implementing
// scene.Scene) own the main area. New scene kinds register in Scenes. While
// "Compare" (top bar, compare= in the link) is on, the comparison's scene
// (package compare) takes the VAE's place and the controls column edits
// the model it names (A or B).
//
// It never imports Ebitengine, so all of it is tested without a window; the
// game in package app only forwards input and blits pixels.
package playground
