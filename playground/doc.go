// Package playground is the VAE playground's screen: the top bar, the
// controls column, the views of the VAE and the flow lab, the status line
// and the overlay (help, open lists, tooltips), drawn into image.RGBA from
// plain input for one session.Session (package session holds the state,
// the settings table and training).
//
// It never imports Ebitengine, so all of it is tested without a window; the
// game in package app only forwards input and blits pixels.
package playground
