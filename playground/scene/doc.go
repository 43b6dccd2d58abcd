// Package scene holds what the playground's views draw with: a cached
// panel (Panel) that repaints its static part only when its key changes, a
// content key for what redraws in place (Key), a throttle for periodic work
// (Throttle), a rate meter (Rate) and the text fitting of captions and
// titles (FitText).
//
// It imports render only: it draws nothing of its own and owns no window,
// so it is tested from outside with plain images.
package scene
