package idnum

import "testing"

func TestParseBPJS(t *testing.T) {
	for _, in := range []string{"0001234567890", "0001 2345 67890", "0001-2345-67890"} {
		got, err := ParseBPJS(in)
		if err != nil || got != "0001234567890" {
			t.Errorf("ParseBPJS(%q) = %q, %v", in, got, err)
		}
	}
	tests := []struct {
		in   string
		code Code
	}{
		{"", CodeBPJSEmpty},
		{"000123456789O", CodeBPJSChars},
		{"000123456789", CodeBPJSLength},
		{"00012345678901", CodeBPJSLength},
	}
	for _, tt := range tests {
		got, err := ParseBPJS(tt.in)
		wantCode(t, err, FieldBPJS, tt.code)
		if got != "" {
			t.Errorf("ParseBPJS(%q) returned %q with an error", tt.in, got)
		}
	}
}
