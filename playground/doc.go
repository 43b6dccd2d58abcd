// Package playground is the VAE playground's session: the table of settings
// that the controls, the tooltips and the URL state all read, the session
// that owns the data, the model, the trainer and the training history, the
// commands that change it, and the data every view draws.
//
// It never imports Ebitengine, so all of it is tested without a window; the
// game in package app only forwards input and blits pixels.
package playground
