package services_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// TestSupervisorReassign: a kecamatan supervisor gives a kelurahan stage
// to a named officer of that kelurahan; officers cannot, and an officer
// of another unit is refused.
func TestSupervisorReassign(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cit := citizen(t, s, "081234567890")
	kel := staff(t, s, "kel.namosain", "kel-53.71.01.1001", "officer")
	staff(t, s, "kel.namosain2", "kel-53.71.01.1001", "officer")
	staff(t, s, "kel.oebobo", "kel-53.71.04.1001", "officer")
	sup := staff(t, s, "camat.alak", "kec-53.71.01", "supervisor")
	_, number := applyDomisili(t, cit)
	assign := "/layanan/petugas/" + number + "/tahap/verifikasi/alihkan"

	resp, page := sup.page("/layanan/petugas/" + number)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="assign-verifikasi"`) || !strings.Contains(page, `value="kel.namosain2"`) {
		t.Fatalf("supervisor file page = %d %.2000s", resp.StatusCode, page)
	}
	if _, page := kel.page("/layanan/petugas/" + number); strings.Contains(page, `id="assign-verifikasi"`) {
		t.Fatal("an officer is offered reassignment")
	}
	if resp, _ := kel.postForm(assign, map[string]string{"username": "kel.namosain2"}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("officer reassign = %d", resp.StatusCode)
	}
	resp, page = sup.postForm(assign, map[string]string{"username": "kel.oebobo"}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="assign-verifikasi"`) {
		t.Fatalf("reassign to another unit = %d", resp.StatusCode)
	}
	wantRedirect(t, "reassign")(sup.postForm(assign, map[string]string{"username": "kel.namosain2"}, nil))
	_, page = sup.page("/layanan/petugas/" + number)
	if !strings.Contains(page, "kel.namosain2") {
		t.Fatalf("assignee not shown: %.2000s", page)
	}
	code, body := kel.do("GET", "/api/v1/services-queue", nil)
	mustCode(t, "queue", code, 200, body)
	if !strings.Contains(fmt.Sprint(body["items"]), "assignee_id") {
		t.Fatalf("queue without assignee: %v", body)
	}
	// The same through the API, with the audit trail in the timeline.
	code, body = sup.do("POST", "/api/v1/files/"+number+"/stages/verifikasi/assign", map[string]string{"username": "kel.namosain"})
	mustCode(t, "api reassign", code, 200, body)
	code, body = sup.do("GET", "/api/v1/files/"+number, nil)
	mustCode(t, "file", code, 200, body)
	if n := strings.Count(fmt.Sprint(body["timeline"]), "assigned"); n != 2 {
		t.Fatalf("assigned events = %d: %v", n, body["timeline"])
	}
}

// TestZeroRetributionSettlesItself: a place of worship owes no PBG
// retribution, so the SKRD of Rp 0 is settled at once and the file goes
// straight to issuing.
func TestZeroRetributionSettlesItself(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cit := citizen(t, s, "081234567890")
	pupr := staff(t, s, "pupr.officer", "pupr", "officer")
	puprSup := staff(t, s, "pupr.supervisor", "pupr", "supervisor")
	bpn := staff(t, s, "bpn.officer", "bpn", "officer")
	tpa := staff(t, s, "tpa.officer", "tpa-tpt", "officer")
	ptsp := staff(t, s, "ptsp.officer", "dpmptsp", "officer")
	act := func(cl *client, number, stage string, in map[string]any) {
		t.Helper()
		code, body := cl.do("POST", "/api/v1/files/"+number+"/stages/"+stage, in)
		mustCode(t, stage, code, 200, body)
	}
	pkkprID, pkkpr := apply(t, cit, "pkkpr", map[string]string{"parcel": "NIB-GEREJA-1", "lokasi": "Jl. Soeharto", "luas_tanah": "900",
		"kegiatan": "Rumah ibadah"}, []string{"ktp", "bukti_tanah", "proposal"})
	act(pupr, pkkpr, "pemeriksaan_dokumen", map[string]any{"action": "approve", "data": map[string]string{"pnbp_amount": "100000"}})
	_, file := cit.do("GET", fmt.Sprintf("/api/v1/my/applications/%d", pkkprID), nil)
	bill := file["bills"].([]any)[0].(map[string]any)
	code, body := ptsp.do("POST", "/api/v1/bills/"+bill["number"].(string)+"/payments", map[string]any{"amount": bill["amount"], "reference": "KAS-9"})
	mustCode(t, "pnbp", code, 200, body)
	act(bpn, pkkpr, "pertimbangan_teknis_pertanahan", map[string]any{"action": "approve",
		"data": map[string]string{"nomor_ptp": "PTP/1", "kesimpulan_ptp": "dapat_dipertimbangkan"}})
	act(pupr, pkkpr, "kajian_teknis", map[string]any{"action": "approve", "data": map[string]string{"catatan_kajian": "Sesuai."}})
	act(puprSup, pkkpr, "forum_penataan_ruang", map[string]any{"action": "approve", "data": map[string]string{"nomor_berita_acara_fpr": "BA/1"}})
	act(ptsp, pkkpr, "penerbitan", map[string]any{"action": "approve"})

	pbgID, pbg := apply(t, cit, "pbg", map[string]string{"parcel": "NIB-GEREJA-1", "pkkpr_number": pkkpr, "lokasi": "Jl. Soeharto",
		"fungsi": "keagamaan", "luas_bangunan": "400", "jumlah_lantai": "1"}, []string{"ktp", "gambar_arsitektur", "gambar_struktur"})
	act(ptsp, pbg, "registrasi", map[string]any{"action": "approve"})
	act(tpa, pbg, "konsultasi_teknis", map[string]any{"action": "approve",
		"data": map[string]string{"nomor_berita_acara": "BA-TPT/9", "tanggal_berita_acara": "2026-12-04"}})
	act(puprSup, pbg, "sppst", map[string]any{"action": "approve", "data": map[string]string{"nomor_sppst": "SPPST/9"}})
	act(pupr, pbg, "penilaian_retribusi", map[string]any{"action": "approve",
		"data": map[string]string{"kompleksitas": "sederhana", "permanensi": "permanen", "kepemilikan": "badan_usaha", "jenis_pekerjaan": "baru"}})

	_, file = cit.do("GET", fmt.Sprintf("/api/v1/my/applications/%d", pbgID), nil)
	skrd := file["bills"].([]any)[0].(map[string]any)
	if skrd["amount"].(float64) != 0 || skrd["status"] != "paid" || skrd["reference"] != "nihil" {
		t.Fatalf("zero SKRD = %v", skrd)
	}
	if stageStatus(file, "pembayaran_retribusi") != "done" || stageStatus(file, "penerbitan") != "active" {
		t.Fatalf("stages after a zero bill: %v", file["stages"])
	}
	// Nobody can pay it again.
	code, body = ptsp.do("POST", "/api/v1/bills/"+skrd["number"].(string)+"/payments", map[string]any{"amount": 1, "reference": "KAS-10"})
	mustCode(t, "pay a settled bill", code, 409, body)
	act(ptsp, pbg, "penerbitan", map[string]any{"action": "approve"})
	_, file = cit.do("GET", fmt.Sprintf("/api/v1/my/applications/%d", pbgID), nil)
	if file["status"] != "completed" || file["document"] != "S-"+pbg {
		t.Fatalf("pbg = %v %v", file["status"], file["document"])
	}
}
