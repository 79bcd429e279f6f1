package reports

import (
	"strings"
	"testing"
)

func TestTrackingCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewTrackingCode()
		if len(c) != 13 || !strings.HasPrefix(c, "LPR-") || c[8] != '-' || strings.ContainsAny(c[4:], "01IO") {
			t.Fatalf("bad code %q", c)
		}
		if seen[c] {
			t.Fatalf("duplicate %s in 2000", c)
		}
		seen[c] = true
		if NormalizeCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))) != c || NormalizeCode(c[4:]) != c {
			t.Fatalf("normalize %s", c)
		}
	}
	for _, bad := range []string{"", "LPR-1234-5678", "LPR-ABCD", "LPR-ABCD-EFGHJ", "<script>"} {
		if NormalizeCode(bad) != "" {
			t.Errorf("NormalizeCode(%q) accepted", bad)
		}
	}
}

func TestTargets(t *testing.T) {
	for _, good := range []string{"3wd", "8wh", "30min", "20wd"} {
		if tg, err := ParseTarget(good); err != nil || tg.String() != good {
			t.Errorf("%s: %v %v", good, tg, err)
		}
	}
	for _, bad := range []string{"", "3", "3d", "0wd", "-1wh", "wd"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) accepted", bad)
		}
	}
}

func TestCheckAttributes(t *testing.T) {
	var cat Category
	for _, c := range DefaultCategories {
		if c.Code == "gawat-darurat-kesehatan" {
			cat = c
		}
		if err := validateAttributes(c.Attributes); err != nil {
			t.Errorf("seeded category %s: %v", c.Code, err)
		}
	}
	ok, err := cat.CheckAttributes(map[string][]string{"jumlah_korban": {" 2 "}, "sadar": {"ya"}})
	if err != nil || ok["jumlah_korban"][0] != "2" {
		t.Fatalf("valid answers: %v %v", ok, err)
	}
	for _, tc := range []struct {
		in   map[string][]string
		code string
	}{
		{map[string][]string{"sadar": {"ya"}}, "jumlah_korban"},
		{map[string][]string{"jumlah_korban": {"dua"}, "sadar": {"ya"}}, "jumlah_korban"},
		{map[string][]string{"jumlah_korban": {"2"}, "sadar": {"mungkin"}}, "sadar"},
		{map[string][]string{"jumlah_korban": {"2"}, "sadar": {"ya", "tidak"}}, "sadar"},
		{map[string][]string{"jumlah_korban": {"2"}, "sadar": {"ya"}, "golongan_darah": {"O"}}, "golongan_darah"},
	} {
		_, err := cat.CheckAttributes(tc.in)
		ae, isAE := err.(*AttributeError)
		if !isAE || ae.Code != tc.code {
			t.Errorf("%v: %v, want an error on %s", tc.in, err, tc.code)
		}
	}
}

func TestHaversine(t *testing.T) {
	// One thousandth of a degree of latitude is about 111 m.
	if d := haversine(-10.15, 123.6, -10.151, 123.6); d < 110 || d > 112 {
		t.Fatalf("distance %f", d)
	}
}

// Every state (and each reason for refusing) reaches a FixMyStreet-
// compatible client as the matching mySociety update status.
func TestUpdateStatusVocabulary(t *testing.T) {
	for _, tc := range []struct {
		st           Status
		kind, reason string
		want         string
	}{
		{StatusReceived, EventCreated, "", "OPEN"},
		{StatusVerified, EventVerified, "", "INVESTIGATING"},
		{StatusTransferred, EventTransferred, "", "INTERNAL_REFERRAL"},
		{StatusInProgress, EventReopened, "", "IN_PROGRESS"},
		{StatusDone, EventDone, "", "FIXED"},
		{StatusClosed, EventConfirmed, "", "CLOSED"},
		{StatusRejected, EventRejected, ReasonNotOurs, "NOT_COUNCILS_RESPONSIBILITY"},
		{StatusRejected, EventRejected, ReasonDuplicate, "DUPLICATE"},
		{StatusRejected, EventMerged, ReasonDuplicate, "DUPLICATE"},
		{StatusRejected, EventRejected, ReasonInvalid, "NO_FURTHER_ACTION"},
	} {
		if got := updateStatus(tc.st, tc.kind, tc.reason); got != tc.want {
			t.Errorf("%s/%s/%s = %s, want %s", tc.st, tc.kind, tc.reason, got, tc.want)
		}
	}
}
