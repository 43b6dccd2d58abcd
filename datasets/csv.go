package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Limits on user data. Inputs beyond them are rejected with an error.
const (
	MaxCSVRows   = 100_000  // data rows in a CSV file
	MaxCSVBytes  = 16 << 20 // bytes in a CSV file
	MaxAbsValue  = 1e6      // |coordinate| of a user point
	MaxLabels    = 64       // distinct labels in user data
	MaxDrawnRows = 20_000   // points on a Canvas
)

// LineError is an error at a line of a text input (1-based).
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ReadCSV reads 2-D points from CSV text: two columns x,y or three columns
// x,y,label. A first line whose x or y field is not a number is taken as a
// header. Fields may be separated by commas, semicolons or tabs (the first
// line decides); lines starting with # and blank lines are skipped. Labels
// may be whole numbers (kept in numeric order) or any text (kept in order
// of appearance), at most MaxLabels distinct ones.
//
// Every value is checked: a non-number, NaN or ±Inf, a magnitude above
// MaxAbsValue, a wrong column count, an empty file or more than MaxCSVRows
// rows is an error naming the line (a *LineError where a line is at fault).
// On error no dataset is returned.
func ReadCSV(r io.Reader) (*Dataset, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	if len(data) > MaxCSVBytes {
		return nil, fmt.Errorf("csv: file is larger than %d bytes", MaxCSVBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))

	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	var (
		xs        []float64
		rawLabels []string
		labelLine []int
		cols      int // 2 or 3 once known
		first     = true
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &LineError{pe.Line, pe.Err}
			}
			return nil, fmt.Errorf("csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if len(rec) != 2 && len(rec) != 3 {
				return nil, &LineError{line, fmt.Errorf("%d columns; want x,y or x,y,label", len(rec))}
			}
			cols = len(rec)
			if isHeader(rec) {
				continue
			}
		}
		if len(rec) != cols {
			return nil, &LineError{line, fmt.Errorf("%d columns, want %d like the first line", len(rec), cols)}
		}
		if len(xs)/2 >= MaxCSVRows {
			return nil, &LineError{line, fmt.Errorf("more than %d data rows", MaxCSVRows)}
		}
		for j := 0; j < 2; j++ {
			v, err := parseCoord(rec[j])
			if err != nil {
				return nil, &LineError{line, fmt.Errorf("column %d (%s): %w", j+1, "xy"[j:j+1], err)}
			}
			xs = append(xs, v)
		}
		if cols == 3 {
			l := strings.TrimSpace(rec[2])
			if l == "" {
				return nil, &LineError{line, errors.New("column 3 (label) is empty")}
			}
			rawLabels = append(rawLabels, l)
			labelLine = append(labelLine, line)
		}
	}
	if len(xs) == 0 {
		return nil, errors.New("csv: no data rows")
	}
	d := &Dataset{Name: "csv", Kind: Points2D, N: len(xs) / 2, D: 2, X: xs}
	if cols == 3 {
		labels, names, err := encodeLabels(rawLabels, labelLine)
		if err != nil {
			return nil, err
		}
		d.Labels, d.LabelNames = labels, names
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	return d, nil
}

// sniffComma picks the field separator from the first non-comment line. It
// walks the lines in place: splitting a large file of short lines would
// allocate many times its size.
func sniffComma(data []byte) rune {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		switch {
		case bytes.IndexByte(t, ';') >= 0:
			return ';'
		case bytes.IndexByte(t, '\t') >= 0:
			return '\t'
		}
		return ','
	}
	return ','
}

func isHeader(rec []string) bool {
	for _, f := range rec[:2] {
		f = strings.TrimSpace(f)
		if _, err := strconv.ParseFloat(f, 64); err != nil && f != "" {
			return true
		}
	}
	return false
}

func parseCoord(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of range", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return checkCoord(v)
}

func checkCoord(v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%v is not a finite number", v)
	}
	if math.Abs(v) > MaxAbsValue {
		return 0, fmt.Errorf("magnitude of %v exceeds %g", v, MaxAbsValue)
	}
	return v, nil
}

// encodeLabels maps label text to indices: whole numbers in numeric order,
// otherwise in order of first appearance.
func encodeLabels(raw []string, lines []int) ([]int, []string, error) {
	index := make(map[string]int)
	var names []string
	numeric := true
	for i, s := range raw {
		if _, ok := index[s]; !ok {
			if len(names) == MaxLabels {
				return nil, nil, &LineError{lines[i], fmt.Errorf("more than %d distinct labels", MaxLabels)}
			}
			index[s] = len(names)
			names = append(names, s)
			if _, err := strconv.Atoi(s); err != nil {
				numeric = false
			}
		}
	}
	if numeric {
		sort.Slice(names, func(a, b int) bool {
			x, _ := strconv.Atoi(names[a])
			y, _ := strconv.Atoi(names[b])
			return x < y
		})
		for i, s := range names {
			index[s] = i
		}
	}
	labels := make([]int, len(raw))
	for i, s := range raw {
		labels[i] = index[s]
	}
	return labels, names, nil
}
