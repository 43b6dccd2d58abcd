// Package i18n holds the interface's words in every language it speaks —
// English and Vietnamese — and looks them up in the language chosen now.
//
// # Looking a message up
//
// The English text is the key: write the English where the string is
// made, and it is translated where it is drawn. render.DrawText,
// DrawParagraph and DrawLabel pass every string through T, and so do the
// ui widgets (label, choices, help, tooltip), scene.FitText and
// Frame.PanelFrame: most code never calls this package. Text made with
// fmt.Sprintf in English is translated too, by its format: when the table
// holds "step %d · ELBO %s", the drawn "step 12 · ELBO -3.1" is found to
// be made by it, and its Vietnamese is filled with the same argument
// texts (those that are messages themselves translated in turn). So a
// string with numbers needs only its format in the table. Translating
// twice changes nothing: a text that already is a translation, or was
// made by F or cut by FitText (Shown), is shown as it is.
//
// Call T or F yourself where a string is measured before it is drawn
// (its width decides a layout), or reaches the user by another way (the
// page's hooks):
//
//	label := i18n.T("learning rate")
//	status := i18n.F("step %d · ELBO %s", steps, elbo)
//
// F looks the format up, then formats it with the arguments. A
// translation may reorder the arguments with explicit indexes
// (%[2]s … %[1]d). Text that is not found is shown in English.
//
// Identifiers (dataset names in the link, "tanh") stay as they are; where
// they are words the table gives the shown form ("mixture" → "hỗn hợp"),
// and where they are not it maps them to themselves, so that the
// completeness test knows they were looked at.
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
// The tests fail when a shown string lacks its Vietnamese: they walk the
// settings table and drive the whole screen in Vietnamese (package
// playground's i18n_test.go) with a miss handler (SetMissHandler) that
// records every lookup that found nothing, and they check that every
// format keeps its verbs and every text has its glyphs in the fonts. Run
// them with I18N_MISSING=file to get the missing strings one a line. A
// message found by its format whose argument is an English sentence no
// table holds (an error's detail) reports that sentence as a miss too: a
// half-translated line is no better than an English one. A single word
// (a setting's key, a dataset's name) is taken for an identifier.
//
// The page's loader (web/index.html, web/loader.js) shows texts before
// any Go runs: the site builder (cmd/site) finds them in its sources,
// writes their translations from these tables (vi_loader.go) into the
// page, and fails the build when one is missing.
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
// catalog is filled through the same kind of calls as Add, and it
// translates only where it formats — it cannot find the format of text
// already made in English, which is what lets this package translate at
// the drawing boundary with few call sites touched. Vietnamese has no
// plural forms, so a format per message is all the grammar this interface
// needs. A map per language keeps the lookup a single map access per drawn
// string and the tables plain Go that anyone can edit.
package i18n
