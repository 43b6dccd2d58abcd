package desktoptest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
)

// The desktop app saves its session when it closes and resumes it at the
// next start; an unreadable saved session is set aside with a message.
func TestDesktopAutosaveResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the desktop app")
	}
	prefix := displayPrefix(t)
	dir := t.TempDir()
	bin := buildApp(t, dir)
	saved := filepath.Join(dir, "session.vses")
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		all := append(append(append([]string(nil), prefix...), bin, "-autosave", saved, "-screenshot", filepath.Join(dir, "shot.png")), args...)
		out, err := exec.CommandContext(ctx, all[0], all[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", all, err, out)
		}
		return string(out)
	}
	run("-after", "90", "-settings", "data=8gaussians&prior=mixture&speed=3")
	b, err := os.ReadFile(saved)
	if err != nil {
		t.Fatalf("no session saved when the window closed: %v", err)
	}
	sv, err := session.ReadSaved(b)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Steps < 1 || sv.Dataset != "8gaussians" || sv.Prior != "mixture" {
		t.Fatalf("saved %s", sv.Summary())
	}
	out := run("-after", "5")
	m := regexp.MustCompile(`resumed the autosaved session \(step (\d+), 8gaussians, mixture prior`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the second start did not resume:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n != sv.Steps {
		t.Errorf("resumed at step %d, saved at %d", n, sv.Steps)
	}

	if err := os.WriteFile(saved, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out = run("-after", "5")
	if !regexp.MustCompile(`could not be resumed .*starting fresh`).MatchString(out) {
		t.Fatalf("a cut session file was not reported:\n%s", out)
	}
	if _, err := os.Stat(saved + ".unreadable"); err != nil {
		t.Errorf("the cut file was not set aside: %v", err)
	}
}
