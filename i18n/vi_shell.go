package i18n

// The shell: the top bar, the status line, the help and the loader.
func init() {
	Add(Vietnamese, map[string]string{
		"VAE playground": "Sân chơi VAE",
		"Reset":          "Đặt lại",
		"step %d":        "bước %d",
	})
}
