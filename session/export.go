package session

import (
	"archive/zip"
	"fmt"
	"io"

	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/record"
	"gonum.org/v1/gonum/mat"
)

// ExportHistory writes the run's numbers as CSV (record.WriteSteps): step,
// epoch, loss, ELBO, reconstruction, KL, β, learning rate, skipped steps
// and KL per latent dimension, one row per kept step.
func (s *Session) ExportHistory(w io.Writer) error {
	return record.WriteSteps(w, s.History.Log.Steps())
}

// maxExportCodes bounds the rows ExportCodes encodes.
const maxExportCodes = 5000

// ExportCodes writes the current codes of the data as CSV
// (record.WriteCodes): evenly spaced rows, at most 5000, with their inputs
// (points only), label, μ and σ per latent dimension.
func (s *Session) ExportCodes(w io.Writer) error {
	n, d := s.X.Dims()
	k := min(n, maxExportCodes)
	sub := mat.NewDense(k, d, nil)
	labels := make([]int, k)
	for i := range k {
		r := i * n / k
		sub.SetRow(i, s.X.RawRowView(r))
		labels[i] = s.Data.Label(r)
	}
	var mu, lv mat.Dense
	s.Model.Encode(&mu, &lv, sub)
	c := record.Codes{Labels: labels, LabelNames: s.Data.LabelNames, Mu: &mu, LogVar: &lv}
	if s.Data.Kind == datasets.Points2D {
		c.Data = sub
	}
	return record.WriteCodes(w, c)
}

// ExportFile is one file of an export: its name and what writes it.
type ExportFile struct {
	Name  string
	Write func(io.Writer) error
}

// ExportFiles are the run's exports, their names starting with prefix:
// history-stepN.csv (ExportHistory) and codes-stepN.csv (ExportCodes).
func (s *Session) ExportFiles(prefix string) []ExportFile {
	return []ExportFile{
		{fmt.Sprintf("%shistory-step%d.csv", prefix, s.Steps()), s.ExportHistory},
		{fmt.Sprintf("%scodes-step%d.csv", prefix, s.Steps()), s.ExportCodes},
	}
}

// ExportArchive writes both exports into one zip: history-stepN.csv and
// codes-stepN.csv.
func (s *Session) ExportArchive(w io.Writer) error { return WriteArchive(w, s.ExportFiles("")...) }

// WriteArchive writes files into one zip.
func WriteArchive(w io.Writer, files ...ExportFile) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.Create(f.Name)
		if err != nil {
			return err
		}
		if err := f.Write(fw); err != nil {
			return err
		}
	}
	return zw.Close()
}
