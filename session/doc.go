// Package session is the VAE playground's session state, with no drawing:
// the table of settings that the controls, the tooltips and the URL state
// all read (settings.go, with the flow lab's targets and the views'
// interpolation modes it names), the session that owns the data, the model,
// the trainer and the training history (session.go, data.go, history.go),
// the runners that train inline, on a goroutine or in a Web Worker
// (runner.go, worker.go), the two-stage prior's second fit (stage2.go) and
// the per-frame time budgets everything inside the browser's frame shares
// (budget.go).
//
// It imports core, datasets and trainworker only: the scenes that draw a
// session (package playground and below) read it, it never reads them. A
// Session is a value of its own, so two of them can run side by side.
package session
