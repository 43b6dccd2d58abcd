// Package compare is the playground's comparison scene: two models, A (the
// screen's session) and B (A changed by the settings changed on B), trained
// step for step by session.Compare, drawn side by side — their latent views
// on the same axes, their data views, the loss curves overlaid (A solid, B
// dashed) and the results table (held-out ELBO, IWAE bound, reconstruction,
// KL, active units, steps, steps/s, with B − A and whether it exceeds the
// spread over held-out batches). A narrow main area stacks A above B.
//
// It implements scene.Scene and imports session, scene, render and ui: it
// shares no code with the other scenes (vaeview, flowlab) and draws with
// render's views. The controls column edits A or B (EditedValues,
// SetSetting), with "copy A → B" among the scene's tools.
package compare
