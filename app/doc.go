// Package app is the Ebitengine game shared by the desktop and the browser
// builds: it turns Ebitengine's input into ui.Input, runs the playground's
// Screen once per frame and uploads the rectangles it redrew. Everything
// else lives in packages that never import Ebitengine (playground, ui,
// render, core), so it is tested without a window.
package app
