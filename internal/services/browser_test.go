package services_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// TestPermitsInTheBrowser is Si Pejuang as people use it: a citizen signs
// in with a one-time code and applies for a PKKPR with documents in a
// real browser; a PUPR officer, in another browser, returns it for
// revision; the citizen fixes and resubmits; the remaining stages are
// approved (over the API, as their pages are covered elsewhere); a PBG
// referencing the PKKPR reaches a signed PDF, which the citizen downloads
// and the public verification page confirms.
func TestPermitsInTheBrowser(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	pupr := staff(t, s, "pupr.officer", "pupr", "officer")
	puprSup := staff(t, s, "pupr.supervisor", "pupr", "supervisor")
	bpn := staff(t, s, "bpn.officer", "bpn", "officer")
	tpa := staff(t, s, "tpa.officer", "tpa-tpt", "officer")
	ptsp := staff(t, s, "ptsp.officer", "dpmptsp", "officer")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "dokumen.pdf")
	if err := os.WriteFile(pdf, []byte(minimalPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	revised := filepath.Join(dir, "proposal-revisi.pdf")
	if err := os.WriteFile(revised, []byte(minimalPDF+"% revisi\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	citBrowser := apptest.Browser(t)
	var text string
	step := func(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// Sign in with a one-time code.
	step(citBrowser, "request a code",
		chromedp.Navigate(s.URL+"/masuk?tab=warga"),
		chromedp.SetValue(chromedp.CSS(`#f-phone`), "0812 3456 7890"),
		chromedp.Submit(chromedp.CSS(`#f-phone`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="code"]`)))
	s.RunJobs(t)
	msgs := s.Outbox.Messages()
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[len(msgs)-1].Body)
	step(citBrowser, "enter the code",
		chromedp.SetValue(chromedp.CSS(`input[name="code"]`), code),
		chromedp.Submit(chromedp.CSS(`input[name="code"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`input[name="code"]`)))

	// Apply for a PKKPR with its documents.
	step(citBrowser, "apply",
		chromedp.Navigate(s.URL+"/layanan/ajukan/pkkpr"),
		chromedp.WaitVisible(chromedp.CSS(`#apply-form`)),
		chromedp.SetValue(chromedp.CSS(`#f-nik`), "5371014507900001"),
		chromedp.SetValue(chromedp.CSS(`#f-kelurahan_code`), "53.71.01.1001"),
		chromedp.SetValue(chromedp.CSS(`#f-parcel`), "NIB-24.05.01.001"),
		chromedp.SetValue(chromedp.CSS(`#f-lokasi`), "Jl. El Tari, Namosain"),
		chromedp.SetValue(chromedp.CSS(`#f-luas_tanah`), "300"),
		chromedp.SetValue(chromedp.CSS(`#f-kegiatan`), "Toko"),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-doc_ktp`), []string{pdf}),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-doc_bukti_tanah`), []string{pdf}),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-doc_proposal`), []string{pdf}),
		chromedp.Click(chromedp.CSS(`#apply-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#file-status[data-status="in_progress"]`)))
	text = textOf(t, citBrowser, "main")
	pkkpr := regexp.MustCompile(`PKKPR-\d{4}-\d{6}`).FindString(text)
	if pkkpr == "" {
		t.Fatalf("no file number on the page: %.600s", text)
	}
	fileURL, err := chromedp.Run(citBrowser, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	// The officer returns it for revision in their own browser.
	officer := apptest.Browser(t)
	step(officer, "officer signs in",
		chromedp.Navigate(s.URL+"/masuk?tab=staf"),
		chromedp.SetValue(chromedp.CSS(`#f-username`), "pupr.officer"),
		chromedp.SetValue(chromedp.CSS(`#f-password`), officerPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#f-password`)))
	step(officer, "officer returns the file",
		chromedp.Navigate(s.URL+"/layanan/petugas/"+pkkpr),
		chromedp.WaitVisible(chromedp.CSS(`#act-pemeriksaan_dokumen-return`)),
		chromedp.SetValue(chromedp.CSS(`#note-pemeriksaan_dokumen-return`), "Proposal belum memuat gambar lokasi."),
		chromedp.Submit(chromedp.CSS(`#note-pemeriksaan_dokumen-return`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#act-pemeriksaan_dokumen-return`)))

	// The citizen reads the note, fixes the proposal and resubmits.
	step(citBrowser, "citizen sees the return",
		chromedp.Navigate(fileURL),
		chromedp.WaitVisible(chromedp.CSS(`#file-status[data-status="revision"]`)))
	text = textOf(t, citBrowser, "main")
	if !strings.Contains(text, "gambar lokasi") {
		t.Fatalf("the officer's note is not shown: %.800s", text)
	}
	step(citBrowser, "resubmit",
		chromedp.SetUploadFiles(chromedp.CSS(`#edit-form input[name="doc_proposal"]`), []string{revised}),
		chromedp.Click(chromedp.CSS(`#resubmit`)),
		chromedp.WaitVisible(chromedp.CSS(`#file-status[data-status="in_progress"]`)))

	// The remaining PKKPR stages, then a PBG on the same parcel.
	act := func(cl *client, number, stage string, in map[string]any) {
		t.Helper()
		if code, body := cl.do("POST", "/api/v1/files/"+number+"/stages/"+stage, in); code != 200 {
			t.Fatalf("%s %s = %d %v", number, stage, code, body)
		}
	}
	act(pupr, pkkpr, "pemeriksaan_dokumen", map[string]any{"action": "approve", "data": map[string]string{"pnbp_amount": "250000"}})
	_, file := ptsp.do("GET", "/api/v1/files/"+pkkpr, nil)
	bill := file["bills"].([]any)[0].(map[string]any)
	if code, body := ptsp.do("POST", "/api/v1/bills/"+bill["number"].(string)+"/payments", map[string]any{"amount": bill["amount"], "reference": "KAS-1"}); code != 200 {
		t.Fatalf("payment = %d %v", code, body)
	}
	act(bpn, pkkpr, "pertimbangan_teknis_pertanahan", map[string]any{"action": "approve",
		"data": map[string]string{"nomor_ptp": "PTP/53.71/2026/14", "kesimpulan_ptp": "dapat_dipertimbangkan"}})
	act(pupr, pkkpr, "kajian_teknis", map[string]any{"action": "approve", "data": map[string]string{"catatan_kajian": "Sesuai RDTR."}})
	act(puprSup, pkkpr, "forum_penataan_ruang", map[string]any{"action": "approve", "data": map[string]string{"nomor_berita_acara_fpr": "BA-FPR/2026/07"}})
	act(ptsp, pkkpr, "penerbitan", map[string]any{"action": "approve"})

	// The same citizen (same number, so the same account) over the API,
	// once the resend throttle for that number has passed.
	s.Clock.Advance(5 * time.Minute)
	cit := citizen(t, s, "081234567890")
	pbgID, pbg := apply(t, cit, "pbg", map[string]string{"parcel": "NIB-24.05.01.001", "pkkpr_number": pkkpr, "lokasi": "Jl. El Tari, Namosain",
		"fungsi": "hunian_sederhana", "luas_bangunan": "100", "jumlah_lantai": "1"}, []string{"ktp", "gambar_arsitektur", "gambar_struktur"})
	act(ptsp, pbg, "registrasi", map[string]any{"action": "approve"})
	act(tpa, pbg, "konsultasi_teknis", map[string]any{"action": "approve", "data": map[string]string{"nomor_berita_acara": "BA-TPT/2026/031", "tanggal_berita_acara": "2026-12-04"}})
	act(puprSup, pbg, "sppst", map[string]any{"action": "approve", "data": map[string]string{"nomor_sppst": "SPPST/2026/031"}})
	act(pupr, pbg, "penilaian_retribusi", map[string]any{"action": "approve",
		"data": map[string]string{"kompleksitas": "sederhana", "permanensi": "permanen", "kepemilikan": "perorangan", "jenis_pekerjaan": "baru"}})
	_, file = ptsp.do("GET", "/api/v1/files/"+pbg, nil)
	var skrd map[string]any
	for _, b := range file["bills"].([]any) {
		if b.(map[string]any)["kind"] == "skrd" {
			skrd = b.(map[string]any)
		}
	}
	if code, body := ptsp.do("POST", "/api/v1/bills/"+skrd["number"].(string)+"/payments", map[string]any{"amount": skrd["amount"], "reference": "KAS-2"}); code != 200 {
		t.Fatalf("SKRD payment = %d %v", code, body)
	}
	act(ptsp, pbg, "penerbitan", map[string]any{"action": "approve"})

	// The citizen downloads the signed PBG from their file page, and the
	// verification page confirms it.
	step(citBrowser, "open the completed file",
		chromedp.Navigate(fmt.Sprintf("%s/layanan/saya/%d", s.URL, pbgID)),
		chromedp.WaitVisible(chromedp.CSS(`#file-status[data-status="completed"]`)))
	head, err := chromedp.Run(citBrowser, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
			const link = document.querySelector('a[href$="/layanan/saya/%d/dokumen"]');
			if (!link) return "no download link";
			const r = await fetch(link.href);
			const b = new Uint8Array(await r.arrayBuffer());
			return r.status + " " + String.fromCharCode(...b.slice(0, 5));
		})()`, pbgID), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	if head != "200 %PDF-" {
		t.Fatalf("download = %q", head)
	}
	step(citBrowser, "verification page",
		chromedp.Navigate(s.URL+"/verify/S-"+pbg),
		chromedp.WaitVisible(chromedp.CSS(`#verify-signature`)))
	text = textOf(t, citBrowser, "#verify-signature")
	// The browser may ask for English ("valid") or Indonesian ("sah").
	if lower := strings.ToLower(text); !strings.Contains(lower, "valid") && !strings.Contains(lower, "sah") || strings.Contains(lower, "tidak") || strings.Contains(lower, "not ") {
		t.Fatalf("signature not shown valid: %q", text)
	}
}

// textOf reads an element's text.
func textOf(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	text, err := chromedp.Run(c, chromedp.TextContent(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return text
}
