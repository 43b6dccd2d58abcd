package session

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/i18n"
)

// WriteHelp writes the settings table for a command line (the desktop
// playground's -settings help): each section's settings as key=default,
// label, the values it takes and its help, then every dataset's own
// parameters; in the interface's current language (package i18n), the
// keys and the choices as a link spells them.
func WriteHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("Settings as in a link: key=value&key=value (e.g. data=circles&prior=mixture). What a change does:"))
	fmt.Fprintln(tw, i18n.T("live: at the next step; new model: a new model from the seed; new fit: the flow lab starts again; view: only what is shown."))
	section := ""
	for _, st := range Table {
		if st.Section != section {
			section = st.Section
			fmt.Fprintf(tw, "\n%s\n", i18n.T(section))
		}
		writeSetting(tw, st, st.Key)
	}
	fmt.Fprintf(tw, "\n%s\n", i18n.T("Each dataset's parameters (with its data=):"))
	for _, e := range datasets.List() {
		rows := DataSettings(e.Name)
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(tw, "data=%s\n", e.Name)
		for _, st := range rows {
			writeSetting(tw, st, strings.TrimPrefix(st.Key, dataPrefix))
		}
	}
	return tw.Flush()
}

// effectNames are what a change of each kind does, as WriteHelp says it.
var effectNames = map[Effect]string{Rebuild: "new model", Live: "live", View: "view", Refit: "new fit"}

func writeSetting(tw io.Writer, st *Setting, key string) {
	var values string
	switch st.Kind {
	case Choice:
		values = strings.Join(st.Choices, "|")
	case Bool:
		values = "on|off"
	default:
		values = fmt.Sprintf("[%s, %s]", st.Format(st.Min), st.Format(st.Max))
	}
	fmt.Fprintf(tw, "  %s=%s\t%s\t%s\t%s\n", key, st.Format(st.Default), i18n.T(st.Label), values, i18n.T(effectNames[st.Effect]))
	fmt.Fprintf(tw, "      %s\n", i18n.T(st.Help))
}
