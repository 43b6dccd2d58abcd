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

// ExportArchive writes both exports into one zip: history-stepN.csv and
// codes-stepN.csv.
func (s *Session) ExportArchive(w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{fmt.Sprintf("history-step%d.csv", s.Steps()), s.ExportHistory},
		{fmt.Sprintf("codes-step%d.csv", s.Steps()), s.ExportCodes},
	} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if err := f.write(fw); err != nil {
			return err
		}
	}
	return zw.Close()
}
