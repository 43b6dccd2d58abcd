// Package python holds the PyTorch side of the safetensors round trip:
// vae_playground.py, a small PyTorch module that builds a playground model
// from an exported file (core.ExportSafetensors, `vae export`), computes what
// the engine computes and saves files the playground imports
// (core.ImportSafetensors). The Go test here drives it with Debian's
// /usr/bin/python3 and python3-torch and compares both sides number by
// number; there is no Go API.
package python
