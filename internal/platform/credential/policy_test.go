package credential

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw   string
		want PolicyCode // "" for accepted
	}{
		{"", CodePasswordTooShort},
		{"kupang", CodePasswordTooShort},
		{"123456789", CodePasswordTooShort},
		{"1234567890", ""},
		{"kupang kota kasih", ""},
		// Ten characters but more bytes: the count is in characters.
		{"ééééééééé", CodePasswordTooShort},
		{"éééééééééa", ""},
		{"aaaaaaaaaa", CodePasswordRepetitive},
		{"          ", CodePasswordRepetitive},
		{"🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", CodePasswordRepetitive},
		{"aaaaaaaaab", ""},
		{strings.Repeat("ab", MaxPasswordBytes/2), ""},
		{strings.Repeat("ab", MaxPasswordBytes/2) + "c", CodePasswordTooLong},
	}
	for _, tt := range tests {
		err := CheckPasswordPolicy(tt.pw)
		var pe *PolicyError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckPasswordPolicy(%.20q) = %v, want nil", tt.pw, err)
		case tt.want != "" && (!errors.As(err, &pe) || pe.Code != tt.want):
			t.Errorf("CheckPasswordPolicy(%.20q) = %v, want %s", tt.pw, err, tt.want)
		}
		if err != nil && tt.pw != "" && strings.Contains(err.Error(), tt.pw) {
			t.Errorf("error %q contains the password", err)
		}
	}
}
