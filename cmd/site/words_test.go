package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLoaderTextsTranslated: every text the page's loader shows — the
// marked elements of web/index.html (the <noscript> text among them) and
// loader.js's say("…") calls — has its translation in package i18n (the
// build writes them into the page; a text without one fails it).
func TestLoaderTextsTranslated(t *testing.T) {
	index, err := os.ReadFile(filepath.Join("..", "..", "web", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	loader, err := os.ReadFile(filepath.Join("..", "..", "web", "loader.js"))
	if err != nil {
		t.Fatal(err)
	}
	texts, err := loaderTexts(index, loader)
	if err != nil {
		t.Fatal(err)
	}
	// The search finds them all (a broken pattern would find none, and
	// pass the check below).
	for _, want := range []string{"VAE playground", "Reload", "Starting…", "Downloading %s of %s MB",
		"The playground could not start: %s", "The playground is a program that runs in your browser: please turn on JavaScript."} {
		if !slices.Contains(texts, want) {
			t.Errorf("the loader's texts lack %q (found %q)", want, texts)
		}
	}
	if _, err := loaderWords(texts); err != nil {
		t.Error(err)
	}
}

// TestLoaderTextWithoutTranslation: a loader text the tables lack, or one
// with a verb the loader cannot fill, stops the build with its name.
func TestLoaderTextWithoutTranslation(t *testing.T) {
	texts, err := loaderTexts([]byte(`<p data-i18n>Reload</p>`), []byte(`fail(say("No table has this text %s.", x));`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = loaderWords(texts)
	if err == nil || !strings.Contains(err.Error(), `"No table has this text %s."`) {
		t.Errorf("a text without translation: %v", err)
	}
	if _, err := loaderTexts(nil, []byte(`say("%d MB", n)`)); err == nil {
		t.Errorf("a text with %%d was accepted: the loader fills only %%s")
	}
}
