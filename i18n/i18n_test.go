package i18n_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/render"
)

func TestPreferred(t *testing.T) {
	for _, c := range []struct {
		tags []string
		want string
	}{
		{nil, "en"},
		{[]string{"vi-VN", "en-US"}, "vi"},
		{[]string{"fr-FR", "vi"}, "vi"},
		{[]string{"en-GB", "vi"}, "en"},
		{[]string{"vi_VN.UTF-8"}, "vi"},
		{[]string{"C.UTF-8"}, "en"},
		{[]string{"de_DE@euro"}, "en"},
		{[]string{""}, "en"},
	} {
		if got := i18n.Preferred(c.tags...); got != c.want {
			t.Errorf("Preferred(%q) = %q, want %q", c.tags, got, c.want)
		}
	}
}

func TestLookup(t *testing.T) {
	defer i18n.Set(i18n.Current())
	var missed []string
	i18n.SetMissHandler(func(lang, key string) { missed = append(missed, lang+":"+key) })
	defer i18n.SetMissHandler(nil)

	if i18n.Set("xx") {
		t.Fatal("an unknown language was accepted")
	}
	i18n.Set(i18n.English)
	if got := i18n.T("Reset"); got != "Reset" {
		t.Errorf("English T(Reset) = %q", got)
	}
	i18n.Set(i18n.Vietnamese)
	if got := i18n.T("Reset"); got != "Đặt lại" {
		t.Errorf("Vietnamese T(Reset) = %q", got)
	}
	if got := i18n.F("step %d", 12); got != "bước 12" {
		t.Errorf("Vietnamese F(step %%d, 12) = %q", got)
	}
	if len(missed) != 0 {
		t.Errorf("known keys reported missing: %q", missed)
	}
	if got := i18n.T("no such message at all"); got != "no such message at all" {
		t.Errorf("a missing message gave %q, want its English", got)
	}
	if got := i18n.T("0.25 · 3"); got != "0.25 · 3" || len(missed) != 1 {
		t.Errorf("text without letters: %q, misses %q (want only the one with words)", got, missed)
	}
	if !slices.Equal(missed, []string{"vi:no such message at all"}) {
		t.Errorf("misses %q", missed)
	}
}

func TestNoConflicts(t *testing.T) {
	if c := i18n.Conflicts(); len(c) > 0 {
		t.Errorf("keys added twice with different texts: %q", c)
	}
}

// verb matches a fmt verb with its flags, width, precision and index.
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// verbs are the verbs of a format in argument order (explicit indexes
// put them in place).
func verbs(format string) []string {
	var out []string
	next := 1
	at := map[int]string{}
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		v := regexp.MustCompile(`\[\d+\]`).ReplaceAllString(m[0], "")
		if v == "%%" {
			continue
		}
		if m[1] != "" {
			n := 0
			for _, c := range m[1][1 : len(m[1])-1] {
				n = 10*n + int(c-'0')
			}
			next = n
		}
		at[next] = v
		next++
	}
	for i := 1; i <= len(at); i++ {
		out = append(out, at[i])
	}
	return out
}

// TestFormatsKeepVerbs: a translated format takes the same arguments in
// the same form as its English.
func TestFormatsKeepVerbs(t *testing.T) {
	for _, lang := range i18n.Languages[1:] {
		for _, k := range i18n.Keys(lang) {
			en, tr := i18n.In(i18n.English, k), i18n.In(lang, k)
			if !slices.Equal(verbs(en), verbs(tr)) {
				t.Errorf("%s: %q has verbs %q, its translation %q has %q", lang, en, verbs(en), tr, verbs(tr))
			}
		}
	}
}

// TestFormattedText: English text made by a format of the table is
// shown in Vietnamese with the same arguments, messages among them
// translated too, and translating it again changes nothing.
func TestFormattedText(t *testing.T) {
	defer i18n.Set(i18n.Current())
	var missed []string
	i18n.SetMissHandler(func(lang, key string) { missed = append(missed, key) })
	defer i18n.SetMissHandler(nil)
	i18n.Set(i18n.Vietnamese)
	for _, c := range []struct{ in, want string }{
		{"step 12", "bước 12"},
		{"step -3", "bước -3"},
		{`lang: unknown choice "<b>": default used`, `lang: không có lựa chọn "<b>": dùng giá trị mặc định`},
		{"Reset: default used", "Đặt lại: dùng giá trị mặc định"},
	} {
		got := i18n.T(c.in)
		if got != c.want {
			t.Errorf("T(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := i18n.T(got); again != got {
			t.Errorf("T(T(%q)) = %q", c.in, again)
		}
	}
	if f := i18n.F("step %d", 7); i18n.T(f) != f {
		t.Errorf("F's text changed by T: %q", i18n.T(f))
	}
	if len(missed) > 0 {
		t.Errorf("misses: %q", missed)
	}
	if got := i18n.T("step twelve"); got != "step twelve" || len(missed) != 1 {
		t.Errorf("a text no format made: %q, misses %q", got, missed)
	}
}

// TestTranslationsHaveGlyphs: every letter of every Vietnamese text has a
// glyph in the playground's faces, regular and bold (none would be drawn
// as the missing-glyph box).
func TestTranslationsHaveGlyphs(t *testing.T) {
	regular, bold := render.NewFace(13, false), render.NewFace(14, true)
	missing := map[rune]string{}
	for _, k := range i18n.Keys(i18n.Vietnamese) {
		text := i18n.In(i18n.Vietnamese, k)
		for _, r := range text {
			if r == '\n' {
				continue
			}
			_, ok1 := regular.GlyphAdvance(r)
			_, ok2 := bold.GlyphAdvance(r)
			if !ok1 || !ok2 {
				missing[r] = text
			}
		}
	}
	for r, text := range missing {
		t.Errorf("%q (%U) has no glyph, in %q", r, r, text)
	}
}

// TestDetailsInsideMessages: a sentence inside a translated message (an
// error's detail from a parser or the worker's protocol) is a miss like
// the message's own when no table has it, while a single word (a setting's
// key, a dataset's name) stays as it is; a message whose parts hold ": "
// is split where its parts are messages.
func TestDetailsInsideMessages(t *testing.T) {
	defer i18n.Set(i18n.Current())
	var missed []string
	i18n.SetMissHandler(func(lang, key string) { missed = append(missed, key) })
	defer i18n.SetMissHandler(nil)
	i18n.Set(i18n.Vietnamese)

	got := i18n.T("beta: the parser met something odd: default used")
	if !slices.Equal(missed, []string{"beta: the parser met something odd"}) {
		t.Errorf("an English detail inside a message: %q, misses %q", got, missed)
	}
	missed = nil
	if got := i18n.T("beta: default used"); got != "beta: dùng giá trị mặc định" || len(missed) > 0 {
		t.Errorf("a key inside a message: %q, misses %q", got, missed)
	}
	got = i18n.T("no points drawn yet: choose 'drawn' and click in the data view to add points: moons used, the other settings kept")
	want := "chưa vẽ điểm nào: chọn 'tự vẽ' rồi nhấp trong khung dữ liệu để thêm điểm: dùng trăng khuyết, giữ các thiết lập khác"
	if got != want || len(missed) > 0 {
		t.Errorf("a message with \": \" in its first part:\n got %q\nwant %q\nmisses %q", got, want, missed)
	}
}
