package i18n

// What goes wrong, as the status line says it: the training worker and
// its protocol (package trainworker, session's worker runner), the saved
// session and autosave, the second stage and the files. Their details
// are messages of their own, so a translated sentence never carries an
// English one (the tests count such a detail as a miss).
func init() {
	Add(Vietnamese, map[string]string{
		// The training worker gives up, and why.
		"the training worker stopped: %s; training goes on in the page from the last snapshot": "tiến trình huấn luyện nền đã dừng: %s; việc huấn luyện tiếp tục trên trang từ ảnh chụp gần nhất",
		"the training worker stopped: %s; training cannot go on here (%s): reset":              "tiến trình huấn luyện nền đã dừng: %s; không thể huấn luyện tiếp ở đây (%s): hãy đặt lại",
		"the training worker refused a change: %s":                                             "tiến trình huấn luyện nền từ chối một thay đổi: %s",
		"this session does not train in a worker":                                              "phiên này không huấn luyện trong tiến trình nền",
		"it sent a message this page cannot read (%s)":                                         "nó gửi một thông điệp mà trang này không đọc được (%s)",
		"it sent a command (%s) instead of a reply":                                            "nó gửi một lệnh (%s) thay vì một câu trả lời",
		"it answered command %d, which was never sent":                                         "nó trả lời lệnh %d, lệnh chưa từng được gửi",
		"it sent %d parameters for a model of %d":                                              "nó gửi %d tham số cho một mô hình có %d",
		"it left a command unanswered for %s":                                                  "nó để một lệnh không được trả lời trong %s",
		"it sent no results for %s while training":                                             "nó không gửi kết quả nào trong %s khi đang huấn luyện",
		"worker error: %s": "lỗi tiến trình nền: %s",
		// The protocol's reasons to refuse a message.
		"trainworker: bad message: %s":              "trainworker: thông điệp hỏng: %s",
		"not a training-worker message":             "không phải thông điệp của tiến trình huấn luyện",
		"protocol version %d, this build speaks %d": "giao thức phiên bản %d, bản dựng này dùng %d",
		"unknown %s":                           "không rõ %s",
		"trainer checkpoint of %d bytes":       "checkpoint huấn luyện %d byte",
		"rate %s":                              "tốc độ %s",
		"rate %s outside [0, %s]":              "tốc độ %s nằm ngoài [0, %s]",
		"%d steps":                             "%d bước",
		"batch %d":                             "lô %d",
		"mixture component %d (%d, %d values)": "thành phần hỗn hợp %d (%d, %d giá trị)",
		"%d results":                           "%d kết quả",
		"%d results in %d bytes":               "%d kết quả trong %d byte",
		"%d parameters":                        "%d tham số",
		"%d×%d data with %d values":            "dữ liệu %d×%d với %d giá trị",
		"%d×%d data":                           "dữ liệu %d×%d",
		"step result %d":                       "kết quả bước %d",
		"%s is a reply, not a command":         "%s là câu trả lời, không phải lệnh",
		"hyperparameters: %s":                  "siêu tham số: %s",
		"hyperparameters: trailing data":       "siêu tham số: dữ liệu thừa ở cuối",
		"%d trailing bytes":                    "%d byte thừa ở cuối",
		"truncated in %s":                      "bị cắt cụt ở %s",
		"%s is %d, not 0 or 1":                 "%s là %d, không phải 0 hay 1",
		"%s %d exceeds %d":                     "%s %d vượt quá %d",
		"%s is not UTF-8":                      "%s không phải UTF-8",
		"%s value %d is not finite":            "giá trị %[2]d của %[1]s không hữu hạn",
		"step counters out of range":           "bộ đếm bước nằm ngoài phạm vi",
		"the prior is not a mixture":           "tiên nghiệm không phải hỗn hợp",
		"save: %s":                             "lưu: %s",
		"build: %s":                            "dựng mô hình: %s",

		// The saved session and autosave.
		"the saved session could not be resumed (%s): it was set aside and the page starts fresh": "không thể tiếp tục phiên đã lưu (%s): phiên đó được để riêng và trang bắt đầu lại từ đầu",
		"autosave failed: %s (training goes on; save the model to keep it)":                       "tự động lưu không thành công: %s (việc huấn luyện vẫn tiếp tục; hãy lưu mô hình để giữ nó)",
		"autosave: %s": "tự động lưu: %s",
		"the trainer checkpoint has %d bytes, more than a saved session holds": "checkpoint huấn luyện có %d byte, nhiều hơn một phiên đã lưu chứa được",
		"saved session: %s":                       "phiên đã lưu: %s",
		"summary: %s":                             "tóm tắt: %s",
		"history series of different lengths":     "các chuỗi lịch sử dài khác nhau",
		"drawn points not in triples":             "các điểm đã vẽ không theo bộ ba",
		"drawn point %d: %s":                      "điểm đã vẽ %d: %s",
		"imported points: %d values for %d×%d":    "các điểm đã nhập: %d giá trị cho %d×%d",
		"imported label %s":                       "nhãn đã nhập %s",
		"%d trailing bytes in the meta part":      "%d byte thừa ở cuối phần mô tả",
		"its settings do not fit this build (%s)": "các thiết lập của nó không hợp với bản dựng này (%s)",
		"resume: %s: %s":                          "tiếp tục: %s: %s",
		"resume: %s":                              "tiếp tục: %s",
		"the checkpoint is for %d-dimensional data, the set is %d-dimensional": "checkpoint dành cho dữ liệu %d chiều, còn tập dữ liệu có %d chiều",
		"%s %d above %d": "%s %d lớn hơn %d",

		// Drawn points in the link.
		"point %d malformed":               "điểm %d sai dạng",
		"more than %d points":              "nhiều hơn %d điểm",
		"point %d: %s":                     "điểm %d: %s",
		"canvas: x: %s":                    "khung vẽ: x: %s",
		"canvas: y: %s":                    "khung vẽ: y: %s",
		"canvas: label %d outside [0, %d)": "khung vẽ: nhãn %d nằm ngoài [0, %d)",
		"canvas: full (%d points)":         "khung vẽ: đã đầy (%d điểm)",
		"%s is not a finite number":        "%s không phải số hữu hạn",
		"magnitude of %s exceeds %s":       "độ lớn của %s vượt quá %s",

		// The second stage, the files, the model's snapshot.
		"second stage: %s":               "giai đoạn hai: %s",
		"the prior is %s, not two-stage": "tiên nghiệm là %s, không phải hai giai đoạn",
		"model snapshot refused: %s":     "ảnh chụp mô hình bị từ chối: %s",
		"saving failed: %s":              "lưu không thành công: %s",
		"saving for PyTorch failed: %s":  "lưu cho PyTorch không thành công: %s",
		"export failed: %s":              "xuất không thành công: %s",
		"dropped files: %s":              "các tệp được thả: %s",
		"%s: larger than %d MiB":         "%s: lớn hơn %d MiB",
		"compare: %s: B as A":            "so sánh: %s: B giống A",
		"compare: %s: A's value used":    "so sánh: %s: dùng giá trị của A",
	})
}
