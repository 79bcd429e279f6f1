package idnum

import "testing"

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"NIK", MaskNIK, "5371015507900001", "5371********0001"},
		{"NIK typed with spaces", MaskNIK, "5371 0155 0790 0001", "5371********0001"},
		{"NIK wrong length", MaskNIK, "537101550790001", "****************"},
		{"NIK with a letter", MaskNIK, "5371015507900OO1", "****************"},
		{"NIK empty", MaskNIK, "", ""},
		{"KK", MaskKK, "5371012001150003", "5371********0003"},
		{"NIP", MaskNIP, "199005152015031002", "***************002"},
		{"NIP wrong length", MaskNIP, "19900515201503100", "******************"},
		{"BPJS", MaskBPJS, "0001234567890", "0001*****7890"},
		{"phone", MaskPhone, "+6281234565678", "+62812****5678"},
		{"short phone", MaskPhone, "+62811380123", "+62811****0123"},
		{"phone not E.164", MaskPhone, "081234565678", "****"},
		{"foreign phone", MaskPhone, "+12025550143", "****"},
		{"phone too short to mask", MaskPhone, "+628123456", "****"},
		{"phone empty", MaskPhone, "", "****"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: mask(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
