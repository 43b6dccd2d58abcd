package playground

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// missed gathers what the interface looks up in Vietnamese and finds no
// text for, while f runs.
func missed(t *testing.T, f func()) []string {
	t.Helper()
	seen := map[string]bool{}
	i18n.SetMissHandler(func(lang, key string) { seen[key] = true })
	defer i18n.SetMissHandler(nil)
	defer i18n.Set(i18n.English)
	i18n.Set(i18n.Vietnamese)
	f()
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// report fails the test on untranslated strings, listing them (and
// writing them to $I18N_MISSING, one a line, for the translator).
func report(t *testing.T, what string, miss []string) {
	t.Helper()
	if len(miss) == 0 {
		return
	}
	if p := os.Getenv("I18N_MISSING"); p != "" {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			for _, m := range miss {
				f.WriteString(strings.ReplaceAll(m, "\n", `\n`) + "\n")
			}
			f.Close()
		}
	}
	t.Errorf("%s: %d strings without Vietnamese:\n%s", what, len(miss), strings.Join(miss, "\n"))
}

// TestSettingsSpeakVietnamese walks the settings table — every row's
// label, section, help (as the controls show it, with what a change does)
// and choices, and every dataset's parameters — in Vietnamese.
func TestSettingsSpeakVietnamese(t *testing.T) {
	miss := missed(t, func() {
		rows := slices.Clone(session.Table)
		for _, e := range datasets.List() {
			rows = append(rows, session.DataSettings(e.Name)...)
		}
		for _, st := range rows {
			i18n.T(st.Label)
			i18n.T(st.Section)
			i18n.T(controlHelp(st))
			for _, c := range st.Choices {
				i18n.T(c)
			}
		}
	})
	report(t, "settings", miss)
}

// TestScreenSpeaksVietnamese drives the whole screen in Vietnamese
// through every mode, the data kinds, the priors and flows, the
// comparison, a link with bad values, the help and the top bar's buttons,
// training and stepping, and fails on every string it showed without a
// translation.
func TestScreenSpeaksVietnamese(t *testing.T) {
	if testing.Short() {
		t.Skip("drives many screens")
	}
	links := []string{
		"", "data=shapes", "data=circles&prior=mixture", "prior=vamp", "prior=flow&pflowK=2",
		"prior=two-stage", "flow=planar&flowK=2", "flow=radial", "bayes=1&lik=gaussian-scalar",
		"latent=4&mmd=1", "data=drawn", "data=imported", "interp=0", "warmup=100&freebits=0.5",
		"mode=flowlab", "mode=flowlab&target=8gaussians", "mode=flowlab&target=painted",
		"mode=flowlab&target=u2&anneal=0", "data=8gaussians&compare=prior:mixture",
		"beta=NaN&data=nope&zz=1&lr=5&d.noise=9&lang=xx&act=%3Cb%3E",
		"embed=1&views=latent,loss&controls=beta,prior", "embed=1&views=nope&controls=zz",
	}
	narrow := []string{"", "mode=flowlab", "data=8gaussians&compare=prior:mixture"}
	for _, w := range []int{1280, 700} {
		for _, link := range links {
			if w < 1280 && !slices.Contains(narrow, link) {
				continue
			}
			miss := missed(t, func() {
				s, err := session.New(link+"&lang=vi", session.Inline)
				if err != nil {
					t.Fatalf("%q: %v", link, err)
				}
				defer s.Close()
				sc := NewScreen(s, w, 800, 1)
				driveEverything(sc, w)
			})
			report(t, link, miss)
		}
	}
}

// driveEverything runs a screen through what a user does: play, pause,
// step, the interpolation ends, the help, hovering the views and the top
// bar, the data tools, the second stage, the comparison on and off.
func driveEverything(sc *Screen, w int) {
	idle := ui.Input{X: 5, Y: 790}
	t0 := runFrames(sc, 3, idle, time.Unix(0, 0))
	sc.QueueKey(KeySpace)
	t0 = runFrames(sc, 12, idle, t0)
	sc.QueueKey(KeySpace)
	sc.QueueKey(KeyStep)
	t0 = runFrames(sc, 2, idle, t0)
	// A tooltip shown (every widget's and panel's help is looked up as it
	// is declared, shown or not).
	c := sc.L.Latent.Min.Add(sc.L.Latent.Size().Div(2))
	t0 = runFrames(sc, 32, ui.Input{X: c.X, Y: c.Y}, t0)
	if _, latent := sc.ViewRects(); !latent.Empty() && sc.S.Values.Choice("mode") == "vae" {
		c := latent.Min.Add(latent.Size().Div(2))
		in := ui.Input{X: c.X, Y: c.Y}
		t0 = runFrames(sc, 1, in, t0)
		sc.Update(in, []string{KeyA}, t0)
		sc.Update(in, []string{KeyB}, t0.Add(time.Millisecond))
		t0 = runFrames(sc, 3, in, t0)
		sc.SelectLatent(0.5, -0.5)
		t0 = runFrames(sc, 3, idle, t0)
	}
	sc.QueueKey(KeyHelp)
	t0 = runFrames(sc, 3, idle, t0)
	sc.QueueKey(KeyHelp)
	t0 = runFrames(sc, 2, idle, t0)
	for _, id := range []string{"stage2", "clear"} {
		if r := sc.ControlRect(id); !r.Empty() {
			t0 = clickAt(sc, r.Min.Add(r.Size().Div(2)), t0)
			t0 = runFrames(sc, 8, idle, t0)
		}
	}
	if sc.S.Values.Choice("mode") == "vae" {
		_ = sc.SetCompare(!sc.Comparing())
		t0 = runFrames(sc, 10, idle, t0)
		sc.QueueKey(KeySpace)
		t0 = runFrames(sc, 8, idle, t0)
		sc.QueueKey(KeyHelp)
		t0 = runFrames(sc, 3, idle, t0)
		_ = sc.SetCompare(!sc.Comparing())
		runFrames(sc, 3, idle, t0)
	}
}

// TestVietnameseLabelsFit: Vietnamese is longer than English; every
// control's label, and every choice shown in a dropdown's box, still fits
// its control (nothing cut with an ellipsis) in a 1280×800 window, in the
// VAE's mode (points and images), the flow lab and the comparison.
func TestVietnameseLabelsFit(t *testing.T) {
	defer i18n.Set(i18n.English)
	for _, link := range []string{"lang=vi", "lang=vi&data=shapes&prior=two-stage", "lang=vi&mode=flowlab", "lang=vi&compare=prior:mixture", "lang=vi&prior=flow&flow=planar&mmd=1&latent=3&lik=gaussian-scalar"} {
		s, sc := newScreen(t, link)
		runFrames(sc, 3, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
		if i18n.Current() != i18n.Vietnamese {
			t.Fatalf("%s: language %s", link, i18n.Current())
		}
		face := sc.th.Label
		pad := sc.px(6)
		widgets := append(sc.ctx.Widgets(), sc.topCtx.Widgets()...)
		if len(widgets) < 10 {
			t.Fatalf("%s: only %d widgets", link, len(widgets))
		}
		for _, w := range widgets {
			lw := render.TextWidth(face, w.Label)
			room := w.Rect.Dx() - pad
			switch w.Role {
			case "combobox":
				room = w.Rect.Dx()*2/5 - pad
				box := w.Rect.Dx() - w.Rect.Dx()*2/5 - sc.px(6+16)
				if vw := render.TextWidth(face, w.Value); vw > box {
					t.Errorf("%s: %s's choice %q is %d px in a %d px box", link, w.ID, w.Value, vw, box)
				}
			case "switch":
				room = w.Rect.Dx() - 2*(w.Rect.Dy()*3/5) - pad
			case "spinbutton":
				room = w.Rect.Dx() - 3*w.Rect.Dy() - pad
			case "slider":
				room = w.Rect.Dx() - render.TextWidth(face, w.Value) - pad
			}
			if lw > room {
				t.Errorf("%s: %s's label %q is %d px, room %d", link, w.ID, w.Label, lw, room)
			}
		}
		s.Close()
	}
}
