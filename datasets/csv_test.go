package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestReadCSVGood(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		x      []float64
		labels []int
		names  []string
	}{
		{"plain", "1,2\n3,4\n", []float64{1, 2, 3, 4}, nil, nil},
		{"header", "x,y\n1,2\n-3.5e2,4\n", []float64{1, 2, -350, 4}, nil, nil},
		{"crlf bom spaces", "\xef\xbb\xbfx, y\r\n 1, 2\r\n3 ,4\r\n", []float64{1, 2, 3, 4}, nil, nil},
		{"comments blanks", "# drawn\n\n1,2\n\n# more\n3,4", []float64{1, 2, 3, 4}, nil, nil},
		{"semicolon", "1;2\n3;4\n", []float64{1, 2, 3, 4}, nil, nil},
		{"tab", "x\ty\n1\t2\n", []float64{1, 2}, nil, nil},
		{"numeric labels", "x,y,c\n0,0,10\n1,1,2\n2,2,10\n", []float64{0, 0, 1, 1, 2, 2}, []int{1, 0, 1}, []string{"2", "10"}},
		{"text labels", "0,0,cat\n1,1,dog\n2,2,cat\n", []float64{0, 0, 1, 1, 2, 2}, []int{0, 1, 0}, []string{"cat", "dog"}},
		{"quoted", "\"x\",\"y\"\n\"1\",\"2\"\n", []float64{1, 2}, nil, nil},
	} {
		d, err := ReadCSV(strings.NewReader(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(d.X, tc.x) || !slices.Equal(d.Labels, tc.labels) || !slices.Equal(d.LabelNames, tc.names) || d.N != len(tc.x)/2 || d.D != 2 {
			t.Errorf("%s: got X=%v labels=%v names=%v N=%d", tc.name, d.X, d.Labels, d.LabelNames, d.N)
		}
	}
}

func TestReadCSVBad(t *testing.T) {
	many := strings.Repeat("1,2\n", MaxCSVRows) + "3,4\n"
	manyLabels := ""
	for i := 0; i <= MaxLabels; i++ {
		manyLabels += fmt.Sprintf("0,0,l%d\n", i)
	}
	for _, tc := range []struct {
		name string
		in   string
		line int // 0: no line expected
		want string
	}{
		{"empty", "", 0, "no data rows"},
		{"header only", "x,y\n", 0, "no data rows"},
		{"comments only", "# nothing\n\n", 0, "no data rows"},
		{"one column", "1\n2\n", 1, "1 columns"},
		{"four columns", "1,2,3,4\n", 1, "4 columns"},
		{"ragged", "1,2\n3,4\n5,6,7\n", 3, "3 columns, want 2"},
		{"not a number", "x,y\n1,2\n3,abc\n", 3, `column 2 (y): "abc" is not a number`},
		{"header later", "1,2\nx,y\n", 2, `"x" is not a number`},
		{"nan", "1,2\nNaN,1\n", 2, "not a finite number"},
		{"inf", "1,2\n1,-Inf\n", 2, "not a finite number"},
		{"overflow", "1,2\n1e400,1\n", 2, "out of range"},
		{"absurd", "1,2\n1e7,1\n", 2, "exceeds"},
		{"empty field", "1,\n", 1, "empty"},
		{"empty label", "1,2,a\n1,2,\n", 2, "label) is empty"},
		{"bad quote", "1,2\n\"1,2\n", 2, ""},
		{"too many rows", many, MaxCSVRows + 1, "more than 100000 data rows"},
		{"too many labels", manyLabels, MaxLabels + 1, "distinct labels"},
		{"too big", strings.Repeat(" ", MaxCSVBytes+1), 0, "larger than"},
	} {
		d, err := ReadCSV(strings.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: no error (got %d rows)", tc.name, d.N)
			continue
		}
		if d != nil {
			t.Errorf("%s: error but a dataset returned", tc.name)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q lacks %q", tc.name, err, tc.want)
		}
		var le *LineError
		if tc.line != 0 && (!errors.As(err, &le) || le.Line != tc.line) {
			t.Errorf("%s: error %q should name line %d", tc.name, err, tc.line)
		}
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"1,2\n3,4\n", "x,y,label\n1,2,a\n3,4,b\n", "1;2;3\n", "\"1\",\"2\"\n", "# c\n\n1e6,-1e6\n", "x\ty\n0x1p-2\t1_0\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadCSV(strings.NewReader(string(data)))
		if err != nil {
			if d != nil {
				t.Fatal("dataset returned with an error")
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted invalid dataset: %v", err)
		}
		if d.N > MaxCSVRows || d.D != 2 {
			t.Fatalf("N=%d D=%d", d.N, d.D)
		}
		for _, v := range d.X {
			if math.Abs(v) > MaxAbsValue {
				t.Fatalf("value %v beyond the limit", v)
			}
		}
	})
}

func TestCanvas(t *testing.T) {
	var c Canvas
	if _, err := c.Dataset(); err == nil {
		t.Error("empty canvas gave a dataset")
	}
	for i, p := range [][3]float64{{0, 0, 0}, {1, 0, 1}, {0, 1, 2}, {5, 5, 0}} {
		if err := c.Add(p[0], p[1], int(p[2])); err != nil {
			t.Fatalf("Add %d: %v", i, err)
		}
	}
	for _, bad := range [][3]float64{{math.NaN(), 0, 0}, {0, math.Inf(1), 0}, {2e6, 0, 0}, {0, 0, -1}, {0, 0, MaxLabels}} {
		if err := c.Add(bad[0], bad[1], int(bad[2])); err == nil {
			t.Errorf("Add(%v) accepted", bad)
		}
	}
	if c.Len() != 4 {
		t.Fatalf("bad Adds changed the canvas: %d points", c.Len())
	}
	d, err := c.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.LabelNames) != 3 || !slices.Equal(d.Labels, []int{0, 1, 2, 0}) {
		t.Errorf("labels %v names %v", d.Labels, d.LabelNames)
	}
	if n := c.EraseNear(0, 0, 1); n != 3 {
		t.Errorf("EraseNear removed %d, want 3", n)
	}
	if x, y, l := c.At(0); c.Len() != 1 || x != 5 || y != 5 || l != 0 {
		t.Errorf("after erase: %d points, first (%v,%v,%d)", c.Len(), x, y, l)
	}
	// The dataset taken before is a copy, untouched by later edits.
	if d.N != 4 || d.X[2] != 1 {
		t.Error("Dataset shares memory with the canvas")
	}
	if !c.RemoveLast() || c.RemoveLast() || c.Len() != 0 {
		t.Error("RemoveLast")
	}
	for i := 0; i < MaxDrawnRows; i++ {
		if err := c.Add(float64(i), 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add(0, 0, 0); err == nil || c.Len() != MaxDrawnRows {
		t.Error("Add beyond MaxDrawnRows accepted")
	}
	c.Clear()
	if c.Len() != 0 {
		t.Error("Clear")
	}
}

// TestReadCSVMemoryStaysNearTheFileSize: a file of many empty lines must not
// cost a slice header per line up front (bytes.Split did: 25× the file).
func TestReadCSVMemoryStaysNearTheFileSize(t *testing.T) {
	data := append(bytes.Repeat([]byte("\n"), 4<<20), []byte("1,2\n")...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, err := ReadCSV(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if err != nil || d.N != 1 {
		t.Fatalf("ReadCSV: %v, %+v", err, d)
	}
	used := after.TotalAlloc - before.TotalAlloc
	t.Logf("reading %d bytes allocated %d", len(data), used)
	if used > 8*uint64(len(data)) {
		t.Fatalf("reading %d bytes allocated %d", len(data), used)
	}
}
