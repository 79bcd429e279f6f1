package document

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"
)

func sample() Content {
	return Content{Number: "S-PBG-2026-000001", FileNumber: "PBG-2026-000001", Title: "Persetujuan Bangunan Gedung",
		Issuer: "Dinas Penanaman Modal dan PTSP", City: "Kota Kupang", Applicant: "Yohanes Lodo", NIKMasked: "5371********0001",
		Body: "Diberikan persetujuan bangunan gedung kepada:", Lines: []Line{{"Lokasi", "Jl. El Tari No. 1 – Oebobo"}},
		IssuedAt: time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)}
}

func TestRenderSignVerify(t *testing.T) {
	loc := time.FixedZone("WITA", 8*3600)
	pdf, err := Render(sample(), "https://sodamolek.example/verify/S-PBG-2026-000001", loc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	again, _ := Render(sample(), "https://sodamolek.example/verify/S-PBG-2026-000001", loc)
	if !bytes.Equal(pdf, again) {
		t.Fatal("rendering the same content twice gave different bytes")
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	sha, sig := Sign(priv, "S-PBG-2026-000001", pdf)
	if !Verify(pub, "S-PBG-2026-000001", sha, sig) {
		t.Fatal("a fresh signature does not verify")
	}
	tampered := append([]byte(nil), pdf...)
	tampered[len(tampered)/2] ^= 1
	if Verify(pub, "S-PBG-2026-000001", Hash(tampered), sig) {
		t.Fatal("a tampered PDF verified")
	}
	if Verify(pub, "S-PBG-2026-000002", sha, sig) {
		t.Fatal("the signature verified for another number")
	}
}

func BenchmarkRenderAndSign(b *testing.B) {
	loc := time.FixedZone("WITA", 8*3600)
	_, priv, _ := ed25519.GenerateKey(nil)
	c := sample()
	for b.Loop() {
		pdf, err := Render(c, "https://sodamolek.example/verify/"+c.Number, loc)
		if err != nil {
			b.Fatal(err)
		}
		Sign(priv, c.Number, pdf)
	}
}
