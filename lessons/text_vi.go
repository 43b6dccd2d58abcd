package lessons

// vietnamese is the lessons' message table in Vietnamese (tiên nghiệm =
// prior, hậu nghiệm = posterior, không gian tiềm ẩn = latent space).
var vietnamese = map[string]string{
	"priors.title": "Khi không biết p(z)",
	"flows.title":  "Luồng chuẩn hoá: thêm lớp, khớp sát hơn",

	"ui.lessons":   "Bài học",
	"ui.step":      "Bước %d / %d",
	"ui.next":      "Tiếp ›",
	"ui.prev":      "‹ Lùi",
	"ui.do":        "Làm",
	"ui.notice":    "Quan sát",
	"ui.steps":     "Các bước",
	"ui.close":     "Đóng bài học",
	"ui.none":      "Không có bài học",
	"ui.done":      "●",
	"ui.waiting":   "…",
	"ui.stepshelp": "Các bước của bài học: chọn một bước để mở (cấu hình của bước được áp dụng).",

	"priors.standard.title":  "1 · Tiên nghiệm chuẩn",
	"priors.standard.body":   "VAE mã hoá mỗi điểm x thành một phân phối Gauss q(z|x) rồi giải mã z trở lại. Số hạng KL so sánh q(z|x) với tiên nghiệm p(z), hầu như luôn là phân phối chuẩn tắc N(0, I): không có tham số, lấy mẫu dễ, và KL tới một phân phối Gauss có công thức đóng, tính chính xác cho từng điểm.",
	"priors.standard.do":     "Nhấn Play và xem hàm mất mát giảm.",
	"priors.standard.notice": "ELBO tăng trong khi các mã (bên phải) tản ra khỏi gốc toạ độ.",

	"priors.standard.trained.wait0": "Đang chờ bước huấn luyện đầu tiên.",
	"priors.standard.trained.wait":  "ELBO %s nat ở bước %d: đang chờ nó tăng.",
	"priors.standard.trained.done":  "ELBO đã tăng từ %s lên %s nat sau %d bước; số hạng KL, theo công thức đóng của N(0, I), là %s nat.",

	"priors.kl.title":  "2 · Số hạng KL như một bộ điều chuẩn",
	"priors.kl.body":   "Số hạng KL kéo mọi q(z|x) về phía p(z): đặt một mã xa gốc hay làm nó quá nhọn đều tốn nat. Số hạng tái tạo kéo theo hướng ngược lại, về phía những mã phân biệt được các điểm. Huấn luyện là cuộc giằng co giữa hai số hạng này.",
	"priors.kl.do":     "Tiếp tục huấn luyện; xem biểu đồ KL, mỗi chiều tiềm ẩn một đường.",
	"priors.kl.notice": "KL tăng khi các mã tách nhau ra: thông tin về x phải trả bằng nat.",

	"priors.kl.pull.wait0": "Đang chờ các bước huấn luyện (KL theo từng chiều đi kèm với chúng).",
	"priors.kl.pull.wait":  "KL hiện là %s nat; tái tạo log p(x|z) = %s.",
	"priors.kl.pull.done":  "Các mã trả %s nat KL (z₁ %s, z₂ %s) để tái tạo ở mức log p(x|z) = %s nat.",

	"priors.holes.title":  "3 · Những lỗ hổng giữa các cụm",
	"priors.holes.body":   "Tám cụm không thể cùng nằm ở nơi N(0, I) tập trung khối lượng. Hậu nghiệm gộp q(z), tức mọi mã gộp lại (đường đồng mức trắng), để lại những khoảng trống nơi tiên nghiệm (nền) vẫn cao. Các mẫu z ~ p(z) rơi vào đó được giải mã thành những điểm nằm giữa các cụm: mẫu xấu.",
	"priors.holes.do":     "Tiếp tục huấn luyện; so đường đồng mức với nền, và các mẫu với dữ liệu.",
	"priors.holes.notice": "Một số mẫu của mô hình rơi vào giữa các cụm.",

	"priors.holes.wait0":      "Bước %d: phép đo bắt đầu từ bước %d.",
	"priors.holes.wait":       "Bước %d: %s%% mẫu của tiên nghiệm được giải mã vào lỗ hổng.",
	"priors.holes.holes.done": "%s%% trong %d mẫu từ N(0, I) được giải mã xa hơn %s so với mọi điểm dữ liệu: chúng rơi vào lỗ hổng giữa các cụm.",
	"priors.holes.fewer":      "Chỉ %[2]s%% mẫu của tiên nghiệm %[1]s rơi vào lỗ hổng, trong khi N(0, I) để lại %[3]s%% trên cùng dữ liệu và cùng hạt giống.",
	"priors.holes.few":        "Chỉ %[2]s%% mẫu của tiên nghiệm %[1]s rơi vào lỗ hổng.",

	"priors.collapse.title":  "4 · β và sự sụp đổ hậu nghiệm",
	"priors.collapse.body":   "Nhân số hạng KL với β. Khi β > 1, tiên nghiệm thắng: chiều nào mang thông tin không đáng với KL của nó sẽ bị tắt, q(z_j|x) = p(z_j) với mọi x. KL của chiều đó giảm về 0: hậu nghiệm đã sụp đổ, và bộ giải mã bỏ qua nó.",
	"priors.collapse.do":     "Kéo β lên 4.",
	"priors.collapse.notice": "Các đường KL lần lượt rơi về 0, và các mã dồn về gốc toạ độ.",

	"priors.collapse.beta.wait":      "β = %s: hãy kéo lên 4 hoặc hơn.",
	"priors.collapse.beta.done":      "β = %s: giờ KL nặng hơn phần tái tạo.",
	"priors.collapse.collapsed.wait": "KL theo từng chiều: %s nat.",
	"priors.collapse.collapsed.done": "KL của z%d giảm còn %s nat (dưới 0,05): đã sụp đổ. Số chiều còn hoạt động: %d trên %d.",

	"priors.freebits.title":  "5 · Free bits",
	"priors.freebits.body":   "Free bits miễn cho mỗi chiều λ nat KL đầu tiên: dưới λ, số hạng KL không còn lực kéo, nên tiên nghiệm không thể tắt một chiều. Một cách bảo vệ mềm: vẫn giữ KL mà bộ giải mã vẫn dùng được z.",
	"priors.freebits.do":     "Với β = 4, đặt free bits bằng 0,5.",
	"priors.freebits.notice": "Mọi đường KL leo trở lại quanh λ, và các cụm lại tách nhau.",

	"priors.freebits.open.wait0": "Free bits %s; KL theo từng chiều: %s nat.",
	"priors.freebits.open.wait":  "Free bits %s; KL theo từng chiều: %s nat (đang chờ mọi chiều đạt tới λ).",
	"priors.freebits.open.done":  "Với %s nat miễn phí mỗi chiều, mọi chiều vẫn mở ở β = %[3]s: %[2]s nat.",

	"priors.flow.title":  "6 · Tiên nghiệm dạng luồng",
	"priors.flow.body":   "Nếu không biết p(z), hãy học nó. Một luồng chuẩn hoá g biến z thành một biến chuẩn tắc qua K lớp khả nghịch; tiên nghiệm là N(0, I) nhìn qua g, bị uốn từng lớp một (khung dưới) cho tới khi khối lượng của nó nằm trên các mã.",
	"priors.flow.do":     "Nhấn Play; xem khung luồng uốn cong lưới và nền bám theo các mã.",
	"priors.flow.notice": "Khối lượng của tiên nghiệm dời lên các cụm: các lỗ hổng khép lại.",

	"priors.flowgain.title":  "7 · Luồng được lợi bao nhiêu",
	"priors.flowgain.body":   "Cùng dữ liệu, cùng hạt giống: A dùng tiên nghiệm luồng, B dùng tiên nghiệm chuẩn. Cả hai huấn luyện song song từng bước; bảng chấm điểm cả hai trên các điểm giữ lại.",
	"priors.flowgain.do":     "Nhấn Play và để cả hai huấn luyện vài nghìn bước.",
	"priors.flowgain.notice": "ELBO của A vượt B nhiều hơn độ nhiễu giữa các lô dữ liệu giữ lại.",

	"priors.flowgain.gain.wait": "A − B: %s nat ELBO (± %s) ở bước %d.",
	"priors.flowgain.gain.done": "ELBO trên dữ liệu giữ lại của tiên nghiệm luồng cao hơn của tiên nghiệm chuẩn %s nat (%s so với %s, ± %s) sau %d bước.",
	"priors.compare.off":        "Chế độ so sánh đang tắt: hãy bật Compare.",
	"priors.compare.wait":       "Cả hai đã huấn luyện %d bước: bảng được đánh giá từ bước %d.",

	"priors.mixture.title":  "8 · Tiên nghiệm hỗn hợp",
	"priors.mixture.body":   "Hỗn hợp K phân phối Gauss là một tiên nghiệm có tham số: trung bình, phương sai và trọng số của nó được huấn luyện cùng VAE. Các thành phần trôi về nơi có mã; bạn cũng có thể kéo một thành phần trong không gian tiềm ẩn và xem quá trình huấn luyện đưa nó đi tiếp.",
	"priors.mixture.do":     "Nhấn Play; sau đó kéo một thành phần ra xa cụm của nó.",
	"priors.mixture.notice": "Các elip dừng lại trên các cụm, mỗi cụm mã một elip.",

	"priors.mixture.drift.none": "Tiên nghiệm không phải là hỗn hợp.",
	"priors.mixture.drift.wait": "%d trên %d cụm mã đã có một thành phần nằm trên (xa nhất cách %s; ngưỡng là %s, nửa khoảng cách giữa hai cụm kề nhau).",
	"priors.mixture.drift.done": "Cả %d cụm mã đều có một thành phần nằm ở tâm: xa nhất cách %s, dưới ngưỡng %s, nửa khoảng cách giữa hai cụm kề nhau.",

	"priors.vamp.title":  "9 · VampPrior",
	"priors.vamp.body":   "VampPrior dựng tiên nghiệm từ chính bộ mã hoá: một hỗn hợp các hậu nghiệm của K đầu vào giả u_k được học. Tiên nghiệm và hậu nghiệm nói cùng một ngôn ngữ, nên tiên nghiệm bám theo các mã ngay từ cách xây dựng.",
	"priors.vamp.do":     "Nhấn Play và so nền với các mã.",
	"priors.vamp.notice": "Mật độ tiên nghiệm là những đốm nằm đúng chỗ các mã.",

	"priors.bayes.title":  "10 · Bộ giải mã Bayes",
	"priors.bayes.body":   "Cho mỗi trọng số của bộ giải mã một phân phối Gauss thay vì một giá trị. Ở nơi bộ giải mã đã thấy mã của dữ liệu, các trọng số đồng thuận; xa chỗ đó, chúng bất đồng, và các lần giải mã cùng một z toả rộng ra. Mô hình cho biết nơi nó không biết.",
	"priors.bayes.do":     "Nhấn Play; sau đó bấm vào không gian tiềm ẩn ở xa các mã và ở gần chúng.",
	"priors.bayes.notice": "Đám mây giải mã của một z ở xa rộng hơn đám mây của một mã.",

	"priors.bayes.spread.none": "Bộ giải mã không phải dạng Bayes.",
	"priors.bayes.spread.wait": "Độ toả của bộ giải mã: %s ở xa các mã, %s tại các mã.",
	"priors.bayes.spread.done": "Độ toả của bộ giải mã là %s tại |z| = %d, gấp %s lần mức %s tại các mã: nó không chắc chắn ở nơi chưa thấy dữ liệu.",

	"priors.twostage.title":  "11 · Tiên nghiệm hai giai đoạn",
	"priors.twostage.body":   "Huấn luyện VAE như thường lệ, rồi khớp một VAE thứ hai, nhỏ, vào các mã của nó. Mật độ của VAE thứ hai thay cho N(0, I): nó đã học được các mã thực sự nằm ở đâu, và các mẫu của nó rơi vào đó.",
	"priors.twostage.do":     "Huấn luyện giai đoạn một; rồi nhấn \"fit the second stage\" trong mục Prior.",
	"priors.twostage.notice": "Nền đổi sang mật độ của giai đoạn hai. Có ít mẫu rơi vào giữa các cụm hơn so với N(0, I) trên cùng bộ giải mã không? Trong hai chiều, các mã vốn đã gần phân phối Gauss: lợi ích nhỏ.",

	"priors.twostage.trained.done": "Giai đoạn một đã huấn luyện %d bước: hãy khớp giai đoạn hai.",
	"priors.twostage.fitted.wait0": "Nhấn \"fit the second stage\".",
	"priors.twostage.fitted.wait":  "Đang khớp giai đoạn hai: %d / %d bước.",
	"priors.twostage.fitted.done":  "Mẫu của giai đoạn hai rơi vào lỗ hổng %s%% số lần, của N(0, I) là %s%%, với cùng bộ giải mã (khớp theo các mã ở bước %d).",

	"priors.mmd.title":  "12 · MMD: khớp các mã như một tổng thể",
	"priors.mmd.body":   "β nhỏ cho phép từng mã sắc nét, nhưng khi đó không gì giữ các mã lại với nhau: q(z) trôi xa p(z). Số hạng MMD so cả đám mây mã với các mẫu của p(z), chứ không so từng hậu nghiệm: nó giữ q(z) trên tiên nghiệm mà không ép mọi q(z|x) vào đó (InfoVAE).",
	"priors.mmd.do":     "Huấn luyện với β = 0,1 cho tới khi các mã tản ra; rồi đặt trọng số MMD bằng 50.",
	"priors.mmd.notice": "Các mã co về đĩa của tiên nghiệm; MMD² giảm.",

	"priors.mmd.spread.wait":    "MMD² giữa các mã và p(z): %s.",
	"priors.mmd.spread.done":    "Ở β = %s các mã tản ra: MMD² tới N(0, I) là %s, và %s%% mẫu rơi vào lỗ hổng.",
	"priors.mmd.matched.wait0":  "Trọng số MMD %s: hãy đặt bằng 50.",
	"priors.mmd.matched.wait":   "Trọng số MMD %s: MMD² %s.",
	"priors.mmd.matched.done":   "Với trọng số MMD %s, MMD² giảm từ %s xuống %s: hậu nghiệm gộp đã trở lại trên N(0, I).",
	"priors.compare.title":      "13 · Đặt các tiên nghiệm cạnh nhau",
	"priors.compare.body":       "Cùng dữ liệu và hạt giống, hai tiên nghiệm: A là phân phối chuẩn tắc, B là hỗn hợp. Bảng chấm cả hai trên các điểm giữ lại: ELBO, cận IWAE chặt hơn, và các thành phần của chúng. Đổi tiên nghiệm của B sang flow hoặc vamp để xếp các tiên nghiệm khác vào hàng.",
	"priors.compare.do":         "Nhấn Play; để cả hai huấn luyện; đọc bảng.",
	"priors.compare.notice":     "Tiên nghiệm được học vẫn giữ KL mà khớp với các mã: cận của nó cao hơn.",
	"priors.compare.table.done": "Sau %d bước trên cùng dữ liệu và hạt giống: %s − %s = %s nat ELBO (± %s), %s nat IWAE (A %[7]s, B %[8]s).",

	"flows.k2.title":   "1 · Hai lớp phẳng",
	"flows.k2.body":    "Một luồng chuẩn hoá đẩy N(0, I) qua K lớp khả nghịch; mật độ suy ra từ công thức đổi biến. Ở đây luồng được khớp với năng lượng U1, một vành có hai thuỳ, bằng KL ngược từ chính các mẫu của nó.",
	"flows.k2.do":      "Nhấn Play và để quá trình khớp chạy.",
	"flows.k2.notice":  "Hai lớp chỉ uốn được phân phối Gauss tới một mức: vành chỉ được lấp một phần.",
	"flows.k8.title":   "2 · Tám lớp",
	"flows.k8.body":    "Mỗi lớp phẳng uốn không gian theo một hướng. Nhiều lớp hơn, nhiều chỗ uốn hơn.",
	"flows.k8.do":      "Nhấn Play.",
	"flows.k8.notice":  "Các mẫu bám theo vành xa hơn; KL kết thúc thấp hơn.",
	"flows.k32.title":  "3 · Ba mươi hai lớp",
	"flows.k32.body":   "Với 32 lớp, luồng có thể quấn phân phối Gauss quanh vành; mỗi bước tốn kém hơn.",
	"flows.k32.do":     "Nhấn Play.",
	"flows.k32.notice": "KL giảm thêm nữa: độ sâu đổi lấy độ khớp.",

	"flows.lab.off":   "Mở phòng thí nghiệm luồng (chế độ flowlab).",
	"flows.fit.wait0": "Bước khớp %d: KL được đánh giá ở bước %d.",
	"flows.fit.wait":  "KL %s nat ở bước %d (đánh giá ở bước %d).",
	"flows.fit.done":  "Với %d lớp, KL tới U1 là %s nat ở bước %d.",
	"flows.fit.below": "Với %d lớp, KL tới U1 là %s nat ở bước %d, thấp hơn mức %[5]s của %[4]d lớp.",
}
