package session

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/i18n"
)

// untranslated are the parts of text (a status message) that have no
// Vietnamese: the message's own format, or a detail inside it.
func untranslated(text string) []string {
	var miss []string
	i18n.SetMissHandler(func(lang, key string) { miss = append(miss, key) })
	defer i18n.SetMissHandler(nil)
	i18n.In(i18n.Vietnamese, text)
	return miss
}

// TestLangLink: lang= opens the interface's language and a link written
// from it names it again; a bad value is a note and the default.
func TestLangLink(t *testing.T) {
	v, notes, _ := Decode("#data=circles&lang=vi")
	if len(notes) > 0 || v.Choice("lang") != "vi" {
		t.Fatalf("lang=vi read as %q, notes %q", v.Choice("lang"), notes)
	}
	link := v.Encode()
	if !strings.Contains(link, "lang=vi") {
		t.Fatalf("link %q lost lang=vi", link)
	}
	w, notes, _ := Decode(link)
	if len(notes) > 0 || w.Choice("lang") != "vi" || w.Encode() != link {
		t.Errorf("round trip: %q gave %q (%q), notes %q", link, w.Encode(), w.Choice("lang"), notes)
	}
	if v, _, _ := Decode("data=circles"); v.Choice("lang") != "en" || strings.Contains(v.Encode(), "lang") {
		t.Errorf("no lang=: %q, link %q", v.Choice("lang"), v.Encode())
	}
	v, notes, _ = Decode("lang=<script>")
	if v.Choice("lang") != "en" || len(notes) != 1 || !strings.Contains(notes[0], "lang") {
		t.Errorf("a bad lang=: %q, notes %q", v.Choice("lang"), notes)
	}
}

// TestDefaultLanguage: the browser's language is the default a link is
// read against, so it opens in it and carries lang= only to differ.
func TestDefaultLanguage(t *testing.T) {
	defer SetDefaultLanguage("en")
	SetDefaultLanguage("vi")
	v, _, _ := Decode("data=moons")
	if v.Choice("lang") != "vi" || strings.Contains(v.Encode(), "lang") {
		t.Errorf("default vi: %q, link %q", v.Choice("lang"), v.Encode())
	}
	v, _, _ = Decode("data=moons&lang=en")
	if v.Choice("lang") != "en" || !strings.Contains(v.Encode(), "lang=en") {
		t.Errorf("lang=en under a vi default: %q, link %q", v.Choice("lang"), v.Encode())
	}
	SetDefaultLanguage("klingon") // ignored
	if v := NewValues(); v.Choice("lang") != "vi" {
		t.Errorf("an unknown language changed the default to %q", v.Choice("lang"))
	}
}

// TestLinkNotesInVietnamese: every note a bad link gives — a value that
// is no number, out of range, not on or off, an unknown choice, setting,
// view or control, a malformed part, a bad comparison — reads in
// Vietnamese with its details.
func TestLinkNotesInVietnamese(t *testing.T) {
	link := "#data=moons&beta=abc&seed=1.5&lr=99&prior=zzz&warm=maybe&bogus=1&%zz=1&views=nope&controls=zz&embed=2"
	s := newSession(t, link+"&pts=1,2", Inline)
	notes := slices.Clone(s.Notes)
	for _, pts := range []string{"1~2~0_3~4~99", "1~1e300~0"} {
		notes = append(notes, newSession(t, "pts="+pts, Inline).Notes...)
	}
	c, err := NewCompare(s, "prior:zzz,beta:x,nope:1,lang:vi,junk")
	if err != nil {
		t.Fatal(err)
	}
	notes = append(notes, c.Notes...)
	if len(notes) < 18 {
		t.Fatalf("the bad link gave only %d notes: %q", len(notes), notes)
	}
	for _, n := range notes {
		if miss := untranslated(n); len(miss) > 0 {
			t.Errorf("note %q in Vietnamese lacks %q", n, miss)
		}
	}
}

// TestHelpInVietnamese: the command line's settings help (the desktop's
// -settings help) names every setting of the table and every dataset's
// parameter, and in Vietnamese has no text without a translation.
func TestHelpInVietnamese(t *testing.T) {
	var en strings.Builder
	if err := WriteHelp(&en); err != nil {
		t.Fatal(err)
	}
	for _, st := range Table {
		if !strings.Contains(en.String(), "  "+st.Key+"=") {
			t.Errorf("the help lacks %s", st.Key)
		}
	}
	if !strings.Contains(en.String(), "data=moons\n  n=2000") || !strings.Contains(en.String(), Table[0].Help) {
		t.Errorf("the help lacks the datasets' parameters or the settings' help:\n%s", en.String())
	}
	var miss []string
	i18n.SetMissHandler(func(lang, key string) { miss = append(miss, key) })
	defer i18n.SetMissHandler(nil)
	defer i18n.Set(i18n.Current())
	i18n.Set(i18n.Vietnamese)
	var vi strings.Builder
	if err := WriteHelp(&vi); err != nil {
		t.Fatal(err)
	}
	if len(miss) > 0 {
		t.Errorf("the help in Vietnamese lacks %d texts:\n%s", len(miss), strings.Join(miss, "\n"))
	}
	if !strings.Contains(vi.String(), "Tiên nghiệm\n") || vi.String() == en.String() {
		t.Errorf("the help is not in Vietnamese:\n%.400s", vi.String())
	}
}

// TestFileErrorsInVietnamese: what a dropped file that cannot be read
// says — a CSV with a bad value, too few or too many columns, no rows; a
// file that is no checkpoint — reads in Vietnamese with its details.
func TestFileErrorsInVietnamese(t *testing.T) {
	s := newSession(t, "data=moons", Inline)
	for _, f := range []struct{ name, body string }{
		{"value.csv", "x,y\n1,2\nfoo,3\n"},
		{"range.csv", "1,2\n1e999,3\n"},
		{"empty.csv", ""},
		{"wide.csv", "1,2,3,4\n"},
		{"ragged.csv", "1,2\n1,2,0\n"},
		{"label.csv", "1,2,0\n3,4,\n"},
		{"model.vae", "garbage"},
	} {
		err := s.LoadFile(f.name, strings.NewReader(f.body))
		if err == nil {
			t.Errorf("%s was read", f.name)
			continue
		}
		if miss := untranslated(err.Error()); len(miss) > 0 {
			t.Errorf("%q in Vietnamese lacks %q", err, miss)
		}
	}
}

// TestCheckpointErrorsInVietnamese: a dropped checkpoint that is damaged —
// cut short, a byte changed, from a newer build, a trainer's instead of a
// model's, grown by trailing bytes — says what is wrong in Vietnamese, its
// details too.
func TestCheckpointErrorsInVietnamese(t *testing.T) {
	s := newSession(t, "data=moons", Inline)
	var model, trainer bytes.Buffer
	if err := s.SaveModel(&model); err != nil {
		t.Fatal(err)
	}
	if err := s.run.(*inlineRunner).t.Save(&trainer); err != nil {
		t.Fatal(err)
	}
	good := model.Bytes()
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, f := range []struct {
		name string
		body []byte
	}{
		{"short.vae", good[:len(good)/2]},
		{"header.vae", good[:10]},
		{"flipped.vae", edit(func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b })},
		{"newer.vae", edit(func(b []byte) []byte { b[8] = 0x7f; return b })},
		{"trainer.vae", trainer.Bytes()},
		{"trailing.vae", edit(func(b []byte) []byte { return append(b, 1, 2, 3) })},
	} {
		err := s.LoadFile(f.name, bytes.NewReader(f.body))
		if err == nil {
			t.Errorf("%s was read", f.name)
			continue
		}
		if miss := untranslated(err.Error()); len(miss) > 0 {
			t.Errorf("%q in Vietnamese lacks %q", err, miss)
		}
	}
}
