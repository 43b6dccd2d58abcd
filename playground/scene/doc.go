// Package scene is what the playground's screen and its scenes share: the
// Scene interface a kind of view implements (the VAE's views, the flow
// lab), the Frame a scene draws into for one frame, the Layout of the
// screen's regions and the key names; and the repeated mechanisms of
// drawing at bounded rates — a cached panel that repaints its static part
// only when its key changes (Panel), a content key for what redraws in
// place (Key), a throttle for periodic work (Throttle), a rate meter
// (Rate) — with the text fitting of titles and captions (FitText) and the
// point conversions the views batch through the model.
//
// It imports render, ui and gonum's mat only, draws nothing of its own and
// owns no window, so it is tested from outside with plain images; package
// scenetest runs one scene without the screen for the scenes' own tests.
package scene
