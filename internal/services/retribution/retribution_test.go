package retribution

import "testing"

func TestComputeSimpleHouse(t *testing.T) {
	ix := Defaults()
	// 100 m², simple house, simple, permanent, 1 floor, private, new:
	// It = 0.15 × (0.3·0.4 + 0.2·1 + 0.5·0.4) × 1 = 0.15 × 0.52 = 0.078
	// R  = 100 × 0.078 × 1 × 0.005 × 4 500 000 = 175 500
	got, b, err := ix.Compute(Input{Area: 100, Function: "hunian_sederhana", Complexity: "sederhana", Permanence: "permanen",
		Floors: 1, Ownership: "perorangan", Building: "baru"})
	if err != nil {
		t.Fatal(err)
	}
	if got != 175500 {
		t.Fatalf("R = %d, want 175500 (breakdown %+v)", got, b)
	}
}

func TestComputeReligiousIsFree(t *testing.T) {
	got, _, err := Defaults().Compute(Input{Area: 500, Function: "keagamaan", Complexity: "tidak_sederhana", Permanence: "permanen",
		Floors: 3, Ownership: "badan_usaha", Building: "baru"})
	if err != nil || got != 0 {
		t.Fatalf("R = %d, %v; want 0", got, err)
	}
}

func TestComputeRefusesUnknownCodes(t *testing.T) {
	_, _, err := Defaults().Compute(Input{Area: 10, Function: "castle", Complexity: "sederhana", Permanence: "permanen",
		Floors: 1, Ownership: "perorangan", Building: "baru"})
	fe, ok := err.(*FieldError)
	if !ok || fe.Field != "function" {
		t.Fatalf("err = %v, want a function field error", err)
	}
}

func TestValidateLocalityCeiling(t *testing.T) {
	ix := Defaults()
	ix.Locality = 0.01
	if ix.Validate() == nil {
		t.Fatal("a locality index above 0.5 % was accepted")
	}
	if err := Defaults().Validate(); err != nil {
		t.Fatal(err)
	}
}
