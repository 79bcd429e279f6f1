package idnum

// provinces maps the two-digit province codes that can open a NIK or KK to
// the province name.
//
// Source: Kemendagri administrative region codes, Permendagri 72/2019 and its
// update Kepmendagri 100.1.1-6117/2022, which added the four new Papua
// provinces (93–96) (verify against the latest Kepmendagri on region codes
// when a province is created or renamed). The first six digits of a NIK are
// the region where it was first issued and never change, so codes of
// provinces that were later split (91 Papua, 92 Papua Barat) stay valid.
var provinces = map[string]string{
	"11": "Aceh",
	"12": "Sumatera Utara",
	"13": "Sumatera Barat",
	"14": "Riau",
	"15": "Jambi",
	"16": "Sumatera Selatan",
	"17": "Bengkulu",
	"18": "Lampung",
	"19": "Kepulauan Bangka Belitung",
	"21": "Kepulauan Riau",
	"31": "DKI Jakarta",
	"32": "Jawa Barat",
	"33": "Jawa Tengah",
	"34": "Daerah Istimewa Yogyakarta",
	"35": "Jawa Timur",
	"36": "Banten",
	"51": "Bali",
	"52": "Nusa Tenggara Barat",
	"53": "Nusa Tenggara Timur",
	"61": "Kalimantan Barat",
	"62": "Kalimantan Tengah",
	"63": "Kalimantan Selatan",
	"64": "Kalimantan Timur",
	"65": "Kalimantan Utara",
	"71": "Sulawesi Utara",
	"72": "Sulawesi Tengah",
	"73": "Sulawesi Selatan",
	"74": "Sulawesi Tenggara",
	"75": "Gorontalo",
	"76": "Sulawesi Barat",
	"81": "Maluku",
	"82": "Maluku Utara",
	"91": "Papua",
	"92": "Papua Barat",
	"93": "Papua Selatan",
	"94": "Papua Tengah",
	"95": "Papua Pegunungan",
	"96": "Papua Barat Daya",
}

// ProvinceName returns the name of the province with the two-digit
// Kemendagri code, and whether the code is one a NIK or KK can start with.
func ProvinceName(code string) (string, bool) {
	name, ok := provinces[code]
	return name, ok
}

// regionOK reports whether six digits are a plausible kecamatan code: a
// known province, then kabupaten/kota and kecamatan numbers, which
// Kemendagri numbers from 01, so 00 in either place is a typo.
func regionOK(six string) bool {
	if _, ok := provinces[six[:2]]; !ok {
		return false
	}
	return six[2:4] != "00" && six[4:6] != "00"
}

// dottedRegion formats six region digits the way Kemendagri writes a
// kecamatan code and the rest of Sodamolek stores it: "53.71.01".
func dottedRegion(six string) string {
	return six[:2] + "." + six[2:4] + "." + six[4:6]
}
