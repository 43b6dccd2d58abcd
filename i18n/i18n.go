package i18n

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
)

// The languages the interface speaks, by their code in links (lang=).
const (
	English    = "en"
	Vietnamese = "vi"
)

// Languages are the codes of the languages, English first.
var Languages = []string{English, Vietnamese}

// Names are the languages' short names on the language switch.
var Names = map[string]string{English: "EN", Vietnamese: "VI"}

var (
	mu     sync.RWMutex
	tables = map[string]map[string]string{English: {}, Vietnamese: {}}
	// conflicts lists keys added twice with different texts (a test
	// reports them: the second text would have been lost).
	conflicts []string

	current atomic.Value // string
	miss    atomic.Pointer[func(lang, key string)]
)

func init() { current.Store(English) }

// Add adds messages of language lang: key (the English text, or a stable
// key whose English is added under English) → text. Call it from an init
// function of a table file.
func Add(lang string, m map[string]string) {
	defer resetFormats(lang)
	mu.Lock()
	defer mu.Unlock()
	t := tables[lang]
	if t == nil {
		t = map[string]string{}
		tables[lang] = t
	}
	for k, v := range m {
		if old, ok := t[k]; ok && old != v {
			conflicts = append(conflicts, lang+": "+k)
		}
		t[k] = v
	}
}

// Conflicts lists the keys that were added twice with different texts.
func Conflicts() []string {
	mu.RLock()
	defer mu.RUnlock()
	return append([]string(nil), conflicts...)
}

// Set makes lang the current language and reports whether it is known
// (an unknown code leaves the language as it was).
func Set(lang string) bool {
	if !Known(lang) {
		return false
	}
	current.Store(lang)
	return true
}

// Current is the current language's code.
func Current() string { return current.Load().(string) }

// Known reports whether lang is a language of the interface.
func Known(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// T is s in the current language: its text in the current language's
// table, else in the English table (stable keys), else s itself.
func T(s string) string { return In(Current(), s) }

// In is s in language lang (see T).
func In(lang, s string) string {
	t, _ := translate(lang, s, 0)
	return t
}

// translate is s in lang and whether it was found (see translateAll),
// reporting what it missed to the miss handler.
func translate(lang, s string, depth int) (string, bool) {
	t, ok, missing := translateAll(lang, s, depth)
	for _, m := range missing {
		missed(lang, m)
	}
	return t, ok
}

// translateAll is s in lang, whether it was found, and the texts without
// a translation it met (s itself at depth 0, sentences inside it): an
// entry of lang's table; a text that already is in lang (a translation,
// or what F made); English text made from a format of the table, whose
// arguments are translated in turn; an entry of the English table
// (stable keys).
func translateAll(lang, s string, depth int) (string, bool, []string) {
	if s == "" || lang == English && !hasEnglishKeys() {
		return s, true, nil
	}
	if t, ok := lookup(lang, s); ok {
		return t, true, nil
	}
	var missing []string
	if lang != English {
		if isTranslation(lang, s) {
			return s, true, nil
		}
		if !Wordy(s) {
			return s, true, nil
		}
		if t, ok, m := matchFormat(lang, s, depth); ok {
			return t, true, m
		}
		if depth == 0 {
			missing = append(missing, s)
		}
	}
	if t, ok := lookup(English, s); ok {
		return t, true, missing
	}
	return s, lang == English, missing
}

func lookup(lang, s string) (string, bool) {
	mu.RLock()
	defer mu.RUnlock()
	t, ok := tables[lang][s]
	return t, ok
}

// Has reports whether language lang has a text for key.
func Has(lang, key string) bool {
	_, ok := lookup(lang, key)
	return ok
}

// F formats a in the current language's form of format (looked up as T
// does).
func F(format string, a ...any) string {
	lang := Current()
	out := fmt.Sprintf(In(lang, format), a...)
	if lang != English {
		produced(lang, out)
	}
	return out
}

// Shown marks s as text already in the current language (a translation
// cut to fit, with its ellipsis) and returns it: drawn, it is shown as it
// is.
func Shown(s string) string {
	if lang := Current(); lang != English {
		produced(lang, s)
	}
	return s
}

// Wordy reports whether s holds a letter: strings without one (numbers,
// signs) need no translation.
func Wordy(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// missed reports s to the miss handler, if one is set.
func missed(lang, s string) {
	if h := miss.Load(); h != nil {
		(*h)(lang, s)
	}
}

// SetMissHandler calls h for every lookup in a language other than
// English that finds no text for a key with a letter in it (nil: none).
// Tests use it to gather what the interface shows untranslated.
func SetMissHandler(h func(lang, key string)) {
	if h == nil {
		miss.Store(nil)
		return
	}
	miss.Store(&h)
}

// Keys are the keys of language lang's table.
func Keys(lang string) []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(tables[lang]))
	for k := range tables[lang] {
		out = append(out, k)
	}
	return out
}

// Preferred picks the interface's language from a list of language tags
// in order of preference (the browser's navigator.languages, or the
// desktop's LANG such as "vi_VN.UTF-8"): the first whose primary
// language the interface speaks, else English.
func Preferred(tags ...string) string {
	for _, tag := range tags {
		tag = strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(tag, ".")
		primary, _, _ = strings.Cut(primary, "@")
		if i := strings.IndexAny(primary, "-_"); i >= 0 {
			primary = primary[:i]
		}
		if Known(primary) {
			return primary
		}
	}
	return English
}
