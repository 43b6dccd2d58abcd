package session

import (
	"slices"
	"strings"
	"testing"
)

// views= and controls= keep the known names in order, note the others,
// and travel in the link; "open in the playground" drops them.
func TestShownFromTheLink(t *testing.T) {
	s, err := New("data=8gaussians&prior=mixture&views=latent,loss,latent&controls=beta,prior,pflowK&embed=1", Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Notes) > 0 {
		t.Fatalf("notes on a good link: %v", s.Notes)
	}
	if !slices.Equal(s.Shown.Views, []string{"latent", "loss"}) || !slices.Equal(s.Shown.Controls, []string{"beta", "prior", "pflowK"}) || !s.Shown.Embed {
		t.Fatalf("shown %+v", s.Shown)
	}
	h := s.Hash()
	for _, want := range []string{"embed=1", "views=latent,loss", "controls=beta,prior,pflowK", "prior=mixture"} {
		if !strings.Contains(h, want) {
			t.Errorf("link %q lacks %q", h, want)
		}
	}
	full := s.PlaygroundHash()
	if strings.Contains(full, "embed") || strings.Contains(full, "views") || strings.Contains(full, "controls") || !strings.Contains(full, "prior=mixture") {
		t.Errorf("playground link %q", full)
	}
	if s.Hash() != h {
		t.Error("PlaygroundHash changed the session's link")
	}
	// The link reopens the same.
	s2, err := New(h, Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Hash() != h {
		t.Errorf("reopened %q, want %q", s2.Hash(), h)
	}
	if !EmbedLink(h) || EmbedLink(full) {
		t.Error("EmbedLink")
	}
}

// Hostile or unknown names give the defaults with a note, never a panic.
func TestShownBadNames(t *testing.T) {
	for _, tc := range []struct {
		link            string
		views, controls []string
		embed           bool
		notes           []string
	}{
		{link: "views=<script>alert(1)</script>,zzz", notes: []string{"views: unknown", "every view shown"}},
		{link: "views=latent,bogus", views: []string{"latent"}, notes: []string{`"bogus"`}},
		{link: "controls=nope", notes: []string{"controls: unknown", "default"}},
		{link: "embed=1&controls=nope", controls: []string{}, embed: true, notes: []string{"controls: unknown"}},
		{link: "embed=1", controls: []string{}, embed: true},
		{link: "embed=maybe", notes: []string{"embed:"}},
		{link: "controls=", controls: []string{}},
		{link: "controls=BETA,d.noise,tool,stage2", controls: []string{"beta", "d.noise", "tool", "stage2"}},
		{link: "views=images,manifold", views: []string{"data", "flow"}},
		{link: "views=" + strings.Repeat("latent,", 100) + "kl", views: []string{"latent"}, notes: nil},
	} {
		s, err := New(tc.link, Inline)
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(s.Notes, "; ")
		for _, n := range tc.notes {
			if !strings.Contains(notes, n) {
				t.Errorf("%s: notes %q lack %q", tc.link[:min(40, len(tc.link))], notes, n)
			}
		}
		if len(tc.notes) == 0 && notes != "" {
			t.Errorf("%s: notes %q", tc.link, notes)
		}
		if strings.Contains(notes, "</script>") {
			t.Errorf("a note repeats the script: %q", notes)
		}
		if !slices.Equal(s.Shown.Views, tc.views) || (s.Shown.Views == nil) != (tc.views == nil) {
			t.Errorf("%s: views %q, want %q", tc.link[:min(40, len(tc.link))], s.Shown.Views, tc.views)
		}
		if !slices.Equal(s.Shown.Controls, tc.controls) || (s.Shown.Controls == nil) != (tc.controls == nil) {
			t.Errorf("%s: controls %q, want %q", tc.link, s.Shown.Controls, tc.controls)
		}
		if s.Shown.Embed != tc.embed {
			t.Errorf("%s: embed %v", tc.link, s.Shown.Embed)
		}
		s.Close()
	}
}

// Every scene tool and view name is one the screen knows.
func TestShownNames(t *testing.T) {
	for name := range SceneTools {
		if !IsControl(name) {
			t.Errorf("scene tool %q is no control", name)
		}
	}
	for _, key := range []string{"beta", "prior", "mode", "pflowK", "d.noise", "d.n"} {
		if !IsControl(key) {
			t.Errorf("%q is no control", key)
		}
	}
	if IsControl("d.bogus") || IsControl("") {
		t.Error("bogus control accepted")
	}
	if got := ViewsOf("vae"); !slices.Equal(got, []string{"data", "latent", "loss", "kl", "flow"}) {
		t.Errorf("vae views %q", got)
	}
	if got := ViewsOf("flowlab"); len(got) != 6 {
		t.Errorf("lab views %q", got)
	}
}
