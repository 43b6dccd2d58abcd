package i18n

// What the page's live region says beside the canvas (a screen reader
// reads it aloud): the state, the focused control and its role.
func init() {
	Add(Vietnamese, map[string]string{
		"Paused":                       "Đã tạm dừng",
		"data %s":                      "dữ liệu %s",
		"prior %s":                     "tiên nghiệm %s",
		"help open (escape closes it)": "trợ giúp đang mở (phím escape để đóng)",
		"Focus: %s":                    "Tiêu điểm: %s",
		"not yet measured":             "chưa đo",
		"Step %d, ELBO %s.":            "Bước %d, ELBO %s.",
		"button":                       "nút",
		"switch":                       "công tắc",
		"slider":                       "thanh trượt",
		"combobox":                     "hộp chọn",
		"spinbutton":                   "ô số",
		"VAE playground: a variational autoencoder training in the page": "VAE playground: một bộ tự mã hoá biến phân đang huấn luyện ngay trong trang",
		"Keys: Tab and Shift-Tab move through the controls, Enter or Space activates one, the arrows change a value, escape closes a list. " +
			"Space plays or pauses training when no control has the focus, period takes one training step, r resets the model, question mark opens the help. " +
			"The status below the canvas follows the training and the messages.": "Phím: Tab và Shift-Tab di chuyển qua các điều khiển, Enter hoặc Space kích hoạt một điều khiển, các phím mũi tên thay đổi giá trị, escape đóng danh sách. " +
			"Space chạy hoặc tạm dừng huấn luyện khi không điều khiển nào có tiêu điểm, dấu chấm chạy một bước huấn luyện, r đặt lại mô hình, dấu hỏi mở trợ giúp. " +
			"Trạng thái bên dưới khung vẽ theo dõi quá trình huấn luyện và các thông báo.",
	})
}
