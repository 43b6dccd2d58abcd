// Package input turns the pointer's events — mouse, pen and touch, from the
// page's pointer events or from Ebitengine's polled state — into the
// per-frame ui.Input the widgets read, without losing any of them.
//
// Events are queued in order (Queue.Push may be called from any goroutine,
// such as a browser event handler) and each Queue.Next, called once per
// Update, consumes them up to and including one press or release: two
// clicks that arrive between two frames reach the UI as two clicks on
// consecutive Updates, and a press and its release within one frame as a
// press on one Update and the release on the next. Moves and wheel turns
// between transitions are merged (the last position, the summed wheel),
// but a held pointer's path is kept (ui.Input.Path): a stroke drawn through
// a slow frame keeps its points, with the browser's coalesced moves too.
//
// Touches go through a small gesture recogniser first (see Gestures): a
// second finger is ignored while the first is down, a lifted finger hovers
// nothing, and on a panel that scrolls a finger is held back briefly, as in
// a scroll view: moving up or down at once it scrolls like a wheel, moving
// sideways it drags from where it went down (a slider), lifted at once it
// taps, resting it presses. Elsewhere a finger presses at once (draw, drag,
// tap to decode). Taps on release and the long press that shows help are
// the widgets' (ui.Input.Touch says the pointer is a finger).
//
// The package never imports Ebitengine or syscall/js, so it is tested
// without a window or a browser.
package input
