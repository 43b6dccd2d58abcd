package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/i18n"
)

// TestListsInVietnamese: -lang vi before the command gives the lists of
// datasets and priors in Vietnamese, with no text lacking a translation;
// an unknown language is refused.
func TestListsInVietnamese(t *testing.T) {
	defer i18n.Set(i18n.English)
	var miss []string
	i18n.SetMissHandler(func(lang, key string) { miss = append(miss, key) })
	defer i18n.SetMissHandler(nil)
	for _, c := range []struct{ cmd, want string }{
		{"datasets", "Hai nửa vòng tròn đan vào nhau"},
		{"priors", "luồng hậu nghiệm:"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"-lang", "vi", c.cmd}, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("vae -lang vi %s:\n%s", c.cmd, out.String())
		}
	}
	if len(miss) > 0 {
		t.Errorf("texts without Vietnamese:\n%s", strings.Join(miss, "\n"))
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-lang=xx", "priors"}, &out); err == nil || !strings.Contains(err.Error(), "en, vi") {
		t.Errorf("-lang=xx: %v", err)
	}
	i18n.Set(i18n.English)
	if err := run(context.Background(), []string{"priors"}, &out); err != nil || !strings.Contains(out.String(), "posterior flows:") {
		t.Errorf("English: %v\n%s", err, out.String())
	}
}
