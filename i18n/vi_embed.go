package i18n

// The embed's bar and the notes on views=, controls= and embed=.
func init() {
	Add(Vietnamese, map[string]string{
		"Open in the playground    ": "Mở trong sân chơi    ",
		"Open in the playground":     "Mở trong sân chơi",
		"Open    ":                   "Mở    ",
		"Open":                       "Mở",
		"Open the full playground with these settings in a new tab.":                      "Mở sân chơi đầy đủ với các thiết lập này trong một thẻ mới.",
		"views: unknown %s ignored (views are %s)":                                        "views: bỏ qua %s không biết (các khung là %s)",
		"views: every view shown":                                                         "views: hiện mọi khung",
		"controls: unknown %s ignored (controls are the settings' names, as in the link)": "controls: bỏ qua %s không biết (các điều khiển là tên các thiết lập, như trong liên kết)",
		"controls: none known, the default ones offered":                                  "controls: không có cái nào hợp lệ, dùng các điều khiển mặc định",
		"embed: %q is not 1 or 0: ignored":                                                "embed: %q không phải 1 hay 0: bỏ qua",
	})
}
