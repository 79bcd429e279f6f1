package reports

// The categories and routing rules a city starts with. They are seeded
// once (an administrator's later edits are kept) and edited on the
// settings pages. SLA targets follow the SP4N-LAPOR! anchors (verify and
// forward within 3 working days, answer within 5) tightened where the
// harm grows by the hour; emergencies count clock minutes.

func yesNo() []AttrValue {
	return []AttrValue{{"ya", "Ya", "Yes"}, {"tidak", "Tidak", "No"}}
}

func tgt(n int, unit string) Target { return Target{N: n, Unit: unit} }

// DefaultCategories are seeded into an empty table.
var DefaultCategories = []Category{
	// Waste → DLHK.
	{Code: "sampah-liar", Group: "sampah", NameID: "Tumpukan sampah liar", NameEN: "Illegal rubbish dump",
		DescID:   "Sampah dibuang di tempat yang bukan TPS: lahan kosong, pinggir jalan, saluran.",
		DescEN:   "Rubbish dumped where there is no collection point: empty lots, roadsides, drains.",
		Keywords: "sampah, sampah liar, buang sampah, tumpukan", DefaultPrivacy: PrivacyPublic,
		Response: tgt(2, "wd"), Resolution: tgt(5, "wd"), Active: true, SortOrder: 10,
		Attributes: []Attribute{{Code: "volume", Datatype: TypeSingleValue, Required: true, Order: 1,
			NameID: "Perkiraan volume", NameEN: "Estimated volume",
			Values: []AttrValue{{"kecil", "Kecil (kurang dari 1 gerobak)", "Small (less than a cart)"},
				{"sedang", "Sedang (1–3 gerobak)", "Medium (1–3 carts)"}, {"besar", "Besar (lebih dari 1 truk)", "Large (more than a truck)"}}}}},
	{Code: "sampah-belum-diangkut", Group: "sampah", NameID: "Sampah belum diangkut", NameEN: "Rubbish not collected",
		DescID: "Sampah rumah tangga tidak diangkut sesuai jadwal.", DescEN: "Household rubbish was not collected on schedule.",
		Keywords: "sampah, angkut, belum diangkut, truk sampah", DefaultPrivacy: PrivacyPublic,
		Response: tgt(1, "wd"), Resolution: tgt(3, "wd"), Active: true, SortOrder: 11,
		Attributes: []Attribute{{Code: "hari_tertunda", Datatype: TypeNumber, Required: true, Order: 1,
			NameID: "Sudah berapa hari tidak diangkut?", NameEN: "For how many days has it not been collected?"}}},
	{Code: "tps-penuh", Group: "sampah", NameID: "TPS penuh", NameEN: "Collection point full",
		DescID: "Tempat pembuangan sementara (TPS) penuh atau meluber.", DescEN: "A temporary collection point (TPS) is full or overflowing.",
		Keywords: "tps, penuh, kontainer, bak sampah", DefaultPrivacy: PrivacyPublic,
		Response: tgt(1, "wd"), Resolution: tgt(2, "wd"), Active: true, SortOrder: 12,
		Attributes: []Attribute{{Code: "nama_tps", Datatype: TypeString, Required: false, Order: 1,
			NameID: "Nama atau ciri TPS", NameEN: "Name or landmark of the collection point"}}},
	{Code: "pembakaran-sampah", Group: "sampah", NameID: "Pembakaran sampah", NameEN: "Rubbish burning",
		DescID: "Sampah dibakar di tempat terbuka dan asapnya mengganggu.", DescEN: "Rubbish is burnt in the open and the smoke is a nuisance.",
		Keywords: "bakar, pembakaran, asap", DefaultPrivacy: PrivacyPublic,
		Response: tgt(4, "wh"), Resolution: tgt(2, "wd"), Active: true, SortOrder: 13,
		Attributes: []Attribute{{Code: "masih_berlangsung", Datatype: TypeSingleValue, Required: true, Order: 1,
			NameID: "Masih berlangsung?", NameEN: "Still going on?", Values: yesNo()}}},

	// Security → the Polsek of the kecamatan; confidential by default.
	{Code: "gangguan-ketertiban", Group: "keamanan", NameID: "Gangguan ketertiban", NameEN: "Public disturbance",
		DescID: "Keributan, balap liar, atau gangguan lain terhadap ketertiban umum.", DescEN: "Noise, street racing or other disturbances of public order.",
		Keywords: "ribut, keributan, balap liar, mabuk, gangguan", DefaultPrivacy: PrivacyConfidential,
		Response: tgt(2, "wh"), Resolution: tgt(3, "wd"), Active: true, SortOrder: 20,
		Attributes: []Attribute{{Code: "jenis", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Jenis gangguan", NameEN: "Kind of disturbance",
			Values: []AttrValue{{"keributan", "Keributan", "Noise"}, {"balap_liar", "Balap liar", "Street racing"}, {"lainnya", "Lainnya", "Other"}}}}},
	{Code: "pencurian", Group: "keamanan", NameID: "Pencurian", NameEN: "Theft",
		DescID:   "Pencurian atau percobaan pencurian. Untuk membuat laporan polisi resmi, datanglah ke Polsek.",
		DescEN:   "Theft or attempted theft. For an official police report, go to the Polsek.",
		Keywords: "curi, pencurian, maling, hilang", DefaultPrivacy: PrivacyConfidential,
		Response: tgt(4, "wh"), Resolution: tgt(5, "wd"), Active: true, SortOrder: 21,
		Attributes: []Attribute{
			{Code: "waktu_kejadian", Datatype: TypeDatetime, Required: true, Order: 1, NameID: "Waktu kejadian", NameEN: "When it happened"},
			{Code: "barang", Datatype: TypeText, Required: false, Order: 2, NameID: "Barang yang hilang", NameEN: "What was taken"}}},
	{Code: "perkelahian", Group: "keamanan", NameID: "Perkelahian", NameEN: "Fight",
		DescID: "Perkelahian atau tawuran.", DescEN: "A fight or a brawl.",
		Keywords: "kelahi, perkelahian, tawuran, pukul", DefaultPrivacy: PrivacyConfidential,
		Response: tgt(30, "min"), Resolution: tgt(1, "wd"), EmergencyNumbers: "110", Active: true, SortOrder: 22,
		Attributes: []Attribute{
			{Code: "masih_berlangsung", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Masih berlangsung?", NameEN: "Still going on?", Values: yesNo()},
			{Code: "jumlah_orang", Datatype: TypeNumber, Required: false, Order: 2, NameID: "Perkiraan jumlah orang", NameEN: "Estimated number of people"}}},
	{Code: "miras-narkoba", Group: "keamanan", NameID: "Miras / narkoba", NameEN: "Illegal alcohol / drugs",
		DescID: "Peredaran minuman keras ilegal atau narkoba.", DescEN: "Trade in illegal alcohol or drugs.",
		Keywords: "miras, sopi, narkoba, mabuk", DefaultPrivacy: PrivacyConfidential,
		Response: tgt(1, "wd"), Resolution: tgt(10, "wd"), Active: true, SortOrder: 23,
		Attributes: []Attribute{{Code: "jenis", Datatype: TypeMultiValue, Required: true, Order: 1, NameID: "Jenis", NameEN: "Kind",
			Values: []AttrValue{{"miras", "Minuman keras", "Alcohol"}, {"narkoba", "Narkoba", "Drugs"}}}}},

	// City infrastructure.
	{Code: "jalan-rusak", Group: "kota", NameID: "Jalan rusak", NameEN: "Damaged road",
		DescID: "Jalan berlubang, retak atau amblas.", DescEN: "Potholes, cracks or subsidence.",
		Keywords: "jalan rusak, jalan berlubang, lubang, berlubang, aspal, rusak", DefaultPrivacy: PrivacyPublic,
		Response: tgt(3, "wd"), Resolution: tgt(20, "wd"), Active: true, SortOrder: 30,
		Attributes: []Attribute{{Code: "ukuran", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Ukuran kerusakan", NameEN: "Size of the damage",
			Values: []AttrValue{{"kecil", "Lubang kecil (< 50 cm)", "Small hole (< 50 cm)"}, {"sedang", "Sedang (0,5–2 m)", "Medium (0.5–2 m)"}, {"besar", "Besar (> 2 m, membahayakan)", "Large (> 2 m, dangerous)"}}}}},
	{Code: "drainase-banjir", Group: "kota", NameID: "Drainase tersumbat / banjir", NameEN: "Blocked drain / flooding",
		DescID: "Saluran tersumbat, genangan atau banjir.", DescEN: "Blocked drains, standing water or flooding.",
		Keywords: "banjir, genangan, got, selokan, drainase, saluran", DefaultPrivacy: PrivacyPublic,
		Response: tgt(1, "wd"), Resolution: tgt(10, "wd"), Active: true, SortOrder: 31,
		Attributes: []Attribute{{Code: "tinggi_air_cm", Datatype: TypeNumber, Required: true, Order: 1, NameID: "Perkiraan tinggi air (cm)", NameEN: "Estimated water depth (cm)"}}},
	{Code: "lampu-jalan-mati", Group: "kota", NameID: "Lampu jalan mati", NameEN: "Street light out",
		DescID: "Lampu penerangan jalan umum (PJU) mati atau berkedip.", DescEN: "A street light is out or flickering.",
		Keywords: "lampu, lampu jalan, pju, gelap, penerangan", DefaultPrivacy: PrivacyPublic,
		Response: tgt(2, "wd"), Resolution: tgt(5, "wd"), Active: true, SortOrder: 32,
		Attributes: []Attribute{
			{Code: "jumlah_lampu", Datatype: TypeNumber, Required: true, Order: 1, NameID: "Jumlah lampu yang mati", NameEN: "Number of lights out"},
			{Code: "nomor_tiang", Datatype: TypeString, Required: false, Order: 2, NameID: "Nomor tiang (jika ada)", NameEN: "Pole number (if any)"}}},
	{Code: "pohon-tumbang", Group: "kota", NameID: "Pohon tumbang", NameEN: "Fallen tree",
		DescID: "Pohon tumbang atau dahan patah yang membahayakan.", DescEN: "A fallen tree or a dangerous broken branch.",
		Keywords: "pohon, tumbang, dahan, ranting", DefaultPrivacy: PrivacyPublic,
		Response: tgt(4, "wh"), Resolution: tgt(2, "wd"), Active: true, SortOrder: 33,
		Attributes: []Attribute{{Code: "menghalangi_jalan", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Menghalangi jalan?", NameEN: "Blocking the road?", Values: yesNo()}}},
	{Code: "air-bersih", Group: "kota", NameID: "Air bersih", NameEN: "Clean water",
		DescID: "Air tidak mengalir, keruh, atau pipa bocor.", DescEN: "No running water, dirty water or a leaking pipe.",
		Keywords: "air, pdam, pipa, bocor, keruh", DefaultPrivacy: PrivacyPublic,
		Response: tgt(1, "wd"), Resolution: tgt(5, "wd"), Active: true, SortOrder: 34,
		Attributes: []Attribute{{Code: "masalah", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Masalahnya", NameEN: "The problem",
			Values: []AttrValue{{"tidak_mengalir", "Air tidak mengalir", "No water"}, {"keruh", "Air keruh", "Dirty water"}, {"pipa_bocor", "Pipa bocor", "Leaking pipe"}}}}},
	{Code: "rambu-lalu-lintas", Group: "kota", NameID: "Rambu / lampu lalu lintas", NameEN: "Traffic sign / signal",
		DescID: "Rambu rusak atau hilang, lampu lalu lintas mati.", DescEN: "A damaged or missing sign, a traffic light out.",
		Keywords: "rambu, lampu merah, traffic light, lalu lintas", DefaultPrivacy: PrivacyPublic,
		Response: tgt(1, "wd"), Resolution: tgt(5, "wd"), Active: true, SortOrder: 35},
	{Code: "masalah-lainnya", Group: "lainnya", NameID: "Masalah lainnya", NameEN: "Other problem",
		DescID:         "Masalah lingkungan lain; kelurahan meneruskannya ke dinas yang berwenang.",
		DescEN:         "Any other neighbourhood problem; the kelurahan office forwards it to the agency in charge.",
		DefaultPrivacy: PrivacyPublic, Response: tgt(3, "wd"), Resolution: tgt(10, "wd"), Active: true, SortOrder: 90},

	// Emergencies: routed at once, and the reporter is told to phone.
	{Code: "kebakaran", Group: "darurat", NameID: "Kebakaran", NameEN: "Fire",
		DescID: "Kebakaran rumah, bangunan, lahan atau kendaraan.", DescEN: "A fire in a house, building, land or vehicle.",
		Keywords: "api, kebakaran, terbakar, damkar", DefaultPrivacy: PrivacyPublic,
		Response: tgt(5, "min"), Resolution: tgt(180, "min"), EmergencyNumbers: "112, 113", Active: true, SortOrder: 1,
		Attributes: []Attribute{{Code: "ada_korban", Datatype: TypeSingleValue, Required: true, Order: 1, NameID: "Ada orang terjebak atau terluka?", NameEN: "Anyone trapped or injured?", Values: yesNo()}}},
	{Code: "gawat-darurat-kesehatan", Group: "darurat", NameID: "Gawat darurat kesehatan", NameEN: "Medical emergency",
		DescID:   "Orang sakit berat atau terluka yang butuh pertolongan segera (Brigade Kupang Sehat).",
		DescEN:   "Someone seriously ill or injured who needs help now (Brigade Kupang Sehat).",
		Keywords: "ambulans, sakit, pingsan, luka, darurat", DefaultPrivacy: PrivacyConfidential,
		Response: tgt(10, "min"), Resolution: tgt(240, "min"), EmergencyNumbers: "112, 119", Active: true, SortOrder: 2,
		Attributes: []Attribute{
			{Code: "jumlah_korban", Datatype: TypeNumber, Required: true, Order: 1, NameID: "Jumlah orang yang perlu ditolong", NameEN: "Number of people who need help"},
			{Code: "sadar", Datatype: TypeSingleValue, Required: true, Order: 2, NameID: "Apakah korban sadar?", NameEN: "Is the person conscious?", Values: yesNo()}}},
}

// defaultRoute is a seeded city-wide rule.
type defaultRoute struct{ Category, Target string }

// DefaultRoutes are the city-wide rules seeded with the categories
// (DOMAIN.md §3); kelurahan- and kecamatan-level rules are added by an
// administrator (e.g. a DLHK zone team for one kecamatan).
var DefaultRoutes = []defaultRoute{
	{"sampah-liar", "dlhk"}, {"sampah-belum-diangkut", "dlhk"}, {"tps-penuh", "dlhk"}, {"pembakaran-sampah", "dlhk"},
	{"gangguan-ketertiban", "serving:polsek-"}, {"pencurian", "serving:polsek-"}, {"perkelahian", "serving:polsek-"}, {"miras-narkoba", "serving:polsek-"},
	{"jalan-rusak", "pupr"}, {"drainase-banjir", "pupr"}, {"air-bersih", "pupr"},
	{"lampu-jalan-mati", "dishub"}, {"rambu-lalu-lintas", "dishub"},
	{"pohon-tumbang", "dlhk"},
	{"masalah-lainnya", TargetKelurahanOffice},
	{"kebakaran", "nearest:damkar"},
	{"gawat-darurat-kesehatan", "brigade-sehat"},
}
