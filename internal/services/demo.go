package services

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// demoPassword is the password of every demo staff account; it is the
// identity module's documented demo password (docs/demo-accounts.md).
const demoPassword = "demo-kupang-2026"

// demoCitizenPhone is the identity module's demo citizen, who owns the
// demo applications.
const demoCitizenPhone = "+6281234567890"

// demoKelurahan is Oebobo, where the demo citizen lives and whose office
// has a demo officer.
const demoKelurahan = "53.71.04.1001"

// DemoOfficers are the services module's demo staff accounts.
var DemoOfficers = []struct{ Username, Name, Unit string }{
	{"pupr.officer", "Petugas Dinas PUPR (demo)", "pupr"},
	{"bpn.officer", "Petugas Kantor Pertanahan (demo)", "bpn"},
	{"tpa.officer", "Anggota TPA/TPT (demo)", "tpa-tpt"},
	{"dpmptsp.officer", "Petugas DPMPTSP (demo)", "dpmptsp"},
	{"kel.oebobo", "Petugas Kelurahan Oebobo (demo)", "kel-" + demoKelurahan},
}

// demoPDF is a minimal well-formed PDF standing in for scanned documents.
const demoPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
	"0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"

// demoSeeder carries the actors of the demo files.
type demoSeeder struct {
	m        *Module
	citizen  *auth.Principal
	officers map[string]*auth.Principal // by unit code
	png      []byte
}

// SeedDemo implements app.DemoSeeder: the officer accounts and, for the
// demo citizen, files of every service in various stages, among them a
// completed PKKPR → PBG pair on parcel NIB-24.05.04.01234. Everything
// goes through the workflow functions, so the files, timelines, bills
// and signed documents are exactly what real use produces.
func (m *Module) SeedDemo(ctx context.Context, d *app.Deps) error {
	s := &demoSeeder{m: m, officers: map[string]*auth.Principal{}}
	for _, o := range DemoOfficers {
		u, err := d.Auth.CreateStaff(ctx, nil, auth.NewStaff{Username: o.Username, Name: o.Name, UnitCode: o.Unit, Password: demoPassword,
			Roles: []string{"officer"}})
		var fe *auth.FieldError
		if errors.As(err, &fe) && fe.Code == "user.username_taken" {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo officer %s: %w", o.Username, err)
		}
		// The officer role's default grant (services.handle on the own
		// unit) is all the workflow checks.
		s.officers[o.Unit] = &auth.Principal{Kind: auth.Staff, UserID: u.ID, Username: u.Username, Name: u.Name, UnitCode: o.Unit,
			Roles: []string{"officer"}, Grants: []auth.Grant{{Permission: "services.handle", Scope: auth.ScopeUnit}}}
	}
	var id int64
	err := d.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE phone = $1 AND kind = 'citizen'`, demoCitizenPhone).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || len(s.officers) < len(DemoOfficers) {
		return nil // no demo citizen, or the officers existed: nothing to add
	}
	if err != nil {
		return err
	}
	s.citizen = &auth.Principal{Kind: auth.Citizen, UserID: id}
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	s.png = buf.Bytes()
	if err := s.permitPair(ctx); err != nil {
		return fmt.Errorf("demo PKKPR/PBG: %w", err)
	}
	if err := s.letters(ctx); err != nil {
		return fmt.Errorf("demo letters: %w", err)
	}
	d.Log.Info("services: demo files seeded")
	return nil
}

// apply creates and documents a draft, and submits it unless draft.
func (s *demoSeeder) apply(ctx context.Context, service string, fields map[string]string, submit bool) (*Application, error) {
	m := s.m
	a, err := m.CreateDraft(ctx, s.citizen, "", DraftInput{ServiceCode: service, NIK: "5371044507900001", KelurahanCode: demoKelurahan, Fields: fields})
	if err != nil {
		return nil, err
	}
	svc, err := m.service(ctx, m.d.DB, service)
	if err != nil {
		return nil, err
	}
	for _, doc := range svc.Documents {
		content := []byte(demoPDF)
		if !contains(doc.Formats, "pdf") {
			content = s.png
		}
		if _, err := m.AddDocument(ctx, s.citizen, "", a.ID, doc.Type, bytes.NewReader(content)); err != nil {
			return nil, fmt.Errorf("%s document %s: %w", service, doc.Type, err)
		}
	}
	if !submit {
		return a, nil
	}
	return m.Submit(ctx, s.citizen, "", a.ID)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// act approves (or otherwise acts on) a stage as the demo officer of its
// unit.
func (s *demoSeeder) act(ctx context.Context, a *Application, stage string, in ActInput) error {
	var unit string
	if err := s.m.d.DB.QueryRowContext(ctx, `SELECT unit_code FROM svc_stages WHERE application_id = $1 AND code = $2`, a.ID, stage).Scan(&unit); err != nil {
		return err
	}
	p := s.officers[unit]
	if p == nil {
		return fmt.Errorf("no demo officer for unit %s", unit)
	}
	_, err := s.m.Act(ctx, p, "", a.Number, stage, in)
	return err
}

func (s *demoSeeder) payFirstBill(ctx context.Context, a *Application, reference string) error {
	bills, err := s.m.billsOf(ctx, s.m.d.DB, a.ID)
	if err != nil || len(bills) == 0 {
		return fmt.Errorf("no bill on %s: %v", a.Number, err)
	}
	_, err = s.m.Pay(ctx, auth.ActorOf(s.officers["dpmptsp"], ""), bills[len(bills)-1].Number, bills[len(bills)-1].Amount, reference)
	return err
}

func approve(data map[string]string) ActInput { return ActInput{Action: ActApprove, Data: data} }

// permitPair: a completed PKKPR and its completed PBG (the deterministic
// pair), a second PBG at the TPA/TPT consultation, a PKKPR waiting at
// PUPR and one returned to the citizen for revision.
func (s *demoSeeder) permitPair(ctx context.Context) error {
	const parcel = "NIB-24.05.04.01234"
	pk, err := s.apply(ctx, "pkkpr", map[string]string{"parcel": parcel, "lokasi": "Jl. Frans Seda No. 12, Oebobo", "luas_tanah": "450",
		"kegiatan": "Rumah tinggal dan toko"}, true)
	if err != nil {
		return err
	}
	steps := []struct {
		stage string
		data  map[string]string
	}{
		{"pemeriksaan_dokumen", map[string]string{"pnbp_amount": "250000"}},
	}
	for _, st := range steps {
		if err := s.act(ctx, pk, st.stage, approve(st.data)); err != nil {
			return err
		}
	}
	if err := s.payFirstBill(ctx, pk, "DEMO-NTT-0001"); err != nil {
		return err
	}
	for _, st := range []struct {
		stage string
		data  map[string]string
	}{
		{"pertimbangan_teknis_pertanahan", map[string]string{"nomor_ptp": "PTP/53.71/2026/001", "kesimpulan_ptp": "dapat_dipertimbangkan"}},
		{"kajian_teknis", map[string]string{"catatan_kajian": "Sesuai RDTR Kota Kupang, zona perumahan R-2."}},
		{"forum_penataan_ruang", map[string]string{"nomor_berita_acara_fpr": "BA-FPR/2026/001"}},
		{"penerbitan", nil},
	} {
		if err := s.act(ctx, pk, st.stage, approve(st.data)); err != nil {
			return err
		}
	}
	pbgFields := map[string]string{"parcel": parcel, "pkkpr_number": pk.Number, "lokasi": "Jl. Frans Seda No. 12, Oebobo",
		"fungsi": "hunian_sederhana", "luas_bangunan": "120", "jumlah_lantai": "2"}
	pbg, err := s.apply(ctx, "pbg", pbgFields, true)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		stage string
		data  map[string]string
	}{
		{"registrasi", nil},
		{"konsultasi_teknis", map[string]string{"nomor_berita_acara": "BA-TPT/2026/001", "tanggal_berita_acara": "2026-11-20"}},
		{"sppst", map[string]string{"nomor_sppst": "SPPST/2026/001"}},
		{"penilaian_retribusi", map[string]string{"kompleksitas": "sederhana", "permanensi": "permanen", "kepemilikan": "perorangan",
			"jenis_pekerjaan": "baru"}},
	} {
		if err := s.act(ctx, pbg, st.stage, approve(st.data)); err != nil {
			return err
		}
	}
	if err := s.payFirstBill(ctx, pbg, "DEMO-NTT-0002"); err != nil {
		return err
	}
	if err := s.act(ctx, pbg, "penerbitan", approve(nil)); err != nil {
		return err
	}
	// A second building on the same parcel, waiting for the TPA/TPT.
	pbgFields["luas_bangunan"], pbgFields["fungsi"] = "60", "umkm"
	pbg2, err := s.apply(ctx, "pbg", pbgFields, true)
	if err != nil {
		return err
	}
	if err := s.act(ctx, pbg2, "registrasi", approve(nil)); err != nil {
		return err
	}
	if _, err := s.apply(ctx, "pkkpr", map[string]string{"parcel": "NIB-24.05.04.05678", "lokasi": "Jl. Piet A. Tallo, Oebobo",
		"luas_tanah": "800", "kegiatan": "Gudang"}, true); err != nil {
		return err
	}
	returned, err := s.apply(ctx, "pkkpr", map[string]string{"parcel": "NIB-24.05.04.09999", "lokasi": "Jl. W.J. Lalamentik",
		"luas_tanah": "300", "kegiatan": "Kantor"}, true)
	if err != nil {
		return err
	}
	return s.act(ctx, returned, "pemeriksaan_dokumen", ActInput{Action: ActReturn,
		Note: "Proposal belum memuat gambar lokasi; lengkapi dan kirim ulang."})
}

// letters: one file of every kelurahan letter, in turn submitted, past
// verification, completed and (for the kecamatan letters) waiting at the
// kecamatan; plus one draft.
func (s *demoSeeder) letters(ctx context.Context) error {
	svcs, err := s.m.services(ctx)
	if err != nil {
		return err
	}
	i := 0
	for _, svc := range svcs {
		if svc.Category != "surat" {
			continue
		}
		fields := map[string]string{}
		for _, f := range svc.Fields {
			fields[f.Code] = demoValue(f)
		}
		submit := i != 4 // the fifth letter stays a draft
		a, err := s.apply(ctx, svc.Code, fields, submit)
		if err != nil {
			return err
		}
		i++
		if !submit {
			continue
		}
		steps := i % 3 // 0, 1 or 2 kelurahan stages approved
		if len(svc.Stages) > 2 {
			steps = 2 // then it waits at the kecamatan
		}
		for _, st := range svc.Stages[:steps] {
			if err := s.act(ctx, a, st.Code, approve(nil)); err != nil {
				return err
			}
		}
	}
	return nil
}

func demoValue(f Field) string {
	switch f.Type {
	case "number":
		return "1500000"
	case "date":
		return "2026-11-20"
	case "select":
		return f.Options[0]
	}
	return "Contoh isian " + f.Label
}
