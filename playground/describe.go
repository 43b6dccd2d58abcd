package playground

import (
	"fmt"
	"math"
	"strings"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/lessons"
)

// CanvasName is the canvas's accessible name, and KeysHelp its
// description for assistive technology (the page translates both).
const (
	CanvasName = "VAE playground: a variational autoencoder training in the page"
	KeysHelp   = "Keys: Tab and Shift-Tab move through the controls, Enter or Space activates one, the arrows change a value, escape closes a list. " +
		"Space plays or pauses training when no control has the focus, period takes one training step, r resets the model, question mark opens the help. " +
		"The status below the canvas follows the training and the messages."
)

// Describe is what the canvas shows, as a sentence for a screen reader
// (the page's live region beside the canvas): training or paused, the data
// and prior, the message, the open lesson's step and its checks, the
// focused control with its value and help; then the step and ELBO. key is
// all of it but the step and ELBO, which change every step: the page says
// the text again at once when key changes, and only now and then when
// just the numbers do. It speaks the interface's language.
func (sc *Screen) Describe() (key, text string) {
	s := sc.S
	var parts []string
	if s.Playing {
		parts = append(parts, i18n.T("Training"))
	} else {
		parts = append(parts, i18n.T("Paused"))
	}
	parts = append(parts,
		i18n.F("data %s", i18n.T(s.Values.Choice("data"))),
		i18n.F("prior %s", i18n.T(s.Values.Choice("prior"))))
	if m := strings.TrimSpace(s.Message); m != "" {
		parts = append(parts, i18n.T(m))
	}
	if s.Diverged != "" {
		parts = append(parts, i18n.T(s.Diverged))
	}
	if sc.help {
		parts = append(parts, i18n.T("help open (escape closes it)"))
	}
	parts = append(parts, sc.describeLesson()...)
	if w, ok := sc.Focused(); ok && w.Label != "" {
		f := w.Label
		if w.Role != "" {
			f += ", " + i18n.T(w.Role)
		}
		if w.Value != "" {
			f += ", " + w.Value
		}
		if w.Help != "" {
			f += ". " + w.Help
		}
		parts = append(parts, i18n.F("Focus: %s", f))
	}
	for i, p := range parts {
		parts[i] = strings.TrimRight(p, ". ") // a message's own full stop: not two
	}
	key = strings.Join(parts, ". ")
	elbo := i18n.T("not yet measured")
	if s.History.Len() > 0 && !math.IsNaN(s.History.Ema) {
		elbo = fmt.Sprintf("%.3f", s.History.Ema)
	}
	return key, key + ". " + i18n.F("Step %d, ELBO %s.", s.Steps(), elbo)
}

// describeLesson is the open lesson's part of Describe: the lesson, the
// step and its title, and each check, seen (with the model's number) or
// still watched for.
func (sc *Screen) describeLesson() []string {
	if sc.lesson == nil || sc.lesson.r == nil {
		return nil
	}
	r, lang := sc.lesson.r, sc.lang()
	out := []string{
		r.L.TitleOf(lang) + ", " + lessons.T(lang, "ui.step", r.Index+1, len(r.L.Steps)) + ": " + r.L.Title(lang, r.Index),
	}
	for i := range r.Step().Checks {
		msg := r.Message(lang, i)
		switch {
		case r.Results[i].Done:
			out = append(out, lessons.T(lang, "live.done", msg))
		case msg != "":
			out = append(out, lessons.T(lang, "live.waiting", msg))
		}
	}
	return out
}
