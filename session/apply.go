package session

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Apply puts the session on the settings of a link fragment (as Encode
// writes it: "data=8gaussians&prior=mixture&beta=1"), every setting the
// fragment does not name at its default except those keep accepts (which
// keep their current value; nil keeps none). Values are validated as a
// link's are (notes say what fell back). The model is rebuilt once if a
// Rebuild setting changed, and only then: otherwise live settings reach
// the trainer at its next step and training goes on. On error the session
// is left as it was.
func (s *Session) Apply(fragment string, keep func(*Setting) bool) (notes []string, err error) {
	v, notes, extra := Decode(fragment)
	for k := range extra {
		notes = append(notes, fmt.Sprintf("%q is not a setting: ignored", clip(k, 24)))
	}
	if keep != nil {
		for _, st := range Table {
			if keep(st) {
				v.m[st.Key] = s.Values.m[st.Key]
			}
		}
	}
	old := s.Values
	rebuild, live, lab := false, false, false
	keys := slices.Collect(maps.Keys(v.m))
	for k := range old.m {
		if _, ok := v.m[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if v.m[k] == old.m[k] {
			continue
		}
		st := Lookup(v, k)
		if st == nil {
			st = Lookup(old, k)
		}
		switch {
		case st == nil || st.Effect == Rebuild:
			rebuild = true // a dataset parameter of either set
		case st.Lab:
			lab = true
		case st.Effect == Live:
			live = true
		}
	}
	s.Values = v
	switch {
	case rebuild:
		playing := s.Playing
		if err := s.Rebuild(); errors.Is(err, errLoading) {
			s.Values = old
			s.Message = fmt.Sprintf("loading %s…", s.Loading.Set)
			return notes, err
		} else if err != nil {
			s.Values = old
			return notes, err
		}
		s.Playing = playing
	case live:
		h := s.Hyper()
		if err := h.Validate(); err != nil {
			s.Values = old
			return notes, err
		}
		if v.m["batch"] != old.m["batch"] {
			if err := s.run.setData(s.X, v.Int("batch")); err != nil {
				s.Values = old
				return notes, err
			}
		}
		s.run.setHyper(h)
	}
	if lab || !rebuild {
		s.Version++
	}
	return notes, nil
}
