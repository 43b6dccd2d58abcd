package session

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Export data writes what the session trained: a row per step with the
// trainer's numbers, and the codes the model gives its data now.
func TestExportHistoryAndCodes(t *testing.T) {
	for _, mode := range []Mode{Inline, Background} {
		s := newSession(t, "data=8gaussians&seed=2&batch=64", mode)
		s.StepN(30)
		var b bytes.Buffer
		if err := s.ExportHistory(&b); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 31 || recs[0][0] != "step" || recs[0][len(recs[0])-1] != "kl_z2" {
			t.Fatalf("mode %v: %d rows, header %v", mode, len(recs)-1, recs[0])
		}
		// The curve the screen draws and the export agree.
		for i, rec := range recs[1:] {
			elbo, _ := strconv.ParseFloat(rec[3], 64)
			if rec[0] != strconv.Itoa(i+1) || elbo != -s.History.Loss[i] {
				t.Fatalf("mode %v row %d: step %s ELBO %v, the curve has %v", mode, i, rec[0], elbo, -s.History.Loss[i])
			}
		}

		b.Reset()
		if err := s.ExportCodes(&b); err != nil {
			t.Fatal(err)
		}
		codes, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		n, _ := s.X.Dims()
		if want := min(n, maxExportCodes); len(codes) != want+1 {
			t.Fatalf("mode %v: %d code rows, want %d", mode, len(codes)-1, want)
		}
		// Row 1 of the export is row n/k of the data: its code is the model's.
		k := len(codes) - 1
		r := 1 * n / k
		var mu, lv mat.Dense
		s.Model.Encode(&mu, &lv, mat.NewDense(1, 2, []float64{s.X.At(r, 0), s.X.At(r, 1)}))
		row := codes[2]
		x, _ := strconv.ParseFloat(row[1], 64)
		m1, _ := strconv.ParseFloat(row[5], 64)
		s1, _ := strconv.ParseFloat(row[7], 64)
		if x != s.X.At(r, 0) || m1 != mu.At(0, 0) || math.Abs(s1-math.Exp(0.5*lv.At(0, 0))) > 1e-15 {
			t.Errorf("mode %v: code row %v, want x %v μ %v σ %v", mode, row, s.X.At(r, 0), mu.At(0, 0), math.Exp(0.5*lv.At(0, 0)))
		}
	}
}

func TestExportArchiveHoldsBothFiles(t *testing.T) {
	s := newSession(t, "data=moons&seed=1", Inline)
	s.StepN(5)
	var b bytes.Buffer
	if err := s.ExportArchive(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var want [2]bytes.Buffer
	s.ExportHistory(&want[0])
	s.ExportCodes(&want[1])
	if len(zr.File) != 2 || zr.File[0].Name != "history-step5.csv" || zr.File[1].Name != "codes-step5.csv" {
		t.Fatalf("files %v", zr.File)
	}
	for i, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		if !bytes.Equal(got, want[i].Bytes()) {
			t.Errorf("%s differs from the export", f.Name)
		}
	}
}
