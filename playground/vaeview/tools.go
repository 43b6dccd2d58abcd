package vaeview

import (
	"fmt"
	"slices"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/session"
)

// dataTools are the data view's tools (draw, erase, class) in the Data
// section.
func (vw *View) dataTools(c scene.Tools) {
	if c.Dropdown("tool", c.Row("tool"), "data view tool", tools, &vw.tool,
		"inspect: click a point to select its code. draw: click or drag in the data view to add points of the chosen class. erase: drag to remove drawn points.") {
		if vw.tool > 0 && vw.s.Values.Choice("data") != session.DrawnSet {
			vw.s.Message = "drawing: points you add form the 'drawn' dataset"
		}
	}
	if vw.tool == 1 {
		// Shown from 1, as the legend names the classes ("class 1" is 0).
		k := vw.class + 1
		cr := c.Row("class")
		if c.Stepper("class", cr, "draw class", &k, 1, 10, "The class (colour) of the points you draw.") {
			vw.class = k - 1
		}
	}
	if vw.s.Drawn.Len() > 0 && c.Button("clear", c.Row("clear"), fmt.Sprintf("clear drawing (%d points)", vw.s.Drawn.Len()), "Remove every drawn point (the model keeps its last data until you draw again).") {
		vw.s.ClearDrawing()
		vw.f.ControlsDirty = true
	}
}

// className is how the controls name a drawn class: as the legend does
// (the canvas names label 0 "class 1"; the stepper said 0).
func className(k int) string { return fmt.Sprintf("class %d", k+1) }

// priorTools: the two-stage prior's second fit.
func (vw *View) priorTools(c scene.Tools) {
	s := vw.s
	if s.Config.Prior.Kind != "two-stage" {
		return
	}
	label := "fit the second stage"
	if st := s.Stage2; st != nil && !st.Ready() {
		label = fmt.Sprintf("fitting: %d / %d", st.Steps, st.Target)
		vw.f.ControlsDirty = true // the count moves
	} else if st.Ready() {
		label = fmt.Sprintf("refit (fitted at step %d)", st.AtStep)
	}
	if c.Button("stage2", c.Row("stage2"), label, "Two-stage VAE: once stage one has trained, fit a second small VAE to its codes. Its density then replaces N(0, I) in the latent view and generates the samples: it covers the codes where N(0, I) does not.") {
		if err := s.FitSecondStage(); err != nil {
			s.Message = err.Error()
		}
		vw.f.ControlsDirty = true
	}
}

// Tools of the data view.
var tools = []string{"inspect", "draw", "erase"}

// SetTool chooses the data view's tool by name (inspect, draw, erase), as
// its dropdown does; an unknown name is ignored.
func (vw *View) SetTool(name string) {
	if i := slices.Index(tools, name); i >= 0 {
		vw.tool = i
	}
}

// DrawClass is the class the draw tool adds points of (label 0 first).
func (vw *View) DrawClass() int { return vw.class }

// ClassName is how the views name drawn class k: as the legend does (the
// canvas names label 0 "class 1").
func ClassName(k int) string { return className(k) }
