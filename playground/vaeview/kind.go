package vaeview

import (
	"image"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

// dataKind is what the views do differently for 2-D points and for
// images. The View chooses one when the data change (dataChanged); the
// kinds keep no state of their own (it is the View's).
type dataKind interface {
	// prepare resets the kind's views for new data.
	prepare(vw *View)
	// codesEvery bounds how often the codes and decodes are recomputed
	// while training.
	codesEvery() time.Duration
	// compute recomputes the data-space views from the model.
	compute(vw *View, playing bool, now time.Time)
	// input handles the pointer over the data and bottom views.
	input(vw *View, in ui.Input)
	// hint sets the bottom view's tooltip when the kind has its own.
	hint(vw *View)
	// draw redraws the latent, data and bottom views where due.
	draw(vw *View, now time.Time)
	// overLatent draws the kind's marks over the latent view.
	overLatent(vw *View, dst *image.RGBA, vp render.Viewport, now time.Time)
}

// points: the views of a 2-D point set.
type points struct{}

func (points) prepare(*View) {}

func (points) codesEvery() time.Duration { return 33 * time.Millisecond }

func (points) compute(vw *View, _ bool, _ time.Time) {
	var sel *[]float64
	if vw.selected != nil {
		sel = &vw.selected
	}
	var a, b []float64
	if vw.interp() > 0 {
		a, b = vw.pathA, vw.pathB
	}
	vw.v.computeDataSpace(vw.s, sel, a, b, vw.rng)
}

func (points) input(vw *View, in ui.Input) { vw.dataInput(in) }

func (points) hint(vw *View) {
	if vw.decoderMap { // the view's hint says what the view shows
		vw.f.Hint("flow", vw.f.Layout.Flow, "Decoder map: this model has no flow, so the view shows the latent view's grid lines decoded into data space. Choose prior → flow or a posterior flow to see a flow's layers here.")
	}
}

func (points) draw(vw *View, now time.Time) {
	// The moving interpolation marker redraws the views at 30 Hz.
	animating := vw.interp() > 0 && vw.pathA != nil && vw.pathB != nil && vw.animT.Due(now)
	changed := vw.viewsDirty || vw.f.Full || animating
	if changed {
		vw.animT.Done(now)
		vw.viewsDirty = false
	}
	// A view out of sight on a phone's sheet is placed (its viewport
	// follows the codes, for the pointer) but drawn once it shows.
	if paint := vw.latentLater.Due(vw.f, vw.f.Layout.Latent, changed); paint || changed {
		vw.drawLatent(now, paint)
	}
	if paint := vw.dataLater.Due(vw.f, vw.f.Layout.Data, changed); paint || changed {
		vw.drawData(now, paint)
	}
	vw.flowT.Every = 0
	if vw.Playing() {
		vw.flowT.Every = 500 * time.Millisecond
	}
	changed = vw.f.Full || vw.s.Version != vw.flowVersion && vw.flowT.Due(now)
	if changed {
		vw.flowT.Done(now)
		vw.flowVersion = vw.s.Version
	}
	if vw.bottomLater.Due(vw.f, vw.f.Layout.Flow, changed) {
		vw.drawFlow()
	}
}

func (points) overLatent(vw *View, dst *image.RGBA, vp render.Viewport, now time.Time) {
	if vw.interp() > 0 && vw.pathA != nil && vw.pathB != nil {
		vw.drawLatentPaths(dst, vp, now)
	}
}

// images: the views of an image set.
type images struct{}

func (images) prepare(vw *View) { vw.iv.prepare(vw.s.Data, vw.s.Test) }

// image views encode and decode hundreds of images
func (images) codesEvery() time.Duration { return 150 * time.Millisecond }

func (images) compute(vw *View, playing bool, now time.Time) {
	gridEvery := time.Duration(0)
	if playing {
		gridEvery = 500 * time.Millisecond
	}
	vw.iv.compute(vw.s, &vw.v, vw.selected, gridEvery, now, vw.rng)
}

func (images) input(vw *View, in ui.Input) { vw.imageInput(in) }

func (images) hint(vw *View) {
	if !vw.f.Layout.Flow.Empty() {
		vw.f.Control("clearPad", vw.imageLayout().clear)
	}
	vw.f.Hint("flow", vw.f.Layout.Flow, "Left: the decoder's images over the latent plane (2-D latent) or one row per latent dimension swept over ±3. Middle: draw an image — its posterior (red ellipse in the latent view) and reconstruction follow as you draw. Right: the decoded paths between two test images, straight and along a great circle.")
}

func (images) draw(vw *View, now time.Time) {
	// The latent view, the inputs and samples, and below them the
	// manifold, the pad and the interpolation strips (whose moving frame
	// redraws them ten times a second).
	changed := vw.viewsDirty || vw.f.Full
	if paint := vw.latentLater.Due(vw.f, vw.f.Layout.Latent, changed); paint || changed {
		vw.drawLatent(now, paint)
	}
	if changed { // always: the inputs' tiles, where a click picks an end, come from drawing them
		vw.drawImageData()
	}
	changed = changed || vw.bottomT.Due(now)
	if changed {
		vw.bottomT.Done(now)
	}
	if vw.bottomLater.Due(vw.f, vw.f.Layout.Flow, changed) {
		vw.drawImageBottom(now)
	}
	vw.viewsDirty = false
}

func (images) overLatent(vw *View, dst *image.RGBA, vp render.Viewport, _ time.Time) {
	if vw.iv.padActive {
		// The drawing's posterior, moving as it is drawn.
		render.PosteriorEllipse(dst, vp, vw.iv.padMu, vw.iv.padSigma, vw.f.Theme.Selection)
	}
}
