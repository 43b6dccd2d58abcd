package lessons

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vaeplayground/vae/i18n"
)

// Languages are the languages the lessons are written in, English first
// (the fallback): the interface's.
var Languages = i18n.Languages

// tables are the lessons' messages per language, added to the interface's
// message tables (package i18n) under stable keys:
// "<lesson>.<step>.<part>" for the texts and "<lesson>.<step>.<check>.wait"
// / ".done" for the checks' messages (fmt verbs for their numbers).
var tables = map[string]map[string]string{i18n.English: english, i18n.Vietnamese: vietnamese}

func init() {
	for lang, t := range tables {
		i18n.Add(lang, t)
	}
}

// T is message key in language lang (English when the language or the
// key is missing there; "" for the interface's current language),
// formatted with args.
func T(lang, key string, args ...any) string {
	if lang == "" {
		lang = i18n.Current()
	}
	text := i18n.In(lang, key)
	if len(args) == 0 {
		return text
	}
	for i, a := range args {
		switch n := a.(type) {
		case Num:
			args[i] = n.in(lang)
		case Vec:
			args[i] = n.in(lang)
		}
	}
	out := fmt.Sprintf(text, args...)
	if lang == i18n.Current() {
		out = i18n.Shown(out) // drawn or read out, it is not looked up again
	}
	return out
}

// Msg is a message with its numbers, written out in a language when shown.
type Msg struct {
	Key  string
	Args []any
}

// In writes the message in language lang.
func (m Msg) In(lang string) string {
	return T(lang, m.Key, append([]any(nil), m.Args...)...)
}

// msg makes a message.
func msg(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// Num is a number written with Prec decimals, as language lang writes it
// (Vietnamese: a decimal comma).
type Num struct {
	X    float64
	Prec int
}

func (n Num) in(lang string) string {
	s := strconv.FormatFloat(n.X, 'f', n.Prec, 64)
	s = strings.Replace(s, "-", "−", 1)
	if lang == "vi" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// String writes the number in English.
func (n Num) String() string { return n.in("en") }

// nats, pct: the two kinds of number the checks write.
func nats(x float64) Num { return Num{x, 2} }
func pct(frac float64) Num {
	return Num{100 * frac, 1}
}
