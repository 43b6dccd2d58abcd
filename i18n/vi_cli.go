package i18n

// The command lines: the desktop playground's -settings help (package
// session's WriteHelp) and the vae command's lists of datasets and priors.
func init() {
	Add(Vietnamese, map[string]string{
		"Settings as in a link: key=value&key=value (e.g. data=circles&prior=mixture). What a change does:":                           "Thiết lập viết như trong liên kết: khoá=giá_trị&khoá=giá_trị (ví dụ data=circles&prior=mixture). Một thay đổi làm gì:",
		"live: at the next step; new model: a new model from the seed; new fit: the flow lab starts again; view: only what is shown.": "ngay: từ bước kế tiếp; mô hình mới: một mô hình mới từ hạt giống; khớp lại: phòng thử luồng bắt đầu lại; hiển thị: chỉ đổi những gì được hiện.",
		"Each dataset's parameters (with its data=):":                                                                                 "Tham số của từng tập dữ liệu (đi cùng data= của nó):",
		"new model":    "mô hình mới",
		"live":         "ngay",
		"view":         "hiển thị",
		"new fit":      "khớp lại",
		"settings: %s": "thiết lập: %s",
		// vae datasets: the registry's descriptions.
		"2-D":   "2 chiều",
		"image": "ảnh",
		"Two interleaving half-circles (scikit-learn make_moons, scaled as in FFJORD). Labels: the moon.":                                                                                                              "Hai nửa vòng tròn đan vào nhau (make_moons của scikit-learn, co giãn như trong FFJORD). Nhãn: vầng trăng.",
		"Two concentric circles (scikit-learn make_circles, ×3 as in FFJORD). Labels: the circle.":                                                                                                                     "Hai vòng tròn đồng tâm (make_circles của scikit-learn, ×3 như trong FFJORD). Nhãn: vòng tròn.",
		"Eight Gaussian modes on a circle of radius 4/1.414 ≈ 2.83 (FFJORD). Labels: the mode.":                                                                                                                        "Tám đỉnh Gauss trên một vòng tròn bán kính 4/1.414 ≈ 2.83 (FFJORD). Nhãn: đỉnh.",
		"Curved arms of a pinwheel (FFJORD). Labels: the arm.":                                                                                                                                                         "Các nhánh cong của một chong chóng (FFJORD). Nhãn: nhánh.",
		"Two interleaved spirals of 540° (FFJORD). Labels: the arm; factor t: position along it.":                                                                                                                      "Hai đường xoắn ốc 540° đan vào nhau (FFJORD). Nhãn: nhánh; yếu tố t: vị trí dọc theo nhánh.",
		"Uniform points on the 8 dark squares of a 4×4 board on [−4, 4]² (FFJORD). Labels: the square.":                                                                                                                "Các điểm phân bố đều trên 8 ô tối của một bàn cờ 4×4 trên [−4, 4]² (FFJORD). Nhãn: ô.",
		"Four concentric rings of radii 3, 2.25, 1.5, 0.75 (FFJORD). Labels: the ring.":                                                                                                                                "Bốn vành đồng tâm bán kính 3, 2.25, 1.5, 0.75 (FFJORD). Nhãn: vành.",
		"A 2-D swiss roll (scikit-learn make_swiss_roll on x, z, /5 as in FFJORD). Factor t: position along the roll.":                                                                                                 "Một cuộn Thuỵ Sĩ 2 chiều (make_swiss_roll của scikit-learn trên x, z, chia 5 như trong FFJORD). Yếu tố t: vị trí dọc theo cuộn.",
		"A single isotropic Gaussian centred at the origin.":                                                                                                                                                           "Một phân phối Gauss đẳng hướng duy nhất, tâm ở gốc toạ độ.",
		"Square, ellipse, triangle and heart images with known scale, rotation and position, drawn in Go (no download). Labels: the shape; factors: scale, rotation, x, y.":                                            "Ảnh hình vuông, elip, tam giác và trái tim với tỉ lệ, góc xoay và vị trí đã biết, vẽ bằng Go (không cần tải). Nhãn: hình; các yếu tố: tỉ lệ, góc xoay, x, y.",
		"MNIST handwritten digits (28×28): the published split, all 60000 training and 10000 test images (n takes the first n), from the packed file made by `make mnist-pack`. Labels: the digit.":                    "Chữ số viết tay MNIST (28×28): cách chia đã công bố, đủ 60000 ảnh huấn luyện và 10000 ảnh kiểm tra (n lấy n ảnh đầu), từ tệp đóng gói do `make mnist-pack` tạo. Nhãn: chữ số.",
		"Zalando's Fashion-MNIST clothing images (28×28): the published split, all 60000 training and 10000 test images (n takes the first n), from the packed file made by `make fashion-pack`. Labels: the garment.": "Ảnh quần áo Fashion-MNIST của Zalando (28×28): cách chia đã công bố, đủ 60000 ảnh huấn luyện và 10000 ảnh kiểm tra (n lấy n ảnh đầu), từ tệp đóng gói do `make fashion-pack` tạo. Nhãn: loại trang phục.",
		"Points drawn with the mouse (see Canvas).":                                                                                                                                                                    "Các điểm vẽ bằng chuột (xem Canvas).",
		"2-D points from a CSV file: x,y[,label], header optional, at most 100000 rows (see ReadCSV).":                                                                                                                 "Các điểm 2 chiều từ một tệp CSV: x,y[,nhãn], dòng tiêu đề tuỳ chọn, tối đa 100000 hàng (xem ReadCSV).",

		// vae priors: the registry's descriptions (ᵀ and ‖ written with
		// the glyphs the playground's fonts have: the table is drawn too).
		"priors:":                                "tiên nghiệm:",
		"posterior flows:":                       "luồng hậu nghiệm:",
		"standard Gaussian N(0, I), analytic KL": "Gauss chuẩn N(0, I), KL giải tích",
		"standard normal pushed through K learnable planar or radial layers; log p in the normalising direction, samples by inversion": "phân phối chuẩn đẩy qua K lớp phẳng hoặc xuyên tâm học được; log p theo chiều chuẩn hoá, lấy mẫu bằng phép nghịch đảo",
		"learnable diagonal Gaussian N(m, diag σ²), analytic KL":                                                                       "Gauss chéo học được N(m, diag σ²), KL giải tích",
		"learnable mixture of Gaussians (weights, means, variances), Monte Carlo KL":                                                   "hỗn hợp Gauss học được (trọng số, trung bình, phương sai), KL Monte Carlo",
		"two-stage VAE: stage one trains with N(0, I); a second VAE fitted to its codes generates and scores them":                     "VAE hai giai đoạn: giai đoạn một huấn luyện với N(0, I); một VAE thứ hai khớp với các mã của nó để sinh và chấm điểm chúng",
		"VampPrior: mixture of the encoder's posteriors at K learnable pseudo-inputs, Monte Carlo KL":                                  "VampPrior: hỗn hợp các hậu nghiệm của bộ mã hoá tại K giả đầu vào học được, KL Monte Carlo",
		"planar flow z + û·tanh(wᵀz + b) (Rezende & Mohamed 2015)":                                                                     "luồng phẳng z + û·tanh(w^T z + b) (Rezende & Mohamed 2015)",
		"radial flow z + β·(z − z₀)/(α + ‖z − z₀‖) (Rezende & Mohamed 2015)":                                                           "luồng xuyên tâm z + β·(z − z₀)/(α + ||z − z₀||) (Rezende & Mohamed 2015)",
	})
}
