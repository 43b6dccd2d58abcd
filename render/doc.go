// Package render draws every view of the VAE playground into *image.RGBA.
//
// It is pure Go (golang.org/x/image for anti-aliased paths and text) and never
// imports Ebitengine, syscall/js or the model package, so every view can be
// tested on pixels without a window and reused by the CLI for PNG reports.
// Callers compute the data with the model and hand it over as plain values:
// grids of log-densities ([Grid]), points ([Point]), 2×2 covariances ([Cov2]),
// images as []float64 in [0,1], loss series ([Series]).
//
// Every drawing function is destination first and pure: it writes only into
// dst, inside the rectangle it is given, and keeps no state between calls.
// The only state a caller holds is a [Theme] (colours and font faces); its
// faces are not safe for concurrent use, so give each goroutine its own.
//
// Coordinates: data space has y pointing up; pixel space has y pointing down,
// with pixel (i, j) covering [i, i+1)×[j, j+1) and its centre at (i+½, j+½).
// A [Viewport] maps between the two both ways, so a click at pixel (i, j)
// lands on Viewport.PixelCenter(i, j) in data space.
//
// The views:
//
//   - density heatmaps of a log-density on a grid, with an automatic range in
//     log space ([AutoLogRange]), a colour bar and marching-squares contours
//     ([Heatmap], [Colorbar], [Contours], [ContourSegments], [GaussianLevels]);
//   - scatter plots coloured by class or by value, with posterior ellipses
//     ([Scatter], [ClassColors], [ValueColors], [DrawEllipse], [PosteriorEllipse]);
//   - mixture components with draggable handles ([MixtureComponents], [HitHandle]);
//   - flow views: a warped grid, the density after each layer and a
//     log|det J| map ([GridLines], [Polylines], [FlowView]);
//   - image tiles, reconstruction pairs and interpolation strips
//     ([Tiles], [ManifoldCodes], [ReconstructionPairs], [InterpolationCodes],
//     [Lerp], [Slerp]);
//   - line charts with ticks, labels, legend and a log-scale option ([LineChart]);
//   - text ([DrawText], [DrawParagraph]).
package render
