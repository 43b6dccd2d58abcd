// Package vaeview is the playground's VAE views as a scene (View, mode
// "vae"): the latent view, the data view, the loss and KL charts and the
// bottom view, drawn from a session's drawing model at bounded rates.
//
// What differs between 2-D points and images is a dataKind (kind.go),
// chosen when the data change: points show reconstructions, samples and
// interpolation paths in the data plane and a flow's layers (or the
// decoder map) below; images show inputs beside their reconstructions, the
// decoded manifold, a drawing pad and interpolation strips. compute.go
// holds what the views compute from the model, latent.go, points.go,
// images.go and charts.go the panels, tools.go the data view's tools in
// the controls column. It never imports the flow lab or the screen.
package vaeview
