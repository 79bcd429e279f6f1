package idnum

import "testing"

func TestNormalizePhoneValid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"081234565678", "+6281234565678"},
		{"6281234565678", "+6281234565678"},
		{"+6281234565678", "+6281234565678"},
		{"+62 812-3456-5678", "+6281234565678"},
		{"0812.3456.5678", "+6281234565678"},
		{"0852 1234 5678", "+6285212345678"},
		{"0895 1234 5678", "+6289512345678"},
		{"0811380123", "+62811380123"},
		// People write the trunk 0 after the country code; it is dropped.
		{"+62 0812 3456 5678", "+6281234565678"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizePhoneInvalid(t *testing.T) {
	tests := []struct {
		name, in string
		code     Code
	}{
		{"empty", "", CodePhoneEmpty},
		{"only separators", " - ", CodePhoneEmpty},
		{"letters", "0812-CALL-ME", CodePhoneInvalid},
		{"parentheses are not stripped", "(0812) 3456 5678", CodePhoneInvalid},
		{"plus only", "+", CodePhoneInvalid},
		{"plus inside", "0812+34565678", CodePhoneInvalid},
		{"too short", "0811", CodePhoneInvalid},
		{"too long", "08112345678901", CodePhoneInvalid},
		{"emergency number", "112", CodePhoneInvalid},
		{"absurdly long", "0812345678901234567890123456789012345678901234567890123456789012345", CodePhoneInvalid},
		{"Kupang landline", "0380 821234", CodePhoneNotMobile},
		{"Kupang landline, international", "+62 380 821234", CodePhoneNotMobile},
		{"Jakarta landline", "021 1234 5678", CodePhoneNotMobile},
		{"toll-free", "0800 1234567", CodePhoneNotMobile},
		{"United States", "+1 202 555 0143", CodePhoneNotIndonesian},
		{"Australian mobile", "+61 412 345 678", CodePhoneNotIndonesian},
		{"Timor-Leste mobile", "+670 7723 4567", CodePhoneNotIndonesian},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			wantCode(t, err, FieldPhone, tt.code)
			if got != "" {
				t.Errorf("returned %q with an error", got)
			}
		})
	}
}
