package i18n

// A checkpoint that cannot be read (core/checkpoint.go): what is wrong,
// and the parts of the file the messages name.
func init() {
	Add(Vietnamese, map[string]string{
		"checksum mismatch (corrupt or truncated file)":  "tổng kiểm tra không khớp (tệp bị hỏng hoặc bị cắt cụt)",
		"version %d, this build reads versions %d to %d": "phiên bản %d, bản dựng này đọc các phiên bản %d đến %d",
		"this is a model checkpoint (SaveModel; the CLI's model.vae), which cannot resume training: resume from a trainer checkpoint (Trainer.Save; trainer.vae)": "đây là checkpoint mô hình (SaveModel; model.vae của CLI), không dùng để huấn luyện tiếp được: hãy tiếp tục từ một checkpoint huấn luyện (Trainer.Save; trainer.vae)",
		"this is a trainer checkpoint (Trainer.Save; the CLI's trainer.vae), not a model: read it with LoadTrainer (vae train -resume), or use model.vae":         "đây là checkpoint huấn luyện (Trainer.Save; trainer.vae của CLI), không phải mô hình: hãy đọc nó bằng LoadTrainer (vae train -resume), hoặc dùng model.vae",
		"%s of %d bytes exceeds %d":                             "%s %d byte vượt quá %d",
		"larger than %d bytes":                                  "lớn hơn %d byte",
		"holds kind %d, want %d":                                "chứa loại %d, cần loại %d",
		"%d parameters exceed %d":                               "%d tham số vượt quá %d",
		"prior state of %d values exceeds %d":                   "trạng thái tiên nghiệm %d giá trị vượt quá %d",
		"%d parameters for a model of %d":                       "%d tham số cho một mô hình có %d",
		"prior state: %v":                                       "trạng thái tiên nghiệm: %v",
		"%d prior state values for a prior that keeps none":     "%d giá trị trạng thái cho một tiên nghiệm không giữ trạng thái nào",
		"%d unexpected trailing bytes":                          "%d byte thừa ở cuối",
		"random state of %d bytes":                              "trạng thái ngẫu nhiên %d byte",
		"permutation of %d rows exceeds %d":                     "hoán vị %d hàng vượt quá %d",
		"negative optimiser second moment":                      "mô-men bậc hai của bộ tối ưu bị âm",
		"batch size %d for %d rows":                             "kích thước lô %d cho %d hàng",
		"step counters out of range":                            "bộ đếm bước nằm ngoài phạm vi",
		"permutation is not a permutation":                      "hoán vị không phải là một hoán vị",
		"cursor %d beyond %d rows":                              "con trỏ %d vượt quá %d hàng",
		"random state: %v":                                      "trạng thái ngẫu nhiên: %v",
		"core: reading checkpoint: %v":                          "core: đọc checkpoint: %v",
		"core: checkpoint was trained on %d×%d data, got %d×%d": "core: checkpoint được huấn luyện trên dữ liệu %d×%d, nhận được %d×%d",

		// The parts of the file.
		"config":                  "cấu hình",
		"cursor":                  "con trỏ",
		"data source":             "nguồn dữ liệu",
		"epoch":                   "epoch",
		"hyperparameters":         "siêu tham số",
		"kind":                    "loại",
		"optimiser first moment":  "mô-men bậc một của bộ tối ưu",
		"optimiser second moment": "mô-men bậc hai của bộ tối ưu",
		"optimiser step":          "bước của bộ tối ưu",
		"parameter count":         "số tham số",
		"permutation length":      "độ dài hoán vị",
		"prior state count":       "số giá trị trạng thái tiên nghiệm",
		"random state length":     "độ dài trạng thái ngẫu nhiên",
	})
}
