package playground

import (
	"errors"
	"slices"
	"strings"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/session"
)

// shown is which views and controls the screen shows, and whether it is
// an embed (a minimal top bar).
type shown struct {
	views    []string // panels by name (session.Views); nil: all
	controls []string // settings' keys and scene tools; nil: all, empty: none
	embed    bool
}

// SetShown shows only the named views (session.Views: data, latent, loss,
// kl, flow for the VAE; target, model, samples, loss, score, stages for the
// flow lab; nil: all) and offers only the named controls (the settings'
// keys, dataset parameters as d.<name>, the tools "tool", "stage2" and
// "record"; nil: all, empty: none). The hidden settings keep their values.
// Unknown names are left out and reported in the error; the known ones
// apply. A lesson calls it per step; the link's views= and controls= set
// it when the screen is made.
func (sc *Screen) SetShown(views, controls []string) error {
	var errs []error
	if views != nil {
		v, notes := session.ParseViews(strings.Join(views, ","))
		if len(notes) > 0 {
			errs = append(errs, errors.New(notes[0]))
		}
		if len(v) == 0 {
			v = nil
		}
		views = v
	}
	if controls != nil {
		c, notes := session.ParseControls(strings.Join(controls, ","))
		if len(notes) > 0 {
			errs = append(errs, errors.New(notes[0]))
		}
		if c == nil && len(controls) > 0 {
			c = nil // none known: all
		}
		controls = c
	}
	sc.shown.views, sc.shown.controls = views, controls
	sc.relayout()
	return errors.Join(errs...)
}

// Shown are the views and controls the screen shows (nil: all).
func (sc *Screen) Shown() (views, controls []string) {
	return slices.Clone(sc.shown.views), slices.Clone(sc.shown.controls)
}

// ShownViews are the panels the current scene shows, by name: the views
// filter met with the scene's own panels (all of them for none).
func (sc *Screen) ShownViews() []string {
	mode := sc.S.Values.Choice("mode")
	if sc.cmp != nil && mode == "vae" {
		return []string{"compare"}
	}
	all := session.ViewsOf(mode)
	var out []string
	for _, v := range sc.shown.views {
		if slices.Contains(all, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// ShownControls are the controls the column offers now, by key, in order
// (a setting's own rule can hide it still: components only with a
// mixture prior).
func (sc *Screen) ShownControls() []string {
	return slices.Clone(sc.controlOrder)
}

// Embed reports whether the screen is an embed: the minimal top bar (play,
// step, reset, "Open in the playground").
func (sc *Screen) Embed() bool { return sc.shown.embed }

// SetEmbed turns the embed's minimal top bar on or off.
func (sc *Screen) SetEmbed(on bool) {
	if sc.shown.embed != on {
		sc.shown.embed = on
		sc.relayout()
	}
}

// relayout lays the screen out again for what it shows.
func (sc *Screen) relayout() {
	if sc.Frame == nil {
		return
	}
	w, h, scale := sc.reqW, sc.reqH, sc.Scale
	sc.Frame = nil
	sc.Resize(w, h, scale)
	sc.scroll = 0
	sc.OverlayDirty = true
}

// layout is the layout for what the screen shows: the full one (compact
// on a phone), or only the VAE's chosen panels and the column when it has
// controls.
func (sc *Screen) layout(w, h int, scale float64) scene.Layout {
	vae := sc.vaeViews()
	column := sc.shown.controls == nil || len(sc.shown.controls) > 0
	if !sc.shown.embed && scene.IsCompact(w, h, scale) {
		// A phone: the compact layout whatever is shown (its sheet
		// stacks the views shown), with the lesson's text in it.
		l := scene.ScreenLayout(w, h, scale, sc.touch)
		if sc.lesson != nil {
			l = l.CompactLesson()
		}
		return l
	}
	if sc.lesson != nil {
		return scene.WithLesson(w, h, scale, func(w, h int) scene.Layout { return scene.ShownLayout(w, h, scale, vae, column) })
	}
	if vae == nil && column && !sc.shown.embed {
		return scene.ScreenLayout(w, h, scale, sc.touch)
	}
	return scene.ShownLayout(w, h, scale, vae, column)
}

// vaeViews are the VAE's panels the screen shows, in the order they were
// named (nil: all of them).
func (sc *Screen) vaeViews() []string {
	var vae []string
	for _, v := range sc.shown.views {
		if slices.Contains(session.ViewsOf("vae"), v) {
			vae = append(vae, v)
		}
	}
	return vae
}

// offers reports whether the controls column offers control key.
func (sc *Screen) offers(key string) bool {
	return sc.shown.controls == nil || slices.Contains(sc.shown.controls, key)
}

// offersTools reports whether the column offers the scene's own controls
// at the end of section.
func (sc *Screen) offersTools(section string) bool {
	if sc.shown.controls == nil {
		return true
	}
	for name, sec := range session.SceneTools {
		if sec == section && slices.Contains(sc.shown.controls, name) {
			return true
		}
	}
	return false
}
