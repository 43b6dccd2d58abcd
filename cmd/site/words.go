package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vaeplayground/vae/i18n"
)

// The loader's words come from the game's own tables (package i18n): the
// builder finds the texts the loader shows in its sources, looks each up
// in every language and writes them into index.html. So one table holds
// every word of the site, its completeness tests cover the loader too, and
// a build whose loader shows a text without a translation fails.

// wordsPlaceholder is where index.html takes the loader's words.
const wordsPlaceholder = `<script id="site-words" type="application/json">{}</script>`

var (
	// markedText matches an element of index.html marked data-i18n: its
	// text is shown in the link's language (the loader swaps it; inside
	// <noscript>, where no script runs, the builder adds each language).
	markedText = regexp.MustCompile(`<(\w+)([^>]*?)\s+data-i18n(\s[^>]*)?>([^<]*)</(\w+)>`)
	// sayCall matches the text of a say("…") call of loader.js.
	sayCall = regexp.MustCompile(`\bsay\(\s*("(?:[^"\\\n]|\\.)*")`)
	// loaderVerb matches a verb the loader cannot fill (it fills %s,
	// %[n]s and %%).
	loaderVerb = regexp.MustCompile(`%(\[\d+\])?[^s%\[]`)
	noscript   = regexp.MustCompile(`(?s)<noscript>(.*?)</noscript>`)
)

// loaderTexts are the texts the loader shows, in English: the marked
// elements' of index.html and the say("…") calls' of loader.js, sorted.
func loaderTexts(index, loader []byte) ([]string, error) {
	seen := map[string]bool{}
	for _, m := range markedText.FindAllSubmatch(index, -1) {
		if !bytes.Equal(m[1], m[5]) {
			return nil, fmt.Errorf("index.html: a marked <%s> holds other elements; mark the innermost", m[1])
		}
		seen[strings.TrimSpace(html.UnescapeString(string(m[4])))] = true
	}
	for _, m := range sayCall.FindAllSubmatch(loader, -1) {
		text, err := strconv.Unquote(string(m[1]))
		if err != nil {
			return nil, fmt.Errorf("loader.js: say(%s): %v", m[1], err)
		}
		seen[text] = true
	}
	out := make([]string, 0, len(seen))
	for text := range seen {
		if !i18n.Wordy(text) {
			continue // no words to translate
		}
		if loaderVerb.MatchString(text) {
			return nil, fmt.Errorf("loader.js: %q has a verb other than %%s, which the loader cannot fill", text)
		}
		out = append(out, text)
	}
	slices.Sort(out)
	return out, nil
}

// loaderWords are texts in each language but English (language → English
// text → its text), or an error naming the texts a table lacks.
func loaderWords(texts []string) (map[string]map[string]string, error) {
	words := map[string]map[string]string{}
	var missing []string
	for _, lang := range i18n.Languages {
		if lang == i18n.English {
			continue
		}
		words[lang] = map[string]string{}
		for _, text := range texts {
			if !i18n.Has(lang, text) {
				missing = append(missing, lang+": "+strconv.Quote(text))
				continue
			}
			words[lang][text] = i18n.In(lang, text)
		}
	}
	if len(missing) > 0 {
		return nil, errors.New("the loader shows texts without a translation in package i18n (add them to i18n/vi_loader.go):\n\t" + strings.Join(missing, "\n\t"))
	}
	return words, nil
}

// stampWords writes the loader's words into index.html, and into its
// <noscript> each marked text in every language (a page without scripts
// cannot read the link's lang=, so it says it in all of them).
func stampWords(out string) error {
	indexPath := filepath.Join(out, "index.html")
	index, err := os.ReadFile(indexPath)
	if err != nil {
		return err
	}
	loader, err := os.ReadFile(filepath.Join(out, "loader.js"))
	if err != nil {
		return err
	}
	if !bytes.Contains(index, []byte(wordsPlaceholder)) {
		return errors.New("index.html lacks the words placeholder " + wordsPlaceholder)
	}
	texts, err := loaderTexts(index, loader)
	if err != nil {
		return err
	}
	words, err := loaderWords(texts)
	if err != nil {
		return err
	}
	b, err := json.Marshal(words) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	index = bytes.Replace(index, []byte(wordsPlaceholder),
		[]byte(`<script id="site-words" type="application/json">`+string(b)+`</script>`), 1)
	index = noscript.ReplaceAllFunc(index, func(block []byte) []byte {
		return markedText.ReplaceAllFunc(block, func(el []byte) []byte {
			m := markedText.FindSubmatch(el)
			text := strings.TrimSpace(html.UnescapeString(string(m[4])))
			var all bytes.Buffer
			all.Write(el)
			for _, lang := range i18n.Languages[1:] {
				fmt.Fprintf(&all, "<%s%s%s lang=\"%s\">%s</%s>", m[1], m[2], m[3], lang, html.EscapeString(words[lang][text]), m[1])
			}
			return all.Bytes()
		})
	})
	return os.WriteFile(indexPath, index, 0o644)
}
