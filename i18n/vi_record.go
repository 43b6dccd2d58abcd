package i18n

// Recording, exporting, the lessons' settings and the phone layout's
// buttons and touch help.
func init() {
	Add(Vietnamese, map[string]string{
		"Record":       "Quay",
		"● Record":     "● Quay",
		"Rec":          "Quay",
		"● Rec %.1f s": "● Quay %.1f s",
		"■ Stop":       "■ Dừng",
		"Saving…":      "Đang lưu…",
		"record":       "quay",
		"frames":       "số khung",
		"at most":      "tối đa",
		"%d s":         "%d s",
		"%s/s":         "%s/s",
		"whole screen": "toàn màn hình",
		"all views":    "mọi khung",
		"latent view":  "khung tiềm ẩn",
		"data view":    "khung dữ liệu",
		"loss chart":   "biểu đồ mất mát",
		"Export data":  "Xuất dữ liệu",
		"CSV":          "CSV",
		"More":         "Thêm",
		"lesson":       "bài học",
		"lesson step":  "bước của bài học",
		"priors":       "priors",
		"flows":        "flows",
		"Controls":     "Điều khiển",
		"Views":        "Các khung",
		"Show the controls over the views, or the views again.": "Hiện các điều khiển đè lên các khung, hoặc hiện lại các khung.",
		"Record the %s as an animated GIF while it trains (%s frames/s, at most %d s; choose in the column's Record section). Press again, or g, to stop and save it.": "Quay %s thành ảnh GIF động trong lúc huấn luyện (%s khung/s, tối đa %d s; chọn trong mục Quay của cột điều khiển). Nhấn lần nữa, hoặc phím g, để dừng và lưu.",
		"What Record takes: the whole screen, the views (without the controls), or one view.":                                                                          "Quay gì: toàn màn hình, các khung (không có cột điều khiển), hoặc một khung.",
		"Frames per second of the recording (the GIF plays at the same speed).":                                                                                        "Số khung hình mỗi giây của bản quay (GIF phát lại cùng tốc độ).",
		"The recording stops by itself after this long.":                                                                                                               "Bản quay tự dừng sau khoảng thời gian này.",
		"Export the run's numbers as CSV in a zip: every kept step's loss, ELBO, reconstruction, KL (and per dimension), β, learning rate and skipped steps, and the current codes (x, y, label, μ, σ); while comparing, A's and B's and the results table.": "Xuất các con số của lần chạy thành CSV trong một tệp zip: hàm mất mát, ELBO, tái tạo, KL (cả theo từng chiều), β, tốc độ học và các bước bị bỏ qua của mọi bước được giữ lại, cùng các mã hiện tại (x, y, nhãn, μ, σ); khi đang so sánh thì của cả A và B và bảng kết quả.",
		"Lessons: a column of steps beside the views, each with its settings, what to do and what to notice, checked live on the running model (link: lesson=…&step=…). Press again to close it.":                                                            "Bài học: một cột các bước bên cạnh các khung, mỗi bước có thiết lập riêng, việc cần làm và điều cần quan sát, được kiểm tra trực tiếp trên mô hình đang chạy (liên kết: lesson=…&step=…). Nhấn lần nữa để đóng.",
		"The lesson shown in the text column beside the views (the top bar's Lessons entry chooses it; none: no column).":                                                                                                                                    "Bài học hiện trong cột văn bản bên cạnh các khung (nút Bài học trên thanh trên cùng để chọn; none: không có cột).",
		"The lesson's step, from 1: a link with step=4 opens step 4 (a step past the lesson's end opens its last).":                                                                                                                                          "Bước của bài học, đếm từ 1: một liên kết có step=4 mở bước 4 (một bước vượt quá cuối bài mở bước cuối cùng).",
		"Touch: a tap is a click (buttons, toggles, a dropdown: tap to open, tap a choice). A long press shows what a control or view does. Swipe up or down to scroll the controls (and, on a phone, the views). To draw points, paint a density or drag mixture centres, their handles and sliders, rest the finger a moment or move it sideways first. Tap in the latent view to decode a point. On a phone, Controls opens the settings over the views and More holds help, link, saving, compare and recording. Tap anywhere to close this help.": "Cảm ứng: chạm là nhấp (nút, công tắc, danh sách: chạm để mở, chạm vào một lựa chọn). Nhấn giữ để xem một điều khiển hay một khung làm gì. Vuốt lên hoặc xuống để cuộn cột điều khiển (và, trên điện thoại, các khung). Để vẽ điểm, tô mật độ hoặc kéo tâm các thành phần hỗn hợp, tay nắm của chúng và thanh trượt, hãy đặt ngón tay yên một lát hoặc di ngang trước. Chạm vào khung tiềm ẩn để giải mã một điểm. Trên điện thoại, Điều khiển mở các thiết lập đè lên các khung và Thêm chứa trợ giúp, liên kết, lưu, so sánh và quay. Chạm vào bất kỳ đâu để đóng trợ giúp này.",
	})
}
