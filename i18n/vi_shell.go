package i18n

// The product's name.
func init() {
	Add(Vietnamese, map[string]string{
		"VAE playground": "Sân chơi VAE",
		"Reset":          "Đặt lại",
		"step %d":        "bước %d",
	})
}
