package session

import (
	"slices"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/core"
)

func TestTableIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Table {
		if seen[s.Key] {
			t.Errorf("duplicate key %q", s.Key)
		}
		seen[s.Key] = true
		if err := s.Check(s.Default); err != nil {
			t.Errorf("default of %s: %v", s.Key, err)
		}
		if s.Help == "" || s.Label == "" || s.Section == "" {
			t.Errorf("%s: label, section and help are required", s.Key)
		}
		if s.Kind == Choice && len(s.Choices) == 0 {
			t.Errorf("%s: a choice without choices", s.Key)
		}
	}
	for _, name := range Lookup(NewValues(), "data").Choices {
		for _, d := range DataSettings(name) {
			if err := d.Check(d.Default); err != nil {
				t.Errorf("%s %s: %v", name, d.Key, err)
			}
		}
	}
}

func TestURLRoundTrip(t *testing.T) {
	v, got, hash := roundTrip(t, "data=circles", "d.noise=0.2", "d.factor=0.3", "prior=mixture",
		"comps=5", "beta=2.5", "lr=0.001", "flow=radial", "flowK=3", "bayes=on", "seed=42")
	for k, x := range v.m {
		if got.m[k] != x {
			t.Errorf("%s: %v after the round trip, want %v (link %q)", k, got.m[k], x, hash)
		}
	}
	if len(got.m) != len(v.m) {
		t.Errorf("%d values after the round trip, want %d", len(got.m), len(v.m))
	}
}

func TestHostileURL(t *testing.T) {
	def := NewValues()
	v, notes, _ := Decode("#data=%3Cscript%3Ealert(1)%3C/script%3E&latent=1e9&beta=NaN&lr=abc&width=99999&unknown=1&d.n=1e12&seed=-5&act=<img>&bayes=maybe&&=&%zz")
	if len(notes) < 8 {
		t.Errorf("want a note per bad value, got %d: %q", len(notes), notes)
	}
	check := map[string]float64{
		"data":   def.Get("data"), // unknown choice: default
		"latent": maxLatent,       // clamped
		"beta":   def.Get("beta"), // NaN: default
		"lr":     def.Get("lr"),
		"width":  maxWidth,
		"seed":   1,
		"act":    def.Get("act"),
		"bayes":  0,
	}
	for k, want := range check {
		if got := v.Get(k); got != want {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	for _, s := range v.Visible() {
		if err := s.Check(v.Get(s.Key)); err != nil {
			t.Errorf("value left invalid: %v", err)
		}
	}
	// Notes are drawn in the canvas only; still, they quote at most a
	// short clip of what the link held.
	long := "&x=" + strings.Repeat("A", 3000)
	_, notes, _ = Decode(long)
	for _, n := range notes {
		if len(n) > 120 {
			t.Errorf("note of %d bytes quotes too much of the link", len(n))
		}
	}
}

func TestDatasetChangeResetsItsParameters(t *testing.T) {
	v := NewValues()
	if err := v.SetText("d.noise", "0.5"); err != nil {
		t.Fatal(err)
	}
	if err := v.SetText("data", "pinwheel"); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.m["d.arms"]; !ok {
		t.Fatal("pinwheel's parameters missing after choosing it")
	}
	if v.Get("d.noise") != 0.1 {
		t.Errorf("noise %v carried over from moons, want pinwheel's default 0.1", v.Get("d.noise"))
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("data=moons&beta=2")
	f.Add("#latent=1e400&d.n=-1&pts=1~2~3")
	f.Add("data=pinwheel&d.arms=3.5&speed=max")
	f.Fuzz(func(t *testing.T, hash string) {
		v, _, _ := Decode(hash)
		for _, s := range v.Visible() {
			if err := s.Check(v.Get(s.Key)); err != nil {
				t.Fatalf("Decode(%q) left %v", hash, err)
			}
		}
	})
}

func TestImageSetsBringTheImageModel(t *testing.T) {
	v := NewValues()
	if err := v.SetText("data", "mnist"); err != nil {
		t.Fatal(err)
	}
	if v.Choice("lik") != "bernoulli" || v.Int("width") != 256 || v.Choice("act") != "relu" {
		t.Fatalf("mnist: %s, width %d, %s", v.Choice("lik"), v.Int("width"), v.Choice("act"))
	}
	if v.Get("d.n") > maxUIImages {
		t.Fatalf("mnist n %v above the UI's cap", v.Get("d.n"))
	}
	// A value equal to the 2-D default must survive a link on an image set.
	if err := v.SetText("width", "64"); err != nil {
		t.Fatal(err)
	}
	got, notes, _ := Decode(v.Encode())
	if len(notes) > 0 || got.Int("width") != 64 || got.Choice("data") != "mnist" {
		t.Fatalf("link %q reopened with width %d on %s (%v)", v.Encode(), got.Int("width"), got.Choice("data"), notes)
	}
	if err := v.SetText("data", "moons"); err != nil {
		t.Fatal(err)
	}
	if v.Choice("lik") != "gaussian" || v.Choice("act") != "tanh" {
		t.Fatalf("back to points: %s, %s", v.Choice("lik"), v.Choice("act"))
	}
}

func TestLabSettingsRoundTrip(t *testing.T) {
	v, got, hash := roundTrip(t, "mode=flowlab", "target=u3", "lflow=radial", "lK=32", "llr=0.002",
		"lbatch=128", "anneal=off", "lseed=42")
	for _, k := range []string{"mode", "target", "lflow", "lK", "llr", "lbatch", "anneal", "lseed"} {
		if got.Get(k) != v.Get(k) {
			t.Errorf("%s: %v after the round trip, want %v (link %q)", k, got.Get(k), v.Get(k), hash)
		}
	}
	// Every target is a choice a link can name; a hostile one falls back.
	for _, name := range LabTargets() {
		if g, notes, _ := Decode("mode=flowlab&target=" + name); len(notes) > 0 || g.Choice("target") != name {
			t.Errorf("target %s: read %s, notes %v", name, g.Choice("target"), notes)
		}
	}
	g, notes, _ := Decode("mode=flowlab&target=%3Cimg%3E&lK=1000&llr=-1")
	if len(notes) != 3 || g.Choice("target") != "u1" || g.Int("lK") != core.MaxFlowLayers {
		t.Errorf("hostile lab link: target %s, K %d, notes %v", g.Choice("target"), g.Int("lK"), notes)
	}
	// The lab's controls show in the lab, the VAE's outside it.
	keys := func(v *Values) (out []string) {
		for _, s := range v.Visible() {
			out = append(out, s.Key)
		}
		return out
	}
	if k := keys(got); !slices.Contains(k, "lK") || slices.Contains(k, "beta") || !slices.Contains(k, "mode") {
		t.Errorf("lab controls %v", k)
	}
	if k := keys(NewValues()); slices.Contains(k, "lK") || !slices.Contains(k, "beta") {
		t.Errorf("VAE controls %v", k)
	}
}

// The flow lab's settings say what they do (a new fit, or live) and never
// touch the VAE: a change only raises Version, which the lab follows.
func TestLabSettingsRefitWithoutTheVAE(t *testing.T) {
	for _, st := range Table {
		if st.Lab && st.Effect != Refit && st.Effect != Live {
			t.Errorf("%s: a lab setting marked %v", st.Key, st.Effect)
		}
	}
	s, err := New("", Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(3)
	model, version, hyper := s.Model, s.Version, s.TrainerHyper()
	for _, kv := range [][2]string{{"lK", "16"}, {"target", "u3"}, {"llr", "0.02"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
		if s.Version <= version {
			t.Errorf("%s: Version did not rise", kv[0])
		}
		version = s.Version
	}
	if s.Model != model || s.Steps() != 3 || s.TrainerHyper() != hyper {
		t.Fatal("a lab setting rebuilt or retuned the VAE")
	}
}

// roundTrip sets the key=value pairs, writes the link and reads it back
// (failing on any note): the values set, those read and the link.
func roundTrip(t *testing.T, kvs ...string) (v, got *Values, hash string) {
	t.Helper()
	v = NewValues()
	for _, kv := range kvs {
		k, x, _ := strings.Cut(kv, "=")
		if err := v.SetText(k, x); err != nil {
			t.Fatalf("%s=%s: %v", k, x, err)
		}
	}
	hash = v.Encode()
	got, notes, _ := Decode("#" + hash)
	if len(notes) > 0 {
		t.Fatalf("notes reading our own link %q: %v", hash, notes)
	}
	return v, got, hash
}

// The theme and the class palette travel in the link like every setting:
// they round-trip, a default is left out, a hostile value falls back to the
// default with a note, and both controls show in every mode.
func TestThemeSettingsRoundTrip(t *testing.T) {
	v, got, hash := roundTrip(t, "theme=light", "palette=colorblind")
	for _, k := range []string{"theme", "palette"} {
		if got.Get(k) != v.Get(k) {
			t.Errorf("%s: %v after the round trip, want %v (link %q)", k, got.Get(k), v.Get(k), hash)
		}
	}
	if got.Choice("theme") != "light" || got.Choice("palette") != "colorblind" {
		t.Errorf("link %q read as theme %s, palette %s", hash, got.Choice("theme"), got.Choice("palette"))
	}
	if !strings.Contains(hash, "theme=light") || !strings.Contains(hash, "palette=colorblind") {
		t.Errorf("link %q", hash)
	}
	if d := NewValues(); d.Choice("theme") != "auto" || d.Choice("palette") != "default" || strings.Contains(d.Encode(), "theme") {
		t.Errorf("defaults: theme %s, palette %s, link %q", d.Choice("theme"), d.Choice("palette"), d.Encode())
	}
	for _, name := range Themes {
		if g, notes, _ := Decode("theme=" + name); len(notes) > 0 || g.Choice("theme") != name {
			t.Errorf("theme=%s: read %s, notes %v", name, g.Choice("theme"), notes)
		}
	}
	g, notes, _ := Decode("theme=%3Cscript%3E&palette=12")
	if len(notes) != 2 || g.Choice("theme") != "auto" || g.Choice("palette") != "default" {
		t.Errorf("hostile link: theme %s, palette %s, notes %q", g.Choice("theme"), g.Choice("palette"), notes)
	}
	for _, hash := range []string{"", "mode=flowlab"} {
		v, _, _ := Decode(hash)
		var keys []string
		for _, s := range v.Visible() {
			keys = append(keys, s.Key)
		}
		if !slices.Contains(keys, "theme") || !slices.Contains(keys, "palette") {
			t.Errorf("link %q: controls %v lack theme or palette", hash, keys)
		}
	}
}
