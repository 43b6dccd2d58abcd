package i18n

// The page's loader (web/index.html and web/loader.js) and the question
// it asks before the game starts (resume the saved session or not). The
// site builder (cmd/site) writes the texts the loader uses into the page,
// so the loader and the game read one table; it fails a build whose loader
// uses a text this table lacks. The loader fills the %s verbs itself.
func init() {
	Add(Vietnamese, map[string]string{
		"Train a variational autoencoder in your browser and watch its latent space learn. It all runs on this page: nothing you do leaves your computer.": "Huấn luyện một bộ tự mã hoá biến phân ngay trong trình duyệt và xem không gian tiềm ẩn của nó học. Mọi thứ chạy trên trang này: không gì bạn làm rời khỏi máy của bạn.",
		"Reload":                  "Tải lại",
		"Starting…":               "Đang khởi động…",
		"Downloading…":            "Đang tải…",
		"Downloading %s MB":       "Đang tải %s MB",
		"Downloading %s of %s MB": "Đang tải %s trên %s MB",
		"The download of %s failed: the connection broke or the site is offline.": "Tải %s không thành công: kết nối bị ngắt hoặc trang đang ngoại tuyến.",
		"The download of %s failed: this frame is sandboxed without allow-same-origin, and the site's host allows no cross-origin reads (Access-Control-Allow-Origin). Add allow-same-origin to the frame's sandbox.": "Tải %s không thành công: khung này bị sandbox mà không có allow-same-origin, và máy chủ của trang không cho đọc từ nguồn khác (Access-Control-Allow-Origin). Hãy thêm allow-same-origin vào sandbox của khung.",
		"The download of %s failed (HTTP %s).": "Tải %s không thành công (HTTP %s).",
		"%s Check the connection and reload.":  "%s Hãy kiểm tra kết nối rồi tải lại trang.",
		"This browser cannot run WebAssembly, which the playground is made of. A current Firefox, Chrome, Edge or Safari can.":                                                            "Trình duyệt này không chạy được WebAssembly, thứ làm nên sân chơi. Firefox, Chrome, Edge hay Safari bản mới đều chạy được.",
		"The playground draws with WebGL 2, which this browser lacks or has turned off. Turn on hardware acceleration in its settings, or try a current Firefox, Chrome, Edge or Safari.": "Sân chơi vẽ bằng WebGL 2, thứ mà trình duyệt này không có hoặc đã tắt. Hãy bật tăng tốc phần cứng trong phần cài đặt, hoặc thử Firefox, Chrome, Edge hay Safari bản mới.",
		"Part of the playground did not download (%s). Check the connection and reload.":                                                                                                  "Một phần của sân chơi không tải về được (%s). Hãy kiểm tra kết nối rồi tải lại trang.",
		"The playground could not start: %s":                                                "Sân chơi không khởi động được: %s",
		"The playground stopped. Reload the page to start it again.":                        "Sân chơi đã dừng. Hãy tải lại trang để chạy lại.",
		"The playground stopped with an error (%s). Reload the page to start it again.":     "Sân chơi đã dừng vì lỗi (%s). Hãy tải lại trang để chạy lại.",
		"The playground is a program that runs in your browser: please turn on JavaScript.": "Sân chơi là một chương trình chạy trong trình duyệt của bạn: hãy bật JavaScript.",

		// The question whether to resume the saved session.
		"Resume where you left off?": "Tiếp tục từ chỗ bạn đã dừng?",
		"Resume":                     "Tiếp tục",
		"Start fresh":                "Bắt đầu lại",
		"This link opens other settings than your saved session.":          "Liên kết này mở các thiết lập khác với phiên đã lưu của bạn.",
		"Saved: %s. Opening the link replaces it once the new run trains.": "Đã lưu: %s. Mở liên kết sẽ thay phiên đó khi lần chạy mới bắt đầu huấn luyện.",
		"Open the link":                   "Mở liên kết",
		"Resume saved session":            "Tiếp tục phiên đã lưu",
		"step %d, %s, %s prior, saved %s": "bước %d, %s, tiên nghiệm %s, lưu lúc %s",
		"resumed: %s":                     "đã tiếp tục: %s",
	})
}
