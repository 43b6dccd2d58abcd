package i18n

// The theme's settings.
func init() {
	Add(Vietnamese, map[string]string{
		"theme":         "giao diện",
		"class colours": "màu các lớp",
		"auto":          "tự động",
		"dark":          "tối",
		"light":         "sáng",
		"default":       "mặc định",
		"colorblind":    "cho người mù màu",
		"Dark or light colours. auto follows the system's setting (the browser's light or dark preference; dark on the desktop).":                 "Màu tối hay sáng. tự động theo thiết lập của hệ thống (chế độ sáng hoặc tối của trình duyệt; tối trên máy tính).",
		"The colours of the classes and marks. colorblind: Okabe and Ito's palette, whose colours stay apart for red-green colour blindness too.": "Màu của các lớp và các dấu. cho người mù màu: bảng màu của Okabe và Ito, các màu vẫn phân biệt được cả với người mù màu đỏ-lục.",
	})
}
