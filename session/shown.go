package session

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vaeplayground/vae/datasets"
)

// Link keys read alongside the settings: which views and controls a page
// shows (views=latent,loss, controls=beta,prior) and whether it is a page
// meant for an <iframe> (embed=1).
const (
	ViewsKey    = "views"
	ControlsKey = "controls"
	EmbedKey    = "embed"
)

// Panel is a view a views= list may name.
type Panel struct {
	Name string
	Mode string // the mode whose scene draws it
	Help string
}

// Views are the panels by name, per mode: the VAE's views (the same five
// for points and images) and the flow lab's.
var Views = []Panel{
	{"data", "vae", "the data space (for images: inputs, reconstructions and samples)"},
	{"latent", "vae", "the latent space: codes, prior density, aggregate posterior"},
	{"loss", "vae", "the loss chart (for the flow lab: its loss chart)"},
	{"kl", "vae", "the KL per latent dimension"},
	{"flow", "vae", "the bottom view: the flow's layers or the decoder map (for images: the manifold, the drawing pad and the interpolations)"},
	{"target", "flowlab", "the flow lab's target density"},
	{"model", "flowlab", "the flow lab's model density"},
	{"samples", "flowlab", "the flow lab's samples"},
	{"loss", "flowlab", "the flow lab's loss chart"},
	{"score", "flowlab", "the flow lab's KL or held-out NLL"},
	{"stages", "flowlab", "the flow lab's layer-by-layer view"},
}

// viewAliases are other names of a VAE panel, as an image set shows it.
var viewAliases = map[string]string{"images": "data", "manifold": "flow", "bottom": "flow"}

// ViewsOf are the names of mode's panels, in the order of Views.
func ViewsOf(mode string) []string {
	var out []string
	for _, v := range Views {
		if v.Mode == mode {
			out = append(out, v.Name)
		}
	}
	return out
}

// SceneTools are the screen's and the scenes' own controls by the name a
// controls= list gives them, with the section whose end they sit at: the
// data view's tools (tool, with its class and clear), the two-stage
// prior's fit and the Record section.
var SceneTools = map[string]string{"tool": "Data", "stage2": "Prior", "record": "Record"}

// maxShownNames bounds a views= or controls= list.
const maxShownNames = 64

// splitNames splits a comma-separated list, trimmed, without empty names
// and duplicates.
func splitNames(text string) []string {
	out := []string{}
	for i, n := range strings.Split(text, ",") {
		if i >= maxShownNames {
			break
		}
		n = strings.ToLower(strings.TrimSpace(n))
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// ParseViews reads a views= list: the known panel names (an alias as its
// panel), in their order, and a note on each unknown one. A list that names
// no panel gives nil: every view.
func ParseViews(text string) (views []string, notes []string) {
	known := func(n string) bool {
		return slices.ContainsFunc(Views, func(v Panel) bool { return v.Name == n })
	}
	var bad []string
	for _, n := range splitNames(text) {
		if a, ok := viewAliases[n]; ok {
			n = a
		}
		switch {
		case known(n):
			if !slices.Contains(views, n) {
				views = append(views, n)
			}
		default:
			bad = append(bad, fmt.Sprintf("%q", clip(n, 16)))
		}
	}
	if len(bad) > 0 {
		notes = append(notes, fmt.Sprintf("views: unknown %s ignored (views are %s)", strings.Join(bad, ", "), strings.Join(viewNames(), ", ")))
	}
	if len(views) == 0 && len(bad) > 0 {
		notes = append(notes, "views: every view shown")
	}
	return views, notes
}

func viewNames() []string {
	var out []string
	for _, v := range Views {
		if !slices.Contains(out, v.Name) {
			out = append(out, v.Name)
		}
	}
	return out
}

// IsControl reports whether a controls= list may name n: a row of the
// settings table, a dataset parameter (d.noise) or a scene's own control.
func IsControl(n string) bool {
	if _, ok := SceneTools[n]; ok {
		return true
	}
	if slices.ContainsFunc(Table, func(s *Setting) bool { return s.Key == n }) {
		return true
	}
	if p, ok := strings.CutPrefix(n, dataPrefix); ok {
		for _, e := range datasets.List() {
			for _, q := range e.Params {
				if q.Name == p {
					return true
				}
			}
		}
	}
	return false
}

// ParseControls reads a controls= list: the known names, in their order,
// and a note on each unknown one. An empty list gives no controls; a list
// of unknown names only gives nil (every control) with a note.
func ParseControls(text string) (controls []string, notes []string) {
	controls = []string{}
	var bad []string
	for _, n := range splitNames(text) {
		// Keys keep their case (pflowK); the list was lowered to match
		// names written in any case.
		key := n
		for _, s := range Table {
			if strings.EqualFold(s.Key, n) {
				key = s.Key
			}
		}
		if IsControl(key) {
			controls = append(controls, key)
		} else {
			bad = append(bad, fmt.Sprintf("%q", clip(n, 16)))
		}
	}
	if len(bad) > 0 {
		notes = append(notes, fmt.Sprintf("controls: unknown %s ignored (controls are the settings' names, as in the link)", strings.Join(bad, ", ")))
		if len(controls) == 0 {
			notes = append(notes, "controls: none known, the default ones offered")
			return nil, notes
		}
	}
	return controls, notes
}

// Shown is the link's choice of views and controls (views=, controls=)
// and whether the page is an embed (embed=1). An embed offers no controls
// unless it names them.
type Shown struct {
	// Views are the panels shown (nil: all).
	Views []string
	// Controls are the controls offered (nil: all; empty: none).
	Controls []string
	Embed    bool
}

// parseShown reads the shown views and controls from a link's extra keys.
func parseShown(extra map[string]string) (sh Shown, notes []string) {
	if text, ok := extra[EmbedKey]; ok {
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "1", "on", "true", "yes":
			sh.Embed = true
		case "0", "off", "false", "no":
		default:
			notes = append(notes, fmt.Sprintf("embed: %q is not 1 or 0: ignored", clip(text, 16)))
		}
	}
	if text, ok := extra[ViewsKey]; ok {
		var n []string
		sh.Views, n = ParseViews(text)
		notes = append(notes, n...)
	}
	if text, ok := extra[ControlsKey]; ok {
		var n []string
		sh.Controls, n = ParseControls(text)
		notes = append(notes, n...)
	}
	if sh.Embed && sh.Controls == nil { // an embed's default: none
		sh.Controls = []string{}
	}
	return sh, notes
}

// EmbedLink reports whether the link (a URL hash) asks for an embed: the
// page reads it before the session starts (an embed neither resumes nor
// autosaves).
func EmbedLink(hash string) bool {
	_, _, extra := Decode(hash)
	sh, _ := parseShown(extra)
	return sh.Embed
}

// encode writes the shown views and controls as link keys ("" when all).
func (sh Shown) encode() string {
	var q []string
	if sh.Embed {
		q = append(q, EmbedKey+"=1")
	}
	if sh.Views != nil {
		q = append(q, ViewsKey+"="+strings.Join(sh.Views, ","))
	}
	// An embed offers no controls unless it names them.
	if sh.Controls != nil && !(sh.Embed && len(sh.Controls) == 0) {
		q = append(q, ControlsKey+"="+strings.Join(sh.Controls, ","))
	}
	return strings.Join(q, "&")
}
