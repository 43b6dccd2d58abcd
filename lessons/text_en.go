package lessons

// english is the lessons' message table in English (the fallback).
var english = map[string]string{
	"priors.title": "When p(z) is unknown",
	"flows.title":  "Flows: more layers, closer fit",

	"ui.lessons":   "Lessons",
	"ui.step":      "Step %d of %d",
	"ui.next":      "Next ›",
	"ui.prev":      "‹ Back",
	"ui.do":        "Do",
	"ui.notice":    "Notice",
	"ui.steps":     "Steps",
	"ui.close":     "Close the lesson",
	"ui.none":      "No lesson",
	"ui.done":      "●",
	"ui.waiting":   "…",
	"ui.stepshelp": "The lesson's steps: pick one to open it (its settings are applied).",

	// The priors lesson.
	"priors.standard.title":  "1 · The standard prior",
	"priors.standard.body":   "A VAE encodes each point x as a Gaussian q(z|x) and decodes z back. The KL term compares q(z|x) with a prior p(z), almost always the standard normal N(0, I): it has no parameters, samples are free, and its KL to a Gaussian has a closed form, computed exactly for every point.",
	"priors.standard.do":     "Press Play and watch the loss fall.",
	"priors.standard.notice": "The ELBO rises while the codes (right) spread out from the origin.",

	"priors.standard.trained.wait0": "Waiting for the first training step.",
	"priors.standard.trained.wait":  "ELBO %s nats at step %d: waiting for it to rise.",
	"priors.standard.trained.done":  "The ELBO rose from %s to %s nats in %d steps; its KL term, N(0, I)'s closed form, is %s nats.",

	"priors.kl.title":  "2 · The KL term as a regulariser",
	"priors.kl.body":   "The KL term pulls every q(z|x) towards p(z): it costs nats to put a code away from the origin or to make it sharp. The reconstruction term pulls the other way, towards codes that tell the points apart. Training is a tug of war between the two.",
	"priors.kl.do":     "Keep training; watch the KL chart, one line per latent dimension.",
	"priors.kl.notice": "The KL grows as the codes separate: information about x costs nats.",

	"priors.kl.pull.wait0": "Waiting for training steps (the KL per dimension comes with them).",
	"priors.kl.pull.wait":  "KL %s nats so far; reconstruction log p(x|z) = %s.",
	"priors.kl.pull.done":  "The codes pay %s nats of KL (z₁ %s, z₂ %s) to reconstruct at log p(x|z) = %s nats.",

	"priors.holes.title":  "3 · Holes between the clusters",
	"priors.holes.body":   "Eight clusters cannot all sit where N(0, I) has its mass. The aggregate posterior q(z), all codes together (white contours), leaves gaps where the prior (background) is still high. Samples z ~ p(z) that land in those gaps decode to points between the clusters: bad samples.",
	"priors.holes.do":     "Train on; compare the contours with the background, and the samples with the data.",
	"priors.holes.notice": "Some of the model's samples fall between the clusters.",

	"priors.holes.wait0":      "Step %d: the measure starts at step %d.",
	"priors.holes.wait":       "Step %d: %s%% of the prior's samples decode into holes.",
	"priors.holes.holes.done": "%s%% of %d samples from N(0, I) decode farther than %s from every data point: they fell in the holes between the clusters.",
	"priors.holes.fewer":      "Only %[2]s%% of the %[1]s prior's samples fall in holes, where N(0, I) left %[3]s%% on the same data and seed.",
	"priors.holes.few":        "Only %[2]s%% of the %[1]s prior's samples fall in holes.",

	"priors.collapse.title":  "4 · β and posterior collapse",
	"priors.collapse.body":   "Weigh the KL term by β. With β > 1 the prior wins: a dimension whose information is not worth its KL is switched off, q(z_j|x) = p(z_j) for every x. Its KL per dimension falls to zero: the posterior has collapsed, and the decoder ignores it.",
	"priors.collapse.do":     "Drag β to 4.",
	"priors.collapse.notice": "One KL line after the other drops to zero, and the codes fall onto the origin.",

	"priors.collapse.beta.wait":      "β = %s: drag it to 4 or more.",
	"priors.collapse.beta.done":      "β = %s: the KL now weighs more than the reconstruction.",
	"priors.collapse.collapsed.wait": "KL per dimension: %s nats.",
	"priors.collapse.collapsed.done": "The KL of z%d fell to %s nats (below 0.05): collapsed. Active units: %d of %d.",

	"priors.freebits.title":  "5 · Free bits",
	"priors.freebits.body":   "Free bits forgive each dimension its first λ nats of KL: below λ the KL term has no pull, so the prior cannot switch a dimension off. A soft guard that keeps the KL and still lets the decoder use z.",
	"priors.freebits.do":     "At β = 4, set free bits to 0.5.",
	"priors.freebits.notice": "Every KL line climbs back to about λ, and the clusters come back apart.",

	"priors.freebits.open.wait0": "Free bits %s; KL per dimension: %s nats.",
	"priors.freebits.open.wait":  "Free bits %s; KL per dimension: %s nats (waiting for every one to reach λ).",
	"priors.freebits.open.done":  "With %s free nats per dimension, every dimension stays open at β = %[3]s: %[2]s nats.",

	"priors.flow.title":  "6 · A flow prior",
	"priors.flow.body":   "If p(z) is unknown, learn it. A normalizing flow g maps z to a standard normal through K invertible layers; the prior is N(0, I) seen through g, bent layer by layer (bottom view) until its mass sits on the codes.",
	"priors.flow.do":     "Press Play; watch the flow view bend the grid and the background follow the codes.",
	"priors.flow.notice": "The prior's mass moves onto the clusters: the holes close.",

	"priors.flowgain.title":  "7 · What the flow gains",
	"priors.flowgain.body":   "The same data, the same seed: A has the flow prior, B the standard one. Both train step for step; the table scores both on held-out points.",
	"priors.flowgain.do":     "Press Play and let both train a few thousand steps.",
	"priors.flowgain.notice": "A's ELBO pulls ahead of B's by more than the noise between held-out batches.",

	"priors.flowgain.gain.wait": "A − B: %s nats of ELBO (± %s) at step %d.",
	"priors.flowgain.gain.done": "The flow prior's held-out ELBO is %s nats above the standard prior's (%s against %s, ± %s) after %d steps.",
	"priors.compare.off":        "The comparison is off: turn Compare on.",
	"priors.compare.wait":       "Both trained %d steps: the table is judged from step %d.",

	"priors.mixture.title":  "8 · A mixture prior",
	"priors.mixture.body":   "A mixture of K Gaussians is a prior with parameters: its means, variances and weights train with the VAE. Its components drift to where the codes are; you can also drag a component in the latent view and watch training take it from there.",
	"priors.mixture.do":     "Press Play; then drag a component away from its cluster.",
	"priors.mixture.notice": "The ellipses settle on the clusters, one per cluster of codes.",

	"priors.mixture.drift.none": "The prior is not a mixture.",
	"priors.mixture.drift.wait": "%d of %d clusters of codes have a component on them (farthest %s away; it counts within %s, half the gap between neighbouring clusters).",
	"priors.mixture.drift.done": "Each of the %d clusters of codes has a component on its centre: the farthest is %s away, within %s, half the gap between neighbouring clusters.",

	"priors.vamp.title":  "9 · The VampPrior",
	"priors.vamp.body":   "The VampPrior makes the prior out of the encoder itself: a mixture of the posteriors of K learnt pseudo-inputs u_k. Prior and posterior speak the same language, so the prior follows the codes by construction.",
	"priors.vamp.do":     "Press Play and compare the background with the codes.",
	"priors.vamp.notice": "The prior's density is a set of blobs where the codes are.",

	"priors.bayes.title":  "10 · A Bayesian decoder",
	"priors.bayes.body":   "Give every decoder weight a Gaussian instead of one value. Where the decoder saw codes of data, the weights agree; far from them, they disagree, and the decodes of one z spread out. The model says where it does not know.",
	"priors.bayes.do":     "Press Play; then click in the latent view far from the codes and near them.",
	"priors.bayes.notice": "The cloud of decodes of a far-away z is wider than that of a code.",

	"priors.bayes.spread.none": "The decoder is not Bayesian.",
	"priors.bayes.spread.wait": "Decoder spread %s away from the codes, %s at them.",
	"priors.bayes.spread.done": "The decoder's spread is %s at |z| = %d, %s× its %s at the codes: it is unsure where it saw no data.",

	"priors.twostage.title":  "11 · The two-stage prior",
	"priors.twostage.body":   "Train the VAE as usual, then fit a second, small VAE to its codes. The second VAE's density replaces N(0, I): it has learnt where the codes actually are, and its samples go there.",
	"priors.twostage.do":     "Train stage one; then press \"fit the second stage\" in the Prior section.",
	"priors.twostage.notice": "The background changes to the second stage's density. Are fewer samples between the clusters than under N(0, I) with the same decoder? In two dimensions the codes are already close to Gaussian: the gain is small.",

	"priors.twostage.trained.done": "Stage one has trained %d steps: fit the second stage.",
	"priors.twostage.fitted.wait0": "Press \"fit the second stage\".",
	"priors.twostage.fitted.wait":  "Fitting the second stage: %d of %d steps.",
	"priors.twostage.fitted.done":  "The second stage's samples fall in holes %s%% of the time, N(0, I)'s %s%%, on the same decoder (fitted to the codes of step %d).",

	"priors.mmd.title":  "12 · MMD: match the codes as a whole",
	"priors.mmd.body":   "A small β lets every code be sharp, but then nothing holds the codes together: q(z) drifts away from p(z). The MMD term compares the whole cloud of codes with samples of p(z), not each posterior: it keeps q(z) on the prior without pressing every q(z|x) onto it (InfoVAE).",
	"priors.mmd.do":     "Train at β = 0.1 until the codes spread; then set the MMD weight to 50.",
	"priors.mmd.notice": "The codes draw back onto the prior's disc; the MMD² falls.",

	"priors.mmd.spread.wait":    "MMD² between codes and p(z): %s.",
	"priors.mmd.spread.done":    "At β = %s the codes spread: MMD² to N(0, I) is %s, and %s%% of the samples fall in holes.",
	"priors.mmd.matched.wait0":  "MMD weight %s: set it to 50.",
	"priors.mmd.matched.wait":   "MMD weight %s: MMD² %s.",
	"priors.mmd.matched.done":   "With MMD weight %s the MMD² fell from %s to %s: the aggregate posterior is back on N(0, I).",
	"priors.compare.title":      "13 · The priors side by side",
	"priors.compare.body":       "The same data and seed, two priors: A the standard normal, B the mixture. The table scores both on held-out points: the ELBO, the tighter IWAE bound, and their parts. Change B's prior to flow or vamp to line up the others.",
	"priors.compare.do":         "Press Play; let both train; read the table.",
	"priors.compare.notice":     "The learnt prior keeps the KL and fits the codes: its bound is higher.",
	"priors.compare.table.done": "After %d steps on the same data and seed: %s − %s = %s nats of ELBO (± %s), %s of IWAE (A %[7]s, B %[8]s).",

	// The flows lesson.
	"flows.k2.title":   "1 · Two planar layers",
	"flows.k2.body":    "A normalizing flow pushes N(0, I) through K invertible layers; the density follows by the change of variables. Here it is fitted to the energy U1, a ring with two lobes, by the reverse KL from its own samples.",
	"flows.k2.do":      "Press Play and let the fit run.",
	"flows.k2.notice":  "Two layers can bend the Gaussian only so far: the ring stays partly filled.",
	"flows.k8.title":   "2 · Eight layers",
	"flows.k8.body":    "Each planar layer bends space along one direction. More layers, more bends.",
	"flows.k8.do":      "Press Play.",
	"flows.k8.notice":  "The samples follow the ring further; the KL ends lower.",
	"flows.k32.title":  "3 · Thirty-two layers",
	"flows.k32.body":   "With 32 layers the flow can wrap the Gaussian around the ring; each step costs more.",
	"flows.k32.do":     "Press Play.",
	"flows.k32.notice": "The KL falls further: depth buys a closer fit.",

	"flows.lab.off":   "Open the flow lab (mode flowlab).",
	"flows.fit.wait0": "Fit step %d: the KL is judged at step %d.",
	"flows.fit.wait":  "KL %s nats at step %d (judged at step %d).",
	"flows.fit.done":  "With %d layers the KL to U1 is %s nats at step %d.",
	"flows.fit.below": "With %d layers the KL to U1 is %s nats at step %d, below the %d layers' %s.",
}
