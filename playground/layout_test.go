package playground

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// screens are the sizes the layout is checked at: phones upright and on
// their side, a tablet, desktops.
var screens = []struct {
	name   string
	w, h   float64 // CSS pixels
	scale  float64
	touch  bool
	compct bool
}{
	{"phone-portrait", 390, 844, 3, true, true},
	{"phone-landscape", 844, 390, 3, true, true},
	{"small-phone", 360, 640, 2, true, true},
	{"tablet", 1024, 768, 2, true, false},
	{"tablet-upright", 768, 1024, 2, true, true},
	{"desktop", 1280, 800, 1, false, false},
	{"desktop-small", 800, 500, 1, false, false},
	{"desktop-hidpi", 1440, 900, 2, false, false},
}

// dirAssets serves asset datasets from a folder (the site's data folder,
// where `make site` puts MNIST).
type dirAssets string

func (d dirAssets) Fetch(name string, _ func(done, total int64)) ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d), name))
}

// layoutScenes are the scenes the layout is checked with.
var layoutScenes = []struct{ name, hash string }{
	{"vae", "data=8gaussians&prior=mixture"},
	{"mnist", "data=mnist"}, // shapes where the site's MNIST is not built

	{"flowlab", "mode=flowlab"},
	{"compare", "data=8gaussians&compare=prior:mixture"},
}

// Every layout, at every size: the regions do not overlap, the text is
// at least 11 CSS pixels, every control can be reached (scrolled to, on a
// phone after opening the controls) and lies whole inside the window, and
// with a finger its rows and the top bar's buttons are 44 CSS pixels high.
func TestLayoutsAtEverySize(t *testing.T) {
	for _, scn := range layoutScenes {
		hash := scn.hash
		if _, err := os.Stat("../dist/data/mnist.vpk"); err != nil && scn.name == "mnist" {
			hash = "data=shapes&d.n=400"
		}
		for _, sz := range screens {
			if scn.name != "vae" && strings.HasPrefix(sz.name, "desktop-") {
				continue // the VAE's views check the desktop's other sizes
			}
			t.Run(scn.name+"/"+sz.name, func(t *testing.T) {
				s, err := session.NewWithAssets(hash, session.Inline, dirAssets("../dist/data"))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				w, h := int(sz.w*sz.scale), int(sz.h*sz.scale)
				sc := NewScreen(s, w, h, sz.scale)
				sc.SetTouch(sz.touch)
				away := ui.Input{X: -1, Y: -1}
				t0 := runFrames(sc, 3, away, time.Unix(0, 0))
				sc.sceneKey("space", away)
				t0 = runFrames(sc, 8, away, t0)
				sc.sceneKey("space", away)
				t0 = runFrames(sc, 3, away, t0)
				checkLayout(t, sc, sz.scale, sz.touch, sz.compct)
				layoutShot(t, sc, scn.name+"-"+sz.name)
				checkReachable(t, sc, sz.scale, sz.touch, t0)
			})
		}
	}
}

func checkLayout(t *testing.T, sc *Screen, scale float64, touch, compact bool) {
	t.Helper()
	l := sc.L
	if l.Compact != compact {
		t.Fatalf("compact %v, want %v", l.Compact, compact)
	}
	if sc.Scale != scale || sc.Frame.Bounds() != l.Window {
		t.Fatalf("laid out at scale %v over %v (window %v): shrunk", sc.Scale, sc.Frame.Bounds(), l.Window)
	}
	// The smallest face's size, in CSS pixels.
	if m := sc.th.Small.Metrics(); float64(m.Ascent.Ceil()+m.Descent.Ceil()) < 11*scale*0.9 {
		t.Errorf("the smallest text is %d device px high at scale %v", m.Ascent.Ceil()+m.Descent.Ceil(), scale)
	}
	regions := map[string]image.Rectangle{"top": l.Top, "status": l.Status}
	if compact {
		regions["view"] = l.View
	} else {
		regions["controls"], regions["main"] = l.Controls, l.Main
	}
	for n, r := range regions {
		if r.Empty() || !r.In(l.Window) {
			t.Errorf("%s %v empty or outside %v", n, r, l.Window)
		}
		for m, q := range regions {
			if n < m && r.Overlaps(q) {
				t.Errorf("%s %v overlaps %s %v", n, r, m, q)
			}
		}
	}
	for a, ra := range sc.topRects {
		if !ra.In(l.Top) {
			t.Errorf("top bar: %s %v outside the bar %v", a, ra, l.Top)
		}
		for b, rb := range sc.topRects {
			if a < b && ra.Overlaps(rb) {
				t.Errorf("top bar: %s %v overlaps %s %v", a, ra, b, rb)
			}
		}
		if a != "status" && touch && float64(ra.Dy()) < 44*scale {
			t.Errorf("top bar: %s is %d px high at scale %v with touch", a, ra.Dy(), scale)
		}
	}
	if sc.topRects["status"].Dx() == 0 {
		t.Error("no status text in the top bar")
	}
	if compact {
		if _, ok := sc.topRects["menu"]; !ok {
			t.Error("no menu on a phone")
		}
		if _, ok := sc.topRects["controls"]; !ok {
			t.Error("no controls button on a phone")
		}
		// The sheet's panels lie inside it, apart.
		sl := sc.sheet.l
		panels := map[string]image.Rectangle{}
		if sc.S.Values.Choice("mode") == "vae" && sc.cmp == nil {
			panels = map[string]image.Rectangle{"data": sl.Data, "latent": sl.Latent, "flow": sl.Flow, "loss": sl.Loss, "kl": sl.KL}
			if sl.Data.Dx() != sl.Data.Dy() || sl.Latent.Dx() != sl.Latent.Dy() {
				t.Errorf("data %v and latent %v not square", sl.Data, sl.Latent)
			}
		}
		if sc.cmp != nil {
			p := sc.cmp.Panels()
			panels = map[string]image.Rectangle{"latentA": p.LatentA, "latentB": p.LatentB, "dataA": p.DataA, "dataB": p.DataB, "table": p.Table, "loss": p.Loss}
		}
		for n, r := range panels {
			if r.Empty() || !r.In(sl.Window) {
				t.Errorf("sheet: %s %v empty or outside %v", n, r, sl.Window)
			}
			for m, q := range panels {
				if n < m && r.Overlaps(q) {
					t.Errorf("sheet: %s %v overlaps %s %v", n, r, m, q)
				}
			}
		}
	}
}

// checkReachable opens the controls (a phone's panel) and scrolls the
// column through: every setting shown comes whole into the column once, at
// a finger's height where touch is on; an open list's rows are as high.
func checkReachable(t *testing.T, sc *Screen, scale float64, touch bool, t0 time.Time) {
	t.Helper()
	if sc.L.Compact {
		t0 = click(sc, "controls", t0)
		if !sc.ControlsShown() {
			t.Fatal("the controls button did not open the controls")
		}
	}
	col := sc.L.Controls
	seen := map[string]bool{}
	values, _ := sc.edited()
	for range 200 {
		for k, r := range sc.controlRect {
			if r.Empty() || r.Min.Y <= col.Min.Y || r.Max.Y >= col.Max.Y {
				continue // cut by the column's edge
			}
			seen[k] = true
			if !r.In(sc.L.Window) {
				t.Errorf("%s %v outside the window", k, r)
			}
			if touch && float64(r.Dy()) < 44*scale {
				t.Errorf("%s is %d px high at scale %v with touch", k, r.Dy(), scale)
			}
		}
		off, limit := sc.Scroll()
		if off >= limit {
			break
		}
		in := ui.Input{X: (col.Min.X + col.Max.X) / 2, Y: (col.Min.Y + col.Max.Y) / 2, Wheel: -1}
		t0 = runFrames(sc, 1, in, t0)
		t0 = runFrames(sc, 1, ui.Input{X: in.X, Y: in.Y}, t0)
	}
	var missing []string
	for _, st := range values.Visible() {
		if !seen[st.Key] {
			missing = append(missing, st.Key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("never reached whole in the column %v: %s", col, strings.Join(missing, ", "))
	}
	layoutShot(t, sc, fmt.Sprintf("controls-%s-%dx%d", sc.S.Values.Choice("mode"), sc.L.Window.Dx(), sc.L.Window.Dy()))
}

// layoutShot writes the screen with its overlay to $PLAYGROUND_SHOTS/name.png
// (and a phone's whole sheet to name-sheet.png).
func layoutShot(t *testing.T, sc *Screen, name string) {
	dir := os.Getenv("PLAYGROUND_SHOTS")
	if dir == "" {
		return
	}
	writePNG(t, filepath.Join(dir, name+".png"), composite(sc))
	if sc.L.Compact && sc.sheet.img != nil {
		writePNG(t, filepath.Join(dir, name+"-sheet.png"), sc.sheet.img)
	}
}

// composite is the frame with the overlay over it, as the screen shows it.
func composite(sc *Screen) *image.RGBA {
	img := image.NewRGBA(sc.Frame.Bounds())
	copy(img.Pix, sc.Frame.Pix)
	for i := 0; i < len(img.Pix); i += 4 { // premultiplied: over
		a := uint32(sc.Overlay.Pix[i+3])
		for c := range 3 {
			img.Pix[i+c] = uint8((uint32(img.Pix[i+c])*(255-a) + uint32(sc.Overlay.Pix[i+c])*255) / 255)
		}
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// On a phone the views scroll in their sheet: a wheel turn (a swipe) over
// them moves the sheet and the views' rectangles with it, a tap on the
// latent view where it now shows decodes that point, the controls button
// opens the controls over the views and closes them again (the views come
// back), and turning the phone lays it out anew at once.
func TestPhoneSheet(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians")
	sc.Resize(390*3, 844*3, 3)
	away := ui.Input{X: -1, Y: -1}
	t0 := runFrames(sc, 3, away, time.Unix(0, 0))
	off, limit := sc.SheetScroll()
	if !sc.L.Compact || off != 0 || limit <= 0 {
		t.Fatalf("phone: compact %v, sheet scroll %d of %d", sc.L.Compact, off, limit)
	}
	_, latent := sc.ViewRects()
	v := sc.L.View
	mid := image.Pt((v.Min.X+v.Max.X)/2, (v.Min.Y+v.Max.Y)/2)
	t0 = runFrames(sc, 1, ui.Input{X: mid.X, Y: mid.Y, Wheel: -2}, t0)
	t0 = runFrames(sc, 2, ui.Input{X: mid.X, Y: mid.Y}, t0)
	off, _ = sc.SheetScroll()
	_, latent2 := sc.ViewRects()
	if off != 2*sc.px(40) || latent2 != latent.Sub(image.Pt(0, off)) {
		t.Fatalf("after two wheel steps down: scroll %d, latent %v → %v", off, latent, latent2)
	}
	// The frame shows the sheet where it is scrolled to.
	at := image.Pt(v.Min.X+sc.px(30), v.Min.Y+sc.px(30))
	if sc.Frame.RGBAAt(at.X, at.Y) != sc.sheet.img.RGBAAt(at.X-v.Min.X, at.Y-v.Min.Y+off) {
		t.Fatal("the frame does not show the scrolled sheet")
	}
	// A tap in the latent view, where it shows now.
	p := image.Pt(latent2.Min.X+latent2.Dx()/4, latent2.Max.Y-latent2.Dy()/4)
	if !p.In(v) {
		t.Fatalf("the tap's point %v is not in the view %v", p, v)
	}
	tapAt := func(p image.Point) {
		tap := ui.Input{X: p.X, Y: p.Y, Touch: true, Pressed: true, Down: true}
		t0 = runFrames(sc, 1, tap, t0)
		tap.Pressed, tap.Down, tap.Released = false, false, true
		t0 = runFrames(sc, 1, tap, t0)
		t0 = runFrames(sc, 2, ui.Input{X: p.X, Y: p.Y, Touch: true}, t0)
	}
	tapAt(p)
	d := sc.Decoded()
	if d == nil {
		t.Fatal("a tap on the latent view decoded nothing")
	}
	first := *d
	if o, _ := sc.SheetScroll(); o != off {
		t.Fatalf("the first touch moved the sheet from %d to %d", off, o)
	}
	_, latent2 = sc.ViewRects() // the bar grew for a finger: the view moved down
	tapAt(image.Pt(latent2.Max.X-latent2.Dx()/4, latent2.Min.Y+latent2.Dy()/4))
	if d := sc.Decoded(); d == nil || *d == first {
		t.Fatalf("a second tap elsewhere decoded %v (first %v)", d, first)
	}
	if !sc.Touch() || sc.rowH() != sc.px(44) {
		t.Fatalf("after a touch: touch %v, rows %d px", sc.Touch(), sc.rowH())
	}
	// The controls over the views, and back.
	t0 = click(sc, "controls", t0)
	if !sc.ControlsShown() || sc.ControlRect("data").Empty() {
		t.Fatal("the controls did not open")
	}
	t0 = click(sc, "controls", t0)
	t0 = runFrames(sc, 2, away, t0)
	if sc.ControlsShown() || !sc.ControlRect("data").Empty() {
		t.Fatal("the controls did not close")
	}
	if sc.Frame.RGBAAt(at.X, at.Y) != sc.sheet.img.RGBAAt(at.X-v.Min.X, at.Y-v.Min.Y+off) {
		t.Fatal("the views did not come back after the controls closed")
	}
	// Turned on its side.
	sc.Resize(844*3, 390*3, 3)
	runFrames(sc, 2, away, t0)
	if !sc.L.Compact || sc.L.Controls.Dx() >= sc.L.View.Dx() || sc.sheet.l.Data.Max.X > sc.sheet.l.Latent.Min.X {
		t.Fatalf("on its side: compact %v, controls %v in view %v, data %v beside latent %v", sc.L.Compact, sc.L.Controls, sc.L.View, sc.sheet.l.Data, sc.sheet.l.Latent)
	}
	if s.Steps() != 0 {
		t.Fatalf("%d steps without Play", s.Steps())
	}
}

// On a touch screen the help says how touch works, first, and all of it
// fits the phone's help box; with a mouse it does not speak of touch.
func TestHelpSaysHowTouchWorks(t *testing.T) {
	_, sc := newScreen(t, "")
	if strings.Contains(sc.helpText(), "long press") {
		t.Fatal("the mouse's help speaks of touch")
	}
	sc.Resize(390*3, 844*3, 3)
	sc.SetTouch(true)
	sc.QueueKey(KeyHelp)
	runFrames(sc, 2, ui.Input{X: -1, Y: -1}, time.Unix(0, 0))
	text := sc.helpText()
	for _, want := range []string{"tap is a click", "long press", "Swipe up or down", "drag mixture centres"} {
		if !strings.Contains(text, want) {
			t.Errorf("the touch help lacks %q", want)
		}
	}
	if !strings.HasPrefix(text, touchHelp) || !strings.HasSuffix(text, sc.current().Help()) {
		t.Error("the touch note does not come first, before the scene's help")
	}
	// The paragraph ends inside the box: nothing cut off at its bottom.
	b := sc.Overlay.Bounds()
	box := image.Rect(sc.px(20), sc.px(20), b.Dx()-sc.px(20), b.Dy()-sc.px(20))
	end := drawnHelpEnd(sc)
	if end >= sc.f.Inside(box, 40, 16, 10, 16).Max.Y-render.LineHeight(sc.th.Label) {
		t.Errorf("the help runs to the bottom of its box (%d of %v): cut off", end, box)
	}
	layoutShot(t, sc, "help-phone-touch")
}

// drawnHelpEnd is where the help's paragraph ends when drawn into a copy of
// the overlay with no limit below.
func drawnHelpEnd(sc *Screen) int {
	b := sc.Overlay.Bounds()
	tall := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()*3))
	box := image.Rect(sc.px(20), sc.px(20), b.Dx()-sc.px(20), b.Dy()*3)
	return render.DrawParagraph(tall, sc.th.Label, sc.f.Inside(box, 40, 16, 10, 16), sc.helpText(), sc.th.Text)
}

// A lesson on a phone goes compact: upright, its text in a band under the
// top bar and the step's views (only those) stacked in the sheet below; on
// its side, a column on the right of the sheet's view. Its buttons are a
// finger's height, and a link's views= alone on a phone is compact too.
func TestPhoneLesson(t *testing.T) {
	_, sc := newScreen(t, "lesson=priors&step=4")
	sc.SetTouch(true)
	sc.Resize(390*3, 844*3, 3)
	away := ui.Input{X: -1, Y: -1}
	t0 := runFrames(sc, 3, away, time.Unix(0, 0))
	l := sc.L
	if !l.Compact || l.Lesson.Empty() || l.Lesson.Min.Y != l.Top.Max.Y || l.View.Min.Y != l.Lesson.Max.Y || l.Lesson.Dx() != l.Window.Dx() {
		t.Fatalf("upright: compact %v, lesson %v under the bar %v, view %v", l.Compact, l.Lesson, l.Top, l.View)
	}
	sh := sc.sheet.l
	if sh.Latent.Empty() || sh.KL.Empty() || sh.Data.Empty() || !sh.Loss.Empty() || !sh.Flow.Empty() {
		t.Fatalf("step 4's sheet shows latent %v, kl %v, data %v, loss %v, flow %v", sh.Latent, sh.KL, sh.Data, sh.Loss, sh.Flow)
	}
	if !(sh.Latent.Max.Y <= sh.KL.Min.Y && sh.KL.Max.Y <= sh.Data.Min.Y) || sh.Latent.Dx() < l.Window.Dx()*9/10 {
		t.Errorf("the sheet does not stack latent %v, kl %v, data %v in the step's order at full width", sh.Latent, sh.KL, sh.Data)
	}
	for _, id := range []string{"close", "prev", "next", "steps"} {
		if r := sc.LessonRects()[id]; r.Dy() < sc.px(ui.MinTouchTarget) || !r.In(l.Lesson) {
			t.Errorf("the lesson's %s button %v: lower than a finger or outside the band %v", id, r, l.Lesson)
		}
	}
	if !varied(sc.Frame, l.Lesson) || !varied(sc.Frame, l.View) {
		t.Error("the lesson's band or the view is blank")
	}
	shot(t, sc, "phone-lesson.png")
	// Next, by a tap: step 5.
	tap := func(r image.Rectangle) {
		p := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
		in := ui.Input{X: p.X, Y: p.Y, Touch: true, Pressed: true, Down: true}
		t0 = runFrames(sc, 1, in, t0)
		in.Pressed, in.Down, in.Released = false, false, true
		t0 = runFrames(sc, 1, in, t0)
		t0 = runFrames(sc, 2, ui.Input{X: p.X, Y: p.Y, Touch: true}, t0)
	}
	tap(sc.LessonRects()["next"])
	if sc.Lesson().Index != 4 {
		t.Fatalf("a tap on Next: step %d", sc.Lesson().Index+1)
	}
	// On its side: the column on the right, the view left of it.
	sc.Resize(844*3, 390*3, 3)
	t0 = runFrames(sc, 2, away, t0)
	l = sc.L
	if !l.Compact || l.Lesson.Empty() || l.Lesson.Min.X != l.View.Max.X || l.Lesson.Max.X != l.Window.Max.X || l.Controls.Max.X > l.View.Max.X {
		t.Fatalf("on its side: lesson %v, view %v, controls %v", l.Lesson, l.View, l.Controls)
	}
	sh = sc.sheet.l
	for _, r := range []image.Rectangle{sh.Latent, sh.KL, sh.Data} {
		if r.Empty() || !r.In(sh.Window) || sh.Window.Dx() != l.View.Dx() {
			t.Errorf("on its side the panel %v is not within the sheet %v as wide as the view %v", r, sh.Window, l.View)
		}
	}
	if sh.Latent.Dy() < l.View.Dy()*8/10 || sh.Latent.Overlaps(sh.Data) || sh.KL.Overlaps(sh.Data) {
		t.Errorf("on its side the plots latent %v and data %v are not side by side as high as the view %v", sh.Latent, sh.Data, l.View)
	}
	shot(t, sc, "phone-lesson-side.png")
	// A link's views= without a lesson: compact, only those panels.
	_, sc2 := newScreen(t, "views=latent,loss")
	sc2.Resize(390*3, 844*3, 3)
	runFrames(sc2, 2, away, time.Unix(0, 0))
	sh = sc2.sheet.l
	if !sc2.L.Compact || sh.Latent.Empty() || sh.Loss.Empty() || !sh.Data.Empty() || !sh.KL.Empty() {
		t.Fatalf("views=latent,loss on a phone: compact %v, latent %v, loss %v, data %v", sc2.L.Compact, sh.Latent, sh.Loss, sh.Data)
	}
}
