package session

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/i18n"
)

// Kind is the type of a setting's value.
type Kind int

const (
	Float  Kind = iota // a real number in [Min, Max]
	Int                // an integer in [Min, Max]
	Choice             // the index of one of Choices, written by name
	Bool               // 0 or 1
)

// Effect says what a change of the setting does to a running session.
type Effect int

const (
	// Rebuild: the model (and possibly the data) is made anew.
	Rebuild Effect = iota
	// Live: the trainer takes the new value at its next step.
	Live
	// View: only what is drawn changes.
	View
	// Refit: the flow lab starts a new fit (the VAE is untouched).
	Refit
)

// Setting is one row of the settings table.
type Setting struct {
	Key      string // stable name in URLs and the command hooks
	Label    string // short name on the control
	Section  string
	Kind     Kind
	Min      float64
	Max      float64
	Default  float64
	LogScale bool     // sliders move on a log scale
	Choices  []string // Choice: the names
	Effect   Effect
	Help     string // one or two plain sentences for the tooltip
	// Shown says whether the control applies under the current values
	// (nil: always). Hidden settings keep their value.
	Shown func(v *Values) bool
	// Lab marks the flow lab's settings: the controls show them in the lab
	// mode and the VAE's settings otherwise (the URL keeps both).
	Lab bool
	// Shell marks the playground's own settings (mode, theme, palette):
	// shown in every mode, and never A's or B's in a comparison.
	Shell bool
}

// Check validates x for the setting.
func (s *Setting) Check(x float64) error {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("%s: %v is not a number", s.Key, x)
	case s.Kind == Choice && (x != math.Trunc(x) || x < 0 || int(x) >= len(s.Choices)):
		return fmt.Errorf("%s: no choice %v", s.Key, x)
	case s.Kind == Bool && x != 0 && x != 1:
		return fmt.Errorf("%s: %v is not 0 or 1", s.Key, x)
	case s.Kind == Int && x != math.Trunc(x):
		return fmt.Errorf("%s: %v is not an integer", s.Key, x)
	case (s.Kind == Int || s.Kind == Float) && (x < s.Min || x > s.Max):
		return fmt.Errorf("%s: %s outside [%s, %s]", s.Key, s.Format(x), s.Format(s.Min), s.Format(s.Max))
	}
	return nil
}

// Clamp brings x into the setting's range (rounding integers).
func (s *Setting) Clamp(x float64) float64 {
	if math.IsNaN(x) {
		return s.Default
	}
	switch s.Kind {
	case Choice:
		return math.Max(0, math.Min(float64(len(s.Choices)-1), math.Round(x)))
	case Bool:
		if x >= 0.5 {
			return 1
		}
		return 0
	case Int:
		x = math.Round(x)
	}
	return math.Max(s.Min, math.Min(s.Max, x))
}

// Format writes x as the URL and the control show it.
func (s *Setting) Format(x float64) string {
	switch s.Kind {
	case Choice:
		if i := int(x); i >= 0 && i < len(s.Choices) {
			return s.Choices[i]
		}
		return "?"
	case Bool:
		if x != 0 {
			return "on"
		}
		return "off"
	case Int:
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// Parse reads a value written by Format (choices by name, booleans as
// on/off/1/0/true/false) and validates it.
func (s *Setting) Parse(text string) (float64, error) {
	text = strings.TrimSpace(text)
	switch s.Kind {
	case Choice:
		if i := slices.Index(s.Choices, text); i >= 0 {
			return float64(i), nil
		}
		return 0, fmt.Errorf("%s: unknown choice %q", s.Key, clip(text, 24))
	case Bool:
		switch strings.ToLower(text) {
		case "1", "on", "true", "yes":
			return 1, nil
		case "0", "off", "false", "no":
			return 0, nil
		}
		return 0, fmt.Errorf("%s: %q is not on or off", s.Key, clip(text, 24))
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", s.Key, clip(text, 24))
	}
	return x, s.Check(x)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// UserSets are the dataset choices that hold the user's own points.
const (
	DrawnSet    = "drawn"
	ImportedSet = "imported"
)

// dataSets lists the sets of the registry the playground trains on: the
// generated 2-D sets, the image sets, then the user's own points.
func dataSets() []string {
	var names []string
	for _, e := range datasets.List() {
		if e.Kind == datasets.Points2D && e.Source == datasets.Generated {
			names = append(names, e.Name)
		}
	}
	for _, e := range datasets.List() {
		if e.Kind == datasets.Image {
			names = append(names, e.Name)
		}
	}
	return append(names, DrawnSet, ImportedSet)
}

// IsImageSet reports whether the dataset called name holds images.
func IsImageSet(name string) bool {
	e, ok := datasets.Lookup(name)
	return ok && e.Kind == datasets.Image
}

// imageDefaults are the model settings an image set starts with (the
// reference image model: 784-256-(2·2) / 2-256-784, ReLU, Bernoulli with
// dynamic binarisation); pointDefaults are the 2-D ones, restored when
// switching back.
var imageDefaults = map[string]string{"depth": "1", "width": "256", "act": "relu", "lik": "bernoulli", "lr": "0.001", "batch": "128"}
var pointDefaults = map[string]string{"depth": "2", "width": "64", "act": "tanh", "lik": "gaussian", "lr": "0.003", "batch": "128"}

// Modes are the playground's two modes.
var Modes = []string{"vae", "flowlab"}

// Themes are the theme setting's choices: auto follows the system's light
// or dark preference (Screen.PrefersLight).
var Themes = []string{"auto", "dark", "light"}

// Palettes are the class palette setting's choices (render's names).
var Palettes = []string{"default", "colorblind"}

// likelihoods are the decoder choices, mapped onto core's config.
var likelihoods = []string{"gaussian", "gaussian-scalar", "bernoulli"}

// widths are the hidden-layer widths offered.
const maxWidth, maxDepth, maxLatent = 512, 4, 16

// speeds caps training steps per second (0: as fast as the frame allows).
var speeds = []string{"slow", "medium", "fast", "max"}
var speedStepsPerSecond = []float64{5, 30, 200, 0}

func hasPrior(names ...string) func(v *Values) bool {
	return func(v *Values) bool { return slices.Contains(names, v.Choice("prior")) }
}

func hasPosteriorFlow(v *Values) bool { return v.Choice("flow") != "none" }

// LessonNames are the lessons of the "lesson" setting (package lessons
// holds their steps), none first.
var LessonNames = []string{"none", "priors", "flows"}

// MaxLessonSteps bounds the "step" setting (a lesson has at most as many).
const MaxLessonSteps = 30

// never hides a setting that has its control elsewhere (the language: the
// top bar's switch; the lesson and its step: the lesson column).
func never(*Values) bool { return false }

// Table is the settings table, one row per control. Dataset parameters are
// not in it: they come from the dataset registry (see DataSettings).
var Table []*Setting

// The table is built in init: its Shown functions read Values, which read it.
func init() { Table = table() }

func table() []*Setting {
	return []*Setting{
		{Key: "mode", Label: "mode", Section: "Playground", Kind: Choice, Choices: Modes, Effect: View, Shell: true,
			Help: "vae: train a variational autoencoder on 2-D points. flowlab: fit a normalizing flow to a density you pick or paint, and watch it learn layer by layer."},
		{Key: "lesson", Label: "lesson", Section: "Playground", Kind: Choice, Choices: LessonNames, Effect: View, Shown: never,
			Help: "The lesson shown in the text column beside the views (the top bar's Lessons entry chooses it; none: no column)."},
		{Key: "step", Label: "lesson step", Section: "Playground", Kind: Int, Min: 1, Max: MaxLessonSteps, Default: 1, Effect: View, Shown: never,
			Help: "The lesson's step, from 1: a link with step=4 opens step 4 (a step past the lesson's end opens its last)."},
		{Key: "theme", Label: "theme", Section: "Playground", Kind: Choice, Choices: Themes, Effect: View, Shell: true,
			Help: "Dark or light colours. auto follows the system's setting (the browser's light or dark preference; dark on the desktop)."},
		{Key: "palette", Label: "class colours", Section: "Playground", Kind: Choice, Choices: Palettes, Effect: View, Shell: true,
			Help: "The colours of the classes and marks. colorblind: Okabe and Ito's palette, whose colours stay apart for red-green colour blindness too."},

		{Key: "data", Label: "dataset", Section: "Data", Kind: Choice, Choices: dataSets(), Effect: Rebuild,
			Help: "What the VAE learns to encode and generate: 2-D point sets, images (procedural shapes, MNIST digits, Fashion-MNIST, fetched when chosen), or your own points: 'drawn' in the data view, 'imported' from a CSV dropped on the window."},
		{Key: "dseed", Label: "data seed", Section: "Data", Kind: Int, Min: 1, Max: 999999, Default: 1, Effect: Rebuild,
			Help: "Seed of the random dataset: the same seed gives the same points."},

		{Key: "latent", Label: "latent dim", Section: "Model", Kind: Int, Min: 1, Max: maxLatent, Default: 2, Effect: Rebuild,
			Help: "Size of the code z. With more than 2 dimensions the latent view shows the two chosen below."},
		{Key: "depth", Label: "hidden layers", Section: "Model", Kind: Int, Min: 1, Max: maxDepth, Default: 2, Effect: Rebuild,
			Help: "Hidden layers in the encoder and in the decoder."},
		{Key: "width", Label: "hidden width", Section: "Model", Kind: Int, Min: 4, Max: maxWidth, Default: 64, LogScale: true, Effect: Rebuild,
			Help: "Units per hidden layer. Wider networks fit finer detail but train slower."},
		{Key: "act", Label: "activation", Section: "Model", Kind: Choice, Choices: core.ActivationNames(), Default: float64(slices.Index(core.ActivationNames(), "tanh")), Effect: Rebuild,
			Help: "The nonlinearity between layers. tanh gives smooth maps, relu piecewise-linear ones."},
		{Key: "lik", Label: "decoder", Section: "Model", Kind: Choice, Choices: likelihoods, Effect: Rebuild,
			Help: "The decoder's likelihood p(x|z): a Gaussian with a learnt variance per coordinate, or one shared variance. Bernoulli is for images in [0, 1]."},
		{Key: "bayes", Label: "Bayesian decoder", Section: "Model", Kind: Bool, Effect: Rebuild,
			Help: "Give every decoder weight a learnt Gaussian instead of one value: the data view then shows where the decoder is unsure."},

		{Key: "prior", Label: "prior", Section: "Prior", Kind: Choice, Choices: core.PriorNames(), Default: float64(slices.Index(core.PriorNames(), "standard")), Effect: Rebuild,
			Help: "p(z), the density codes should follow. Learnt priors (mixture, VampPrior, flow) bend towards where the codes actually are."},
		{Key: "comps", Label: "components K", Section: "Prior", Kind: Int, Min: 1, Max: 64, Default: 8, Effect: Rebuild, Shown: hasPrior("mixture", "vamp"),
			Help: "Mixture components (or VampPrior pseudo-inputs). Drag a component's centre or its handles in the latent view."},
		{Key: "pflow", Label: "prior flow", Section: "Prior", Kind: Choice, Choices: core.FlowNames(), Effect: Rebuild, Shown: hasPrior("flow"),
			Help: "Layer type of the flow prior. A planar layer bends space along one direction; a radial one pulls it towards or away from a point."},
		{Key: "pflowK", Label: "prior layers K", Section: "Prior", Kind: Int, Min: 1, Max: 64, Default: 8, Effect: Rebuild, Shown: hasPrior("flow"),
			Help: "How many flow layers the prior stacks. More layers can shape more complex densities."},
		{Key: "flow", Label: "posterior flow", Section: "Prior", Kind: Choice, Choices: append([]string{"none"}, core.FlowNames()...), Effect: Rebuild,
			Help: "Push each posterior sample through K flow layers, so q(z|x) is no longer a plain Gaussian ellipse."},
		{Key: "flowK", Label: "posterior layers", Section: "Prior", Kind: Int, Min: 1, Max: 32, Default: 4, Effect: Rebuild, Shown: hasPosteriorFlow,
			Help: "Layers of the posterior flow; its parameters come from an encoder head, one set per data point."},

		{Key: "beta", Label: "β (KL weight)", Section: "Objective", Kind: Float, Min: 0, Max: 10, Default: 1, Effect: Live,
			Help: "Weight of the KL term. β > 1 pushes codes towards the prior (smoother, blurrier); β < 1 favours reconstruction."},
		{Key: "warmup", Label: "KL warm-up", Section: "Objective", Kind: Int, Min: 0, Max: 20000, Default: 0, Effect: Live,
			Help: "Steps over which the KL weight rises from 0 to β, so the decoder learns to use z before the KL squeezes it."},
		{Key: "freebits", Label: "free bits", Section: "Objective", Kind: Float, Min: 0, Max: 4, Default: 0, Effect: Live,
			Help: "Nats of KL per latent dimension that cost nothing: a guard against posterior collapse."},
		{Key: "mmd", Label: "MMD weight", Section: "Objective", Kind: Float, Min: 0, Max: 100, Default: 0, Effect: Live,
			Help: "Adds λ·MMD² between the codes and prior samples (InfoVAE): matches the aggregate posterior to the prior."},
		{Key: "mmdk", Label: "MMD kernel", Section: "Objective", Kind: Choice, Choices: core.MMDKernelNames(), Effect: Live,
			Shown: func(v *Values) bool { return v.Get("mmd") > 0 },
			Help:  "Kernel of the MMD: inverse multiquadric (heavy tails) or Gaussian RBF."},

		{Key: "lr", Label: "learning rate", Section: "Training", Kind: Float, Min: 1e-5, Max: 0.1, Default: 3e-3, LogScale: true, Effect: Live,
			Help: "Adam's step size. Too large and the loss jumps or diverges; too small and nothing moves."},
		{Key: "batch", Label: "batch size", Section: "Training", Kind: Int, Min: 1, Max: 1024, Default: 128, LogScale: true, Effect: Live,
			Help: "Points per training step. Larger batches give smoother gradients but cost more per step."},
		{Key: "seed", Label: "seed", Section: "Training", Kind: Int, Min: 1, Max: 999999, Default: 1, Effect: Rebuild,
			Help: "Seed of the initial weights and of the training noise: the same settings and seed replay the same run."},
		{Key: "speed", Label: "speed", Section: "Training", Kind: Choice, Choices: speeds, Default: 3, Effect: View,
			Help: "Training steps per second: slow to watch single steps, max for as many as the frame allows."},

		{Key: "interp", Label: "interpolation", Section: "View", Kind: Choice, Choices: InterpModes, Default: 1, Effect: View,
			Help: "Decode the straight (linear) or great-circle (spherical) path between two codes, with a marker moving along it. Press A or B over the latent view to set its ends."},
		{Key: "dimx", Label: "view dim x", Section: "View", Kind: Int, Min: 0, Max: maxLatent - 1, Default: 0, Effect: View,
			Shown: func(v *Values) bool { return v.Int("latent") > 2 },
			Help:  "Latent dimension on the latent view's horizontal axis."},
		{Key: "dimy", Label: "view dim y", Section: "View", Kind: Int, Min: 0, Max: maxLatent - 1, Default: 1, Effect: View,
			Shown: func(v *Values) bool { return v.Int("latent") > 2 },
			Help:  "Latent dimension on the latent view's vertical axis."},

		// The flow lab's settings (Lab). They never touch the VAE: the lab
		// reads them when the session's Version moves, starts a new fit
		// (Refit) or takes the learning rate at its next step (Live).
		{Key: "target", Label: "target", Section: "Target", Kind: Choice, Choices: LabTargets(), Effect: Refit, Lab: true,
			Help: "The density the flow learns. u1–u4: the test energies of Rezende & Mohamed (2015), fitted by reverse KL from the flow's own samples. A dataset: its points, fitted by maximum likelihood. painted: the density you paint in the target view."},
		{Key: "lflow", Label: "flow layer", Section: "Flow", Kind: Choice, Choices: core.FlowNames(), Effect: Refit, Lab: true,
			Help: "The layer type. A planar layer bends space along one direction; a radial one pulls space towards or pushes it away from a point."},
		{Key: "lK", Label: "layers K", Section: "Flow", Kind: Int, Min: 1, Max: core.MaxFlowLayers, Default: 8, LogScale: true, Effect: Refit, Lab: true,
			Help: "How many layers the flow stacks. More layers can shape more complex densities but cost more per step. A drag applies when you let go."},
		{Key: "llr", Label: "learning rate", Section: "Fitting", Kind: Float, Min: 1e-4, Max: 0.05, Default: 5e-3, LogScale: true, Effect: Live, Lab: true,
			Help: "Adam's step size. Too large and the flow jumps about; too small and it crawls."},
		{Key: "lbatch", Label: "batch size", Section: "Fitting", Kind: Int, Min: 16, Max: 1024, Default: 256, LogScale: true, Effect: Refit, Lab: true,
			Help: "Samples (or data points) per step: larger batches give steadier steps but cost more. A drag applies when you let go."},
		{Key: "anneal", Label: "annealing", Section: "Fitting", Kind: Bool, Default: 1, Effect: Refit, Lab: true, Shown: LabEnergyTarget,
			Help: "Start with a flattened target (the energy times β = 0.01) and sharpen it to the real one over the first 2000 steps, so the samples spread over every mode before the modes pull them in."},
		{Key: "lseed", Label: "seed", Section: "Fitting", Kind: Int, Min: 1, Max: 999999, Default: 1, Effect: Refit, Lab: true,
			Help: "Seed of the initial layers, of every sample and of a dataset target's points: the same settings and seed replay the same fit. A drag applies when you let go."},
		// The language (a Shell row: shown in every mode, last in the
		// column; the top bar's switch sets it too).
		{Key: "lang", Label: "language", Section: "View", Kind: Choice, Choices: i18n.Languages, Effect: View, Shell: true,
			Help: "The interface's language: en (English) or vi (Tiếng Việt). The top bar's EN/VI switch sets it too; without lang= in the link the browser's language decides."},
	}
}

// SetDefaultLanguage makes lang (a code of i18n.Languages) the language a
// link without lang= opens in: the browser's or the desktop's own. Call it
// before reading a link; links then carry lang= only when it differs.
func SetDefaultLanguage(lang string) {
	if s := Lookup(nil, "lang"); s != nil {
		if i := slices.Index(s.Choices, lang); i >= 0 {
			s.Default = float64(i)
			dataDefaults.Clear()
		}
	}
}

// Lookup returns the table row with the given key, or a dataset parameter
// of the current dataset ("noise", "n", …) as a setting.
func Lookup(v *Values, key string) *Setting {
	for _, s := range Table {
		if s.Key == key {
			return s
		}
	}
	for _, s := range DataSettings(v.Choice("data")) {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// dataPrefix marks dataset parameters among the keys.
const dataPrefix = "d."

// maxUIPoints and maxUIImages keep sets small enough to train smoothly in
// a browser frame and to fit its memory (10000 MNIST images are 63 MB as
// float64 rows); the registry allows more for the command line.
const (
	maxUIPoints = 20000
	maxUIImages = 10000
)

// DataSettings are the registry parameters of dataset name as settings
// (key "d.<param>"), all Rebuild.
func DataSettings(name string) []*Setting {
	e, ok := datasets.Lookup(name)
	if !ok {
		return nil
	}
	out := make([]*Setting, 0, len(e.Params))
	for _, p := range e.Params {
		s := &Setting{Key: dataPrefix + p.Name, Label: p.Name, Section: "Data", Min: p.Min, Max: p.Max,
			Default: p.Default, Help: p.Help, Effect: Rebuild, Kind: Float}
		if p.Name == "n" {
			s.Label, s.Max, s.LogScale = "points", math.Min(p.Max, maxUIPoints), true
			if e.Kind == datasets.Image {
				s.Label, s.Max = "images", math.Min(p.Max, maxUIImages)
			}
			s.Default = math.Min(s.Default, s.Max)
		}
		switch {
		case len(p.Choices) > 0:
			s.Kind, s.Choices = Choice, p.Choices
		case p.Integer:
			s.Kind = Int
		}
		out = append(out, s)
	}
	return out
}

// Values are the current settings: one number per key (a choice's index).
// The zero value is not ready: use NewValues.
type Values struct {
	m map[string]float64
}

// NewValues returns every setting at its default.
func NewValues() *Values {
	v := &Values{m: map[string]float64{}}
	for _, s := range Table {
		v.m[s.Key] = s.Default
	}
	v.resetData()
	return v
}

// resetData puts the current dataset's parameters at their defaults and
// drops those of other datasets.
func (v *Values) resetData() {
	for k := range v.m {
		if strings.HasPrefix(k, dataPrefix) {
			delete(v.m, k)
		}
	}
	for _, s := range DataSettings(v.Choice("data")) {
		v.m[s.Key] = s.Default
	}
}

// Clone returns an independent copy.
func (v *Values) Clone() *Values {
	c := &Values{m: make(map[string]float64, len(v.m))}
	for k, x := range v.m {
		c.m[k] = x
	}
	return c
}

// Get returns the value of key (0 for an unknown key).
func (v *Values) Get(key string) float64 { return v.m[key] }

// Int returns the value of key rounded to an int.
func (v *Values) Int(key string) int { return int(math.Round(v.m[key])) }

// Choice returns the name of the chosen option of a Choice setting.
func (v *Values) Choice(key string) string {
	for _, s := range Table {
		if s.Key == key {
			return s.Format(v.m[key])
		}
	}
	return ""
}

// Set validates and stores x; choosing another dataset resets the dataset
// parameters to that set's defaults.
func (v *Values) Set(key string, x float64) error {
	s := Lookup(v, key)
	if s == nil {
		return fmt.Errorf("unknown setting %q", clip(key, 24))
	}
	if err := s.Check(x); err != nil {
		return err
	}
	old := v.m[key]
	v.m[key] = x
	if key == "data" && old != x {
		wasImage := IsImageSet(s.Format(old))
		v.resetData()
		// Moving between points and images: the model settings that suit
		// the other kind.
		if isImage := IsImageSet(s.Format(x)); isImage != wasImage {
			defaults := pointDefaults
			if isImage {
				defaults = imageDefaults
			}
			for k, text := range defaults {
				if st := Lookup(v, k); st != nil {
					if y, err := st.Parse(text); err == nil {
						v.m[k] = y
					}
				}
			}
		}
	}
	return nil
}

// SetText parses text for key (as in a URL) and stores it.
func (v *Values) SetText(key, text string) error {
	x, err := v.Parse(key, text)
	if err != nil {
		return err
	}
	return v.Set(key, x)
}

// Parse reads text as the value of setting key, without storing it.
func (v *Values) Parse(key, text string) (float64, error) {
	s := Lookup(v, key)
	if s == nil {
		return 0, fmt.Errorf("unknown setting %q", clip(key, 24))
	}
	return s.Parse(text)
}

// Visible lists the settings with a control under the current values: the
// table in order, with the dataset parameters after "data".
func (v *Values) Visible() []*Setting {
	var out []*Setting
	lab := v.Choice("mode") == "flowlab"
	for _, s := range Table {
		if s.Shown != nil && !s.Shown(v) || !s.Shell && s.Lab != lab {
			continue
		}
		out = append(out, s)
		if s.Key == "data" {
			out = append(out, DataSettings(v.Choice("data"))...)
		}
	}
	return out
}

// maxHashLen bounds what is read from a URL.
const maxHashLen = 8192

// dataDefaults caches, per dataset choice, the values a link is read
// against (Encode runs every frame to keep the address bar in step).
var dataDefaults sync.Map // float64 → *Values

func defaultsFor(data float64) *Values {
	if d, ok := dataDefaults.Load(data); ok {
		return d.(*Values)
	}
	d := NewValues()
	_ = d.Set("data", data)
	dataDefaults.Store(data, d)
	return d
}

// Encode writes the values that differ from their defaults as a URL query
// ("data=circles&d.noise=0.2&beta=4"), keys in table order. The dataset is
// always written so that a link names it.
func (v *Values) Encode() string {
	q := []string{}
	// The defaults a link is read against: a dataset brings its own model
	// settings (images start from the image model).
	def := defaultsFor(v.m["data"])
	add := func(s *Setting) {
		x := v.m[s.Key]
		if x == def.m[s.Key] && s.Key != "data" {
			return
		}
		q = append(q, url.QueryEscape(s.Key)+"="+url.QueryEscape(s.Format(x)))
	}
	for _, s := range Table {
		add(s)
		if s.Key == "data" {
			for _, d := range DataSettings(v.Choice("data")) {
				add(d)
			}
		}
	}
	return strings.Join(q, "&")
}

// Decode reads a URL hash or query written by Encode (a leading '#' is
// skipped). Every value is validated: a malformed one keeps its default and
// an out-of-range number is clamped, each with a note for the user. Keys
// other than settings (such as "pts") are returned in extra, unvalidated.
func Decode(hash string) (v *Values, notes []string, extra map[string]string) {
	v = NewValues()
	hash = strings.TrimPrefix(hash, "#")
	if len(hash) > maxHashLen {
		notes = append(notes, fmt.Sprintf("link longer than %d characters: ignored", maxHashLen))
		return v, notes, nil
	}
	pairs := map[string]string{}
	var order []string
	for _, part := range strings.Split(hash, "&") {
		if part == "" {
			continue
		}
		k, val, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			notes = append(notes, fmt.Sprintf("malformed part %q ignored", clip(part, 24)))
			continue
		}
		if _, dup := pairs[k]; !dup {
			order = append(order, k)
		}
		pairs[k] = val
	}
	// The dataset first: its parameters depend on it.
	if d, ok := pairs["data"]; ok {
		if err := v.SetText("data", d); err != nil {
			notes = append(notes, err.Error()+": default used")
		}
	}
	extra = map[string]string{}
	for _, k := range order {
		if k == "data" {
			continue
		}
		val := pairs[k]
		s := Lookup(v, k)
		if s == nil {
			if k == "pts" || k == CompareKey || k == ViewsKey || k == ControlsKey || k == EmbedKey {
				extra[k] = val
				continue
			}
			notes = append(notes, fmt.Sprintf("unknown setting %q ignored", clip(k, 24)))
			continue
		}
		x, err := s.Parse(val)
		if err != nil && (s.Kind == Int || s.Kind == Float) {
			// A finite number out of range (or not whole) is clamped.
			if y, perr := strconv.ParseFloat(strings.TrimSpace(val), 64); perr == nil && !math.IsNaN(y) && !math.IsInf(y, 0) {
				c := s.Clamp(y)
				notes = append(notes, fmt.Sprintf("%s: %s clamped to %s", s.Key, clip(val, 16), s.Format(c)))
				v.m[s.Key] = c
				continue
			}
		}
		if err != nil {
			notes = append(notes, err.Error()+": default used")
			continue
		}
		v.m[s.Key] = x
	}
	return v, notes, extra
}
