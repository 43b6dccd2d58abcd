package lessons

// Shift is where a span of a formula sits: on the line, below it or above.
type Shift int

const (
	Base Shift = iota
	Sub
	Super
)

// Span is a run of a formula's text at one height.
type Span struct {
	Text  string
	Shift Shift
}

// Spans reads one line of formula markup: "_x" and "_{…}" are subscripts,
// "^x" and "^{…}" superscripts (braces do not nest; a "_" or "^" with
// nothing after it is kept as it is).
func Spans(line string) []Span {
	var out []Span
	var cur []rune
	flush := func(shift Shift) {
		if len(cur) > 0 {
			out = append(out, Span{string(cur), shift})
			cur = cur[:0]
		}
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r == '_' || r == '^') && i+1 < len(rs) {
			shift := Sub
			if r == '^' {
				shift = Super
			}
			flush(Base)
			if rs[i+1] == '{' {
				j := i + 2
				for j < len(rs) && rs[j] != '}' {
					j++
				}
				cur = append(cur, rs[i+2:min(j, len(rs))]...)
				i = j
			} else {
				cur = append(cur, rs[i+1])
				i++
			}
			flush(shift)
			continue
		}
		cur = append(cur, r)
	}
	flush(Base)
	return out
}
