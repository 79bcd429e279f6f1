package icd10

import "testing"

func TestLookup(t *testing.T) {
	if Len() < 18000 {
		t.Fatalf("only %d codes loaded", Len())
	}
	for _, in := range []string{"A09.9", "a09.9", " A099 "} {
		c, ok := Lookup(in)
		if !ok || c.Code != "A09.9" || c.EN == "" || c.ID == "" {
			t.Errorf("Lookup(%q) = %+v, %v", in, c, ok)
		}
	}
	if c, _ := Lookup("A01"); c.ID != "Demam tifoid dan paratifoid" {
		t.Errorf("names are not capitalised: %q", c.ID)
	}
	for _, bad := range []string{"", "ZZ9", "A09.77", "J06.99X"} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) found a code", bad)
		}
	}
}

func TestSearch(t *testing.T) {
	cases := []struct {
		q, want string
	}{
		{"demam berdarah", "A91"},      // Indonesian
		{"dengue haemorrhagic", "A91"}, // English
		{"j06", "J06"},                 // code prefix first
		{"campak", "B05"},
	}
	for _, c := range cases {
		got := Search(c.q, 10)
		found := false
		for _, g := range got {
			if g.Code == c.want {
				found = true
			}
		}
		if !found {
			t.Errorf("Search(%q) = %v, want %s among them", c.q, got, c.want)
		}
	}
	if got := Search("j06", 3); len(got) != 3 || got[0].Code != "J06" {
		t.Errorf("Search(j06) = %v, want J06 first and 3 results", got)
	}
	if got := Search("   ", 10); got != nil {
		t.Errorf("blank query found %v", got)
	}
}
