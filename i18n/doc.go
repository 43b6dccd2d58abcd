// Package i18n holds the interface's words in every language it speaks —
// English and Vietnamese — and looks them up in the language chosen now.
//
// # Looking a message up
//
// The English text is the key: write the English where the string is
// shown and pass it through T, or through F when it holds numbers:
//
//	label := i18n.T("learning rate")
//	status := i18n.F("step %d · ELBO %s", steps, elbo)
//
// F looks the format up (not the formatted text), then formats it with
// the arguments, so one entry serves every number. A translation may
// reorder the arguments with explicit indexes (%[2]s … %[1]d). Text that
// is not found is shown in English.
//
// Translate where a string is drawn, not where it is made, wherever one
// boundary serves many call sites: the ui widgets translate their label,
// their choices and their help; scene.Frame.PanelFrame its titles; the
// screen the scenes' Help and Status and the status line's messages. Call
// T or F yourself only for text drawn by other means (render's captions,
// legends). Identifiers (dataset names in the link, "tanh") stay as they
// are; where they are words the table gives the shown form ("mixture" →
// "hỗn hợp"), and where they are not it maps them to themselves, so that
// the completeness test knows they were looked at.
//
// # Adding a message
//
// Add the English text and its Vietnamese to a table file of this
// package: each is a map in an init function passed to Add, one file per
// part of the interface (vi_shell.go, vi_settings.go, vi_views.go, …; a
// new part takes a file of its own, which keeps parallel edits apart):
//
//	func init() {
//		Add(Vietnamese, map[string]string{
//			"learning rate":     "tốc độ học",
//			"step %d · ELBO %s": "bước %d · ELBO %s",
//		})
//	}
//
// Long texts (a lesson's paragraphs) may use a stable key instead of
// their English: add the English under the key with Add(English, …) and
// the Vietnamese under the same key; T gives the text of the current
// language, the English one when the current language lacks it.
//
// The tests fail when a shown string lacks its Vietnamese: they drive the
// whole screen in Vietnamese with a miss handler (SetMissHandler) that
// records every lookup that found nothing, and they check that every
// format keeps its verbs and every text has its glyphs in the fonts.
//
// # Choosing the language
//
// One language is current for the whole process (Set, Current): the
// playground shows one interface at a time, and the widgets, panels and
// the screen all read it when they draw. The link's lang= setting chooses
// it (package session's table); without one, Preferred picks from the
// browser's languages (navigator.languages) or the desktop's LANG, and
// English is the fallback.
//
// # Why not golang.org/x/text
//
// golang.org/x/text/message (with its catalog) is served and well kept,
// but it brings plural rules, language matching and CLDR tables that two
// languages do not need, and they weigh on the WebAssembly download; its
// catalog is filled through the same kind of calls as Add. Vietnamese has
// no plural forms, so a format per message is all the grammar this
// interface needs. A map per language keeps the lookup a single map
// access per drawn string and the tables plain Go that anyone can edit.
package i18n
