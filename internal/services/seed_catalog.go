package services

// The seeded catalog for Kupang (DOMAIN.md §6). Seeding inserts services
// that do not exist yet and refreshes those an administrator has not
// edited, so a release can fix a default without overwriting local
// changes.

var letterActions = []string{ActApprove, ActReturn, ActReject, ActRequestDocs}

// letterDocs are what kelurahan letters usually need: an RT/RW cover
// letter, KTP and KK.
func letterDocs(extra ...DocReq) []DocReq {
	base := []DocReq{
		{Type: "pengantar_rt", Name: "Surat pengantar RT/RW", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}},
		{Type: "ktp", Name: "KTP", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}},
		{Type: "kk", Name: "Kartu Keluarga", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}},
	}
	return append(base, extra...)
}

func purposeField() Field {
	return Field{Code: "keperluan", Label: "Keperluan", Type: "text", Required: true, MaxLen: 200}
}

// kelurahanStages: verification and signing at the applicant's
// kelurahan, same day; withKecamatan adds the camat's countersignature.
func kelurahanStages(withKecamatan bool) []Stage {
	st := []Stage{
		{Code: "verifikasi", Name: "Verifikasi berkas di kelurahan", Unit: UnitKelurahan, Role: "officer", SLADays: 1, Actions: letterActions},
		{Code: "tanda_tangan_lurah", Name: "Penandatanganan oleh lurah", Unit: UnitKelurahan, Role: "supervisor", SLADays: 1,
			Actions: []string{ActApprove, ActReturn, ActReject}},
	}
	if withKecamatan {
		st = append(st, Stage{Code: "pengesahan_camat", Name: "Pengesahan oleh camat", Unit: UnitKecamatan, Role: "officer", SLADays: 1,
			Actions: []string{ActApprove, ActReturn, ActReject}})
	}
	return st
}

func letter(code, name, desc string, withKecamatan bool, fields []Field, docs ...DocReq) Service {
	issuer := UnitKelurahan
	if withKecamatan {
		issuer = UnitKecamatan
	}
	return Service{Code: code, Name: name, Description: desc, Category: "surat",
		Eligibility: "Warga yang berdomisili di kelurahan pemohon (NIK/KK terdaftar).",
		Documents:   letterDocs(docs...), Fields: append([]Field{purposeField()}, fields...),
		Stages: kelurahanStages(withKecamatan), FeeNote: "Gratis",
		Output: OutputDef{Title: name, Issuer: issuer, Body: "Yang bertanda tangan di bawah ini menerangkan bahwa:"}}
}

func text(code, label string, required bool) Field {
	return Field{Code: code, Label: label, Type: "text", Required: required, MaxLen: 200}
}

func date(code, label string) Field {
	return Field{Code: code, Label: label, Type: "date", Required: true}
}

func num(code, label string, minimum float64) Field {
	return Field{Code: code, Label: label, Type: "number", Required: true, Min: &minimum}
}

// SeedCatalog is the default catalog.
func SeedCatalog() []Service {
	pdf := []string{"pdf"}
	perizinanActions := []string{ActApprove, ActReturn, ActReject, ActRequestDocs}
	return []Service{
		letter("domisili", "Surat Keterangan Domisili", "Keterangan tempat tinggal untuk keperluan administrasi.", false,
			[]Field{text("alamat", "Alamat lengkap", true)}),
		letter("sktm", "Surat Keterangan Tidak Mampu (SKTM)", "Keterangan keluarga tidak mampu untuk bantuan pendidikan atau kesehatan.", false,
			[]Field{num("penghasilan", "Penghasilan keluarga per bulan (Rp)", 0)}),
		letter("keterangan-usaha", "Surat Keterangan Usaha", "Keterangan memiliki usaha mikro di wilayah kelurahan.", false,
			[]Field{text("nama_usaha", "Nama usaha", true), text("jenis_usaha", "Jenis usaha", true), text("alamat_usaha", "Alamat usaha", true)},
			DocReq{Type: "foto_usaha", Name: "Foto tempat usaha", Mandatory: true, Formats: []string{"jpeg", "png"}}),
		letter("pengantar-skck", "Surat Pengantar SKCK", "Pengantar ke Polresta untuk penerbitan SKCK.", true, nil),
		letter("kematian", "Surat Keterangan Kematian", "Keterangan kematian untuk akta kematian di Disdukcapil.", false,
			[]Field{text("nama_almarhum", "Nama almarhum/almarhumah", true), date("tanggal_meninggal", "Tanggal meninggal"),
				text("tempat_meninggal", "Tempat meninggal", true)},
			DocReq{Type: "keterangan_rs", Name: "Keterangan dari rumah sakit/dokter (jika ada)", Formats: []string{"pdf", "jpeg", "png"}}),
		letter("kelahiran", "Surat Keterangan Kelahiran", "Keterangan kelahiran untuk akta kelahiran.", false,
			[]Field{text("nama_bayi", "Nama bayi", true), date("tanggal_lahir", "Tanggal lahir"),
				{Code: "jenis_kelamin", Label: "Jenis kelamin", Type: "select", Required: true, Options: []string{"laki-laki", "perempuan"}}},
			DocReq{Type: "keterangan_lahir", Name: "Surat keterangan lahir dari bidan/RS", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}}),
		letter("pindah", "Surat Keterangan Pindah", "Pengantar pindah domisili keluar kelurahan.", true,
			[]Field{text("alamat_tujuan", "Alamat tujuan", true), num("jumlah_pindah", "Jumlah anggota keluarga yang pindah", 1)}),
		letter("ahli-waris", "Surat Keterangan Ahli Waris", "Keterangan ahli waris, disahkan camat.", true,
			[]Field{text("nama_pewaris", "Nama pewaris", true), {Code: "daftar_ahli_waris", Label: "Daftar ahli waris", Type: "textarea", Required: true, MaxLen: 2000}},
			DocReq{Type: "akta_kematian", Name: "Akta kematian pewaris", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}}),
		letter("belum-menikah", "Surat Keterangan Belum Menikah", "Keterangan belum pernah menikah.", false, nil),
		letter("pengantar-nikah", "Surat Pengantar Nikah (N1–N4)", "Pengantar untuk pencatatan nikah di KUA/Disdukcapil.", false,
			[]Field{text("nama_calon", "Nama calon pasangan", true), date("rencana_tanggal", "Rencana tanggal nikah")}),
		{
			Code: "pkkpr", Name: "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang (PKKPR)", Category: "perizinan",
			Description: "Persetujuan kesesuaian rencana kegiatan dengan rencana tata ruang (Si Pejuang).",
			Eligibility: "Perorangan atau badan usaha pemilik/penguasa bidang tanah di Kota Kupang.",
			Documents: []DocReq{
				{Type: "ktp", Name: "KTP pemohon", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}},
				{Type: "bukti_tanah", Name: "Bukti penguasaan tanah (sertipikat/akta)", Mandatory: true, Formats: pdf},
				{Type: "proposal", Name: "Proposal/rencana kegiatan dan gambar lokasi", Mandatory: true, Formats: pdf},
			},
			Fields: []Field{
				text("parcel", "Nomor bidang/NIB tanah", true), text("lokasi", "Alamat lokasi", true),
				num("luas_tanah", "Luas tanah (m²)", 1), text("kegiatan", "Rencana kegiatan", true),
			},
			FeeNote: "PNBP sesuai PP 128/2015 (ditetapkan pada pemeriksaan dokumen)",
			Stages: []Stage{
				{Code: "pemeriksaan_dokumen", Name: "Pemeriksaan dokumen (Dinas PUPR)", Unit: "pupr", Role: "officer", SLADays: 2,
					Actions: perizinanActions, Bill: "pnbp", Records: []Field{num("pnbp_amount", "Besaran PNBP (Rp)", 0)}},
				{Code: "pembayaran_pnbp", Name: "Pembayaran PNBP", Unit: "dpmptsp", Role: "officer", SLADays: 5, Payment: true},
				// The land technical consideration and the technical review run
				// in parallel after payment and join at the forum.
				{Code: "pertimbangan_teknis_pertanahan", Name: "Pertimbangan teknis pertanahan (Kantor Pertanahan)", Unit: "bpn", Role: "officer",
					SLADays: 10, Actions: perizinanActions, After: []string{"pembayaran_pnbp"},
					Records: []Field{text("nomor_ptp", "Nomor pertimbangan teknis pertanahan", true),
						{Code: "kesimpulan_ptp", Label: "Kesimpulan", Type: "select", Required: true, Options: []string{"dapat_dipertimbangkan", "dengan_syarat"}}}},
				{Code: "kajian_teknis", Name: "Kajian teknis tata ruang (Dinas PUPR)", Unit: "pupr", Role: "officer", SLADays: 10,
					Actions: perizinanActions, After: []string{"pembayaran_pnbp"},
					Records: []Field{{Code: "catatan_kajian", Label: "Hasil kajian", Type: "textarea", Required: true, MaxLen: 2000}}},
				{Code: "forum_penataan_ruang", Name: "Penilaian Forum Penataan Ruang", Unit: "pupr", Role: "supervisor", SLADays: 5,
					Actions: perizinanActions, After: []string{"pertimbangan_teknis_pertanahan", "kajian_teknis"},
					Records: []Field{text("nomor_berita_acara_fpr", "Nomor berita acara FPR", true)}},
				{Code: "penerbitan", Name: "Penerbitan PKKPR (DPMPTSP)", Unit: "dpmptsp", Role: "officer", SLADays: 2,
					Actions: []string{ActApprove, ActReject}},
			},
			Output: OutputDef{Title: "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang", Issuer: "dpmptsp",
				Body: "Berdasarkan penilaian Forum Penataan Ruang, rencana kegiatan berikut dinyatakan sesuai dengan rencana tata ruang Kota Kupang."},
		},
		{
			Code: "pbg", Name: "Persetujuan Bangunan Gedung (PBG)", Category: "perizinan", Requires: "pkkpr",
			Description: "Persetujuan untuk membangun, mengubah atau merawat bangunan gedung (Si Pejuang). Memerlukan PKKPR yang sudah terbit.",
			Eligibility: "Pemohon yang memiliki PKKPR terbit untuk bidang tanah yang sama.",
			Documents: []DocReq{
				{Type: "ktp", Name: "KTP pemohon", Mandatory: true, Formats: []string{"pdf", "jpeg", "png"}},
				{Type: "gambar_arsitektur", Name: "Gambar arsitektur", Mandatory: true, Formats: pdf},
				{Type: "gambar_struktur", Name: "Gambar dan perhitungan struktur", Mandatory: true, Formats: pdf},
				{Type: "gambar_utilitas", Name: "Gambar utilitas (MEP)", Mandatory: false, Formats: pdf},
			},
			Fields: []Field{
				text("parcel", "Nomor bidang/NIB tanah", true), text("pkkpr_number", "Nomor berkas PKKPR", true),
				text("lokasi", "Alamat lokasi", true),
				{Code: "fungsi", Label: "Fungsi bangunan", Type: "select", Required: true,
					Options: []string{"hunian_sederhana", "hunian", "usaha", "umkm", "sosial_budaya", "keagamaan", "campuran", "khusus"}},
				num("luas_bangunan", "Luas total lantai (m²)", 1), num("jumlah_lantai", "Jumlah lantai", 1),
			},
			FeeNote: "Retribusi PBG (R = LLt × It × Ibg × Ilo × SHST), ditetapkan dalam SKRD",
			Stages: []Stage{
				{Code: "registrasi", Name: "Registrasi dan pemeriksaan kelengkapan (DPMPTSP)", Unit: "dpmptsp", Role: "officer", SLADays: 1, Actions: perizinanActions},
				{Code: "konsultasi_teknis", Name: "Konsultasi teknis TPA/TPT", Unit: "tpa-tpt", Role: "officer", SLADays: 10, Actions: perizinanActions,
					Records: []Field{text("nomor_berita_acara", "Nomor berita acara konsultasi", true), date("tanggal_berita_acara", "Tanggal berita acara")}},
				{Code: "sppst", Name: "Surat Pernyataan Pemenuhan Standar Teknis (SPPST)", Unit: "pupr", Role: "supervisor", SLADays: 3,
					Actions: perizinanActions, Records: []Field{text("nomor_sppst", "Nomor SPPST", true)}},
				{Code: "penilaian_retribusi", Name: "Penghitungan retribusi dan SKRD (Dinas PUPR)", Unit: "pupr", Role: "officer", SLADays: 3,
					Actions: []string{ActApprove, ActReturn}, Bill: "skrd", Records: []Field{
						{Code: "kompleksitas", Label: "Kompleksitas", Type: "select", Required: true, Options: []string{"sederhana", "tidak_sederhana"}},
						{Code: "permanensi", Label: "Permanensi", Type: "select", Required: true, Options: []string{"permanen", "non_permanen"}},
						{Code: "kepemilikan", Label: "Kepemilikan", Type: "select", Required: true, Options: []string{"perorangan", "badan_usaha", "negara"}},
						{Code: "jenis_pekerjaan", Label: "Jenis pekerjaan", Type: "select", Required: true, Options: []string{"baru", "rehabilitasi_sedang", "rehabilitasi_berat"}},
					}},
				{Code: "pembayaran_retribusi", Name: "Pembayaran retribusi (SKRD)", Unit: "dpmptsp", Role: "officer", SLADays: 10, Payment: true},
				{Code: "penerbitan", Name: "Penerbitan PBG (DPMPTSP)", Unit: "dpmptsp", Role: "officer", SLADays: 1, Actions: []string{ActApprove, ActReject}},
			},
			Output: OutputDef{Title: "Persetujuan Bangunan Gedung", Issuer: "dpmptsp",
				Body: "Berdasarkan SPPST dan pelunasan retribusi, diberikan Persetujuan Bangunan Gedung kepada:"},
		},
	}
}
