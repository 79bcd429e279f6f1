package idnum

import (
	"slices"
	"testing"
)

func TestFindNIKLike(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"log line", `level=INFO msg=registered nik=5371014507900001 user=7`, []string{"5371014507900001"}},
		{"JSON", `{"nik":"5371014507900001","kk":"5371012001150003"}`, []string{"5371014507900001", "5371012001150003"}},
		{"whole text", "5371014507900001", []string{"5371014507900001"}},
		{"glued to letters", "nik5371014507900001x", []string{"5371014507900001"}},
		// 29 February 1900 does not exist but 2000 does: either century counts.
		{"leap day of 2000", "id 5371012902000001", []string{"5371012902000001"}},
		{"masked", "nik=5371********0001", nil},
		{"typed with spaces", "5371 0145 0790 0001", nil},
		{"part of a longer run", "53710145079000012", nil},
		{"NIP", "199005152015031002", nil},
		{"unix microseconds", "ts=1718000000000000", nil},
		{"bad region", "9971014507900001", nil},
		{"bad date", "5371013102900001", nil},
		{"serial 0000", "5371014507900000", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindNIKLike(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindNIKLike = %q, want %q", got, tt.want)
			}
			if LooksLikeNIK(tt.text) != (len(tt.want) > 0) {
				t.Errorf("LooksLikeNIK = %v", !(len(tt.want) > 0))
			}
		})
	}
}
