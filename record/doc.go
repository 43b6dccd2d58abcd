// Package record takes away what the playground shows: animated GIFs of a
// view recorded while a model trains, and the run's numbers and codes as CSV.
//
// A GIF records frames copied from an image the caller already drew (the
// game's screen, or a view drawn by the command line) and encodes them as a
// stream, one bounded slice of work per Work call. Capturing is a copy (or a
// box downscale) of the pixels and nothing else, so it can run on the drawing
// thread; quantising and LZW compression happen in Work, which a goroutine
// calls natively (Run) and the browser's single thread calls a little every
// frame (GOOS=js has no preemption, so one long call would stall the page).
// The output does not depend on how the work was sliced.
//
// One palette serves the whole recording, so colours never flicker between
// frames: up to 255 colours from a median cut over a sample of the first
// frame, plus exact colours the caller reserves (UI and class colours). No
// dithering: flat panels stay flat and heatmaps keep their gradient. A frame
// after the first carries only the bounding rectangle of the pixels that
// changed, with unchanged pixels inside it transparent, which keeps files
// of slowly changing views small.
//
// The CSV writers take plain inputs (slices, matrices, an io.Writer): the
// training history (WriteSteps, filled by a StepLog), the codes of the data
// (WriteCodes) and a comparison of two runs (WriteComparison). Numbers are
// written with the shortest representation that parses back to the same
// float64.
package record
