package session

import (
	"strings"
	"testing"
)

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
