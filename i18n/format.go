package i18n

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Formatted English text is translated where it is shown by finding the
// format of the table that made it: "step 12 · ELBO −3.1" matches
// "step %d · ELBO %s", whose Vietnamese is then filled with the same
// argument texts (those that are themselves messages translated). So a
// message built with fmt.Sprintf in English deep inside a scene or the
// session still reaches the screen in Vietnamese, and only the table
// needs its format.

// verbRE matches a fmt verb with its index, flags, width and precision.
var verbRE = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?([a-zA-Z%])`)

// format is one format key of a language's table as a pattern.
type format struct {
	key string
	re  *regexp.Regexp
	// greedy is re with greedy text arguments (nil when it has at most
	// one): the other way to split a message with ": " in its parts.
	greedy *regexp.Regexp
	text   []bool // per argument: a text verb (%s, %v) whose argument may be a message
	lits   int    // literal characters: the more, the better the match
}

type formatSet struct {
	list  []*format
	cache map[string]string // formatted text → translation (bounded)
	made  map[string]bool   // what F made in the language (bounded)
}

var (
	fmu        sync.Mutex
	formatSets = map[string]*formatSet{}
	// valueSets are the texts of each language's table: a text that
	// already is a translation is shown as it is.
	valueSets = map[string]map[string]bool{}
)

// reset drops the compiled patterns of lang (Add changed its table).
func resetFormats(lang string) {
	fmu.Lock()
	delete(formatSets, lang)
	delete(valueSets, lang)
	fmu.Unlock()
}

func hasEnglishKeys() bool {
	mu.RLock()
	defer mu.RUnlock()
	return len(tables[English]) > 0
}

// isTranslation reports whether s is a text of lang's table or was made
// by F in lang.
func isTranslation(lang, s string) bool {
	fmu.Lock()
	defer fmu.Unlock()
	vs := valueSets[lang]
	if vs == nil {
		vs = map[string]bool{}
		mu.RLock()
		for _, v := range tables[lang] {
			vs[v] = true
		}
		mu.RUnlock()
		valueSets[lang] = vs
	}
	return vs[s] || formatsOf(lang).made[s]
}

func produced(lang, s string) {
	fmu.Lock()
	defer fmu.Unlock()
	fs := formatsOf(lang)
	if len(fs.made) > 4096 {
		clear(fs.made)
	}
	fs.made[s] = true
}

// formatsOf compiles lang's format keys (fmu held).
func formatsOf(lang string) *formatSet {
	if fs := formatSets[lang]; fs != nil {
		return fs
	}
	fs := &formatSet{cache: map[string]string{}, made: map[string]bool{}}
	mu.RLock()
	for k := range tables[lang] {
		if f := compileFormat(k); f != nil {
			fs.list = append(fs.list, f)
		}
	}
	mu.RUnlock()
	slices.SortFunc(fs.list, func(a, b *format) int {
		if a.lits != b.lits {
			return b.lits - a.lits
		}
		return strings.Compare(a.key, b.key)
	})
	formatSets[lang] = fs
	return fs
}

// compileFormat makes the pattern of format key, or nil when key has no
// verb.
func compileFormat(key string) *format {
	locs := verbRE.FindAllStringSubmatchIndex(key, -1)
	if len(locs) == 0 {
		return nil
	}
	f := &format{key: key}
	var re strings.Builder
	re.WriteString("^")
	at, args := 0, 0
	for _, l := range locs {
		lit := key[at:l[0]]
		re.WriteString(regexp.QuoteMeta(lit))
		f.lits += len(lit)
		at = l[1]
		v := key[l[12]:l[13]]
		if v == "%" {
			re.WriteString("%")
			continue
		}
		if l[4] >= 0 { // an explicit index: keep it simple, no reordered English
			return nil
		}
		args++
		switch v {
		case "d":
			re.WriteString(`([-−]?\d+)`)
			f.text = append(f.text, false)
		case "q":
			re.WriteString(`("(?:[^"\\]|\\.)*")`)
			f.text = append(f.text, false)
		case "s", "v":
			re.WriteString(`(.+?)`)
			f.text = append(f.text, true)
		default: // numbers
			re.WriteString(`([-+−]?[0-9.,eE+−∞]+|NaN|[+-]?Inf)`)
			f.text = append(f.text, false)
		}
	}
	lit := key[at:]
	re.WriteString(regexp.QuoteMeta(lit) + "$")
	f.lits += len(lit)
	if f.lits == 0 {
		return nil // "%s" alone would match anything
	}
	var err error
	if f.re, err = regexp.Compile(re.String()); err != nil {
		return nil
	}
	if texts := strings.Count(re.String(), `(.+?)`); texts > 1 {
		f.greedy, _ = regexp.Compile(strings.ReplaceAll(re.String(), `(.+?)`, `(.+)`))
	}
	return f
}

// matchFormat translates s when a format of lang's table made it, and
// lists the sentences inside it that have no translation.
func matchFormat(lang, s string, depth int) (string, bool, []string) {
	if depth > 3 {
		return "", false, nil
	}
	fmu.Lock()
	fs := formatsOf(lang)
	if t, ok := fs.cache[s]; ok {
		fmu.Unlock()
		return t, true, nil
	}
	list := fs.list
	fmu.Unlock()
	// The format with the most literal text that made s wins, unless its
	// parts are sentences no table holds and another format's are not
	// (`column 1 (x): "foo" is not a number` is "%s: %q is not a number"
	// with an untranslatable first part, and "column %d (%s): %s" whole).
	var (
		best        *format
		bestArgs    []string
		bestMissing []string
	)
	for _, f := range list {
		m := f.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args, missing := translateArgs(lang, f, m[1:], depth)
		if len(missing) > 0 && f.greedy != nil {
			// "a: b: c used" splits as "a" and "b: c" first; the other
			// way round may be the one whose parts are messages.
			if g := f.greedy.FindStringSubmatch(s); g != nil {
				if gargs, gmissing := translateArgs(lang, f, g[1:], depth); len(gmissing) == 0 {
					args, missing = gargs, nil
				}
			}
		}
		if best == nil || len(missing) == 0 {
			best, bestArgs, bestMissing = f, args, missing
		}
		if len(missing) == 0 {
			break
		}
	}
	if best == nil {
		return "", false, nil
	}
	tr, _ := lookup(lang, best.key)
	out := fill(tr, bestArgs)
	fmu.Lock()
	if len(bestMissing) == 0 {
		// Only a whole translation is kept: a text with a part missing
		// is looked at again, and its miss reported each time.
		if len(fs.cache) > 4096 {
			clear(fs.cache)
		}
		fs.cache[s] = out
	}
	if len(fs.made) > 4096 {
		clear(fs.made)
	}
	fs.made[out] = true // shown through another boundary: as it is
	fmu.Unlock()
	return out, true, bestMissing
}

// isSentence reports whether text has two words (with a letter each)
// side by side: a sentence (an error's detail), not an identifier or a
// list of names ("data, latent, loss").
func isSentence(text string) bool {
	for _, item := range strings.Split(text, ", ") {
		words := 0
		for _, w := range strings.Fields(item) {
			if Wordy(w) {
				words++
			}
		}
		if words >= 2 {
			return true
		}
	}
	return false
}

// translateArgs translates the text arguments of f matched in a message
// (messages themselves), and lists what has no translation: the
// sentences among them that are no message of lang's table (shown in
// English inside a translated message, they are misses like the
// message's own) and those inside them. A single word is an identifier
// (a key, a dataset's name) and stays as it is.
func translateArgs(lang string, f *format, args []string, depth int) (out, missing []string) {
	out = slices.Clone(args)
	for i, a := range args {
		if !f.text[i] {
			continue
		}
		t, ok, inner := translateAll(lang, a, depth+1)
		missing = append(missing, inner...)
		if ok {
			out[i] = t
		} else if isSentence(a) {
			missing = append(missing, a)
		}
	}
	return out, missing
}

// fill writes format with its verbs replaced by the argument texts, in
// the order of the verbs or as their explicit indexes say.
func fill(format string, args []string) string {
	var b strings.Builder
	at, next := 0, 0
	for _, l := range verbRE.FindAllStringSubmatchIndex(format, -1) {
		b.WriteString(format[at:l[0]])
		at = l[1]
		if format[l[12]:l[13]] == "%" {
			b.WriteString("%")
			continue
		}
		if l[4] >= 0 {
			n, _ := strconv.Atoi(format[l[4]:l[5]])
			next = n - 1
		}
		if next >= 0 && next < len(args) {
			b.WriteString(args[next])
		}
		next++
	}
	b.WriteString(format[at:])
	return b.String()
}
