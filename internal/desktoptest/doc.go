// Package desktoptest checks the native build of the playground as a user
// meets it: it builds cmd/playground, runs it in a real window (under Xvfb
// when there is no display), and looks at the screenshots it writes. The
// package holds no code that imports Ebitengine, so its test binary needs
// no display of its own.
package desktoptest
