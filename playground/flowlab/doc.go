// Package flowlab is the playground's flow lab as a scene (Lab, mode
// "flowlab"): it fits a normalizing flow to a density the user sees — a
// test energy, a 2-D dataset or a density painted in the target view — and
// shows the fit layer by layer while it runs.
//
// fit.go holds the fit (its configuration, the fitter and its twin, the
// transport, the painting), views.go the views' data, computed from the
// twin by a queue of small tasks inside a per-frame budget, draw.go the
// panels, lab.go the scene the screen hosts. The lab reads its settings
// (session.Setting.Lab) when the session's Version moves and pauses the
// VAE while it is shown. It never imports the VAE's scene or the screen.
package flowlab
