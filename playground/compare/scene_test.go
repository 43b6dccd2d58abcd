package compare

import (
	"bytes"
	"encoding/csv"
	"image"
	"strconv"
	"testing"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/playground/scene/scenetest"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

func host(t *testing.T, hash string, w, h int) (*Scene, *scenetest.Host) {
	t.Helper()
	s, err := session.New(hash, session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	spec, _ := s.CompareLink()
	sc, err := New(s, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sc.Close)
	return sc, scenetest.New(s, sc, w, h, 1)
}

// Space, '.' and 'r' act on both models; the scene draws both latent views
// and the table; the table's CSV has A's and B's numbers as drawn.
func TestSceneKeysActOnBoth(t *testing.T) {
	sc, h := host(t, "data=moons&compare=beta:0.5", 1280, 800)
	c := sc.C
	t0 := time.Unix(0, 0)
	h.Update(ui.Input{}, []string{scene.KeySpace}, t0)
	if !sc.Playing() {
		t.Fatal("space did not start both")
	}
	t0 = scenetest.RunFrames(h, 20, ui.Input{}, t0)
	h.Update(ui.Input{}, []string{scene.KeySpace}, t0.Add(16*time.Millisecond))
	if sc.Playing() || c.A.Steps() == 0 || c.A.Steps() != c.B.Steps() {
		t.Fatalf("playing %v, steps %d %d", sc.Playing(), c.A.Steps(), c.B.Steps())
	}
	n := c.A.Steps()
	h.Update(ui.Input{}, []string{scene.KeyStep}, t0.Add(32*time.Millisecond))
	if c.A.Steps() != n+1 || c.B.Steps() != n+1 {
		t.Fatalf("after a step: %d %d, want %d", c.A.Steps(), c.B.Steps(), n+1)
	}
	for i := 0; i < 400 && sc.Results().Steps != [2]int{n + 1, n + 1}; i++ {
		t0 = scenetest.RunFrames(h, 1, ui.Input{}, t0)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"latent A", variance(h, sc.Panels().LatentA)}, {"latent B", variance(h, sc.Panels().LatentB)}, {"data B", variance(h, sc.Panels().DataB)}, {"table", variance(h, sc.Panels().Table)}} {
		if r.v < 10 {
			t.Errorf("%s blank (variance %v)", r.name, r.v)
		}
	}
	var buf bytes.Buffer
	if err := sc.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 8 || recs[1][0] != "ELBO" {
		t.Fatalf("CSV %q, %v", recs, err)
	}
	if a, _ := strconv.ParseFloat(recs[1][1], 64); a != sc.Results().Rows[0].A {
		t.Fatalf("CSV ELBO A %v, table %v", a, sc.Results().Rows[0].A)
	}
	h.Update(ui.Input{}, []string{scene.KeyReset}, t0.Add(16*time.Millisecond))
	if c.A.Steps() != 0 || c.B.Steps() != 0 {
		t.Fatalf("after reset: %d %d", c.A.Steps(), c.B.Steps())
	}
}

// The controls edit A or B as switched; B's change is what the link says.
func TestSceneEditsAOrB(t *testing.T) {
	sc, _ := host(t, "data=moons&compare=on", 1280, 800)
	if sc.EditedValues() != sc.C.A.Values {
		t.Fatal("the controls do not start on A")
	}
	sc.EditB = true
	if err := sc.SetSetting("latent", 3); err != nil {
		t.Fatal(err)
	}
	if sc.C.B.Config.LatentDim != 3 || sc.C.A.Config.LatentDim != 2 || sc.C.Spec() != "latent:3" {
		t.Fatalf("latent A %d B %d, spec %q", sc.C.A.Config.LatentDim, sc.C.B.Config.LatentDim, sc.C.Spec())
	}
	sc.EditB = false
	if err := sc.SetSetting("beta", 2); err != nil {
		t.Fatal(err)
	}
	sc.C.Tick(time.Now())
	if sc.C.B.Values.Get("beta") != 2 {
		t.Fatal("B does not follow A where it has no setting of its own")
	}
}

func variance(h *scenetest.Host, r image.Rectangle) float64 {
	return scenetest.Variance(h.Frame.SubImage(r).(*image.RGBA))
}
