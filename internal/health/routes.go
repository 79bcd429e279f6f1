package health

import (
	"github.com/sodamolek/sodamolek/internal/platform/tabular"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// routes registers every page and endpoint. Route-level rules admit the
// holders of a permission on any scope; handlers then check the object's
// puskesmas with web.Authorize (see scope.go).
func (m *Module) routes(rt *web.Router) {
	limit := web.WithLimit(m.zscoreLimit)
	// The calculator is public and changes nothing; the API takes JSON
	// only (DecodeJSON refuses form encodings, all a cross-site form can
	// send), so it needs no CSRF token, which API clients lack.
	rt.API("POST /api/v1/growth/zscores", web.Public, m.apiZScores, limit, web.NoCSRF())
	rt.Page("GET /kalkulator-gizi", web.Public, m.calcPage)
	rt.Page("POST /kalkulator-gizi", web.Public, m.calcSubmit, limit)
	// The waiting-room screen shows queue numbers only, no names, on a
	// television that is signed in to nothing.
	rt.Page("GET /kesehatan/antrean/layar/{pkm}", web.Public, m.callScreen)

	records := web.Perm(permRecords)
	reports := web.Perm(permReports)

	rt.Page("GET /kesehatan", reports, m.dashboard)

	rt.Page("GET /kesehatan/pasien", records, m.patientsPage)
	// A NIK is searched with POST, never in a URL.
	rt.Page("POST /kesehatan/pasien/cari", records, m.patientSearchNIK)
	rt.Page("GET /kesehatan/pasien/baru", records, m.patientNewPage)
	rt.Page("POST /kesehatan/pasien", records, m.patientCreate)
	rt.Page("GET /kesehatan/pasien/{id}", records, m.patientPage)
	rt.Page("POST /kesehatan/pasien/{id}/antrean", records, m.queueTake)

	rt.Page("GET /kesehatan/antrean", records, m.queuePage)
	rt.Page("POST /kesehatan/antrean/panggil", records, m.queueCallNext)
	rt.Page("POST /kesehatan/antrean/{id}/lewati", records, m.queueSkip)
	rt.Page("POST /kesehatan/antrean/{id}/ulang", records, m.queueRecall)

	rt.Page("GET /kesehatan/kunjungan/{id}", records, m.visitPage)
	rt.Page("POST /kesehatan/kunjungan/{id}", records, m.visitSave)
	rt.Page("POST /kesehatan/kunjungan/{id}/diagnosis", records, m.visitAddDiagnosis)
	rt.Page("POST /kesehatan/kunjungan/{id}/resep", records, m.visitPrescribe)
	rt.Page("POST /kesehatan/kunjungan/{id}/selesai", records, m.visitFinish)
	rt.API("GET /api/v1/health/icd10", records, m.apiICD10)

	rt.Page("GET /kesehatan/obat", records, m.stockPage)
	rt.Page("POST /kesehatan/obat/terima", records, m.stockReceive)
	rt.Page("GET /kesehatan/obat/lplpo", reports, m.lplpoPage)

	rt.Page("GET /kesehatan/laporan", reports, m.reportsPage)
	rt.Page("GET /kesehatan/laporan/lb1.csv", reports, m.lb1Download(tabular.CSV))
	rt.Page("GET /kesehatan/laporan/lb1.xlsx", reports, m.lb1Download(tabular.XLSX))
	rt.API("GET /api/v1/health/lb1", reports, m.apiLB1)
	rt.Page("GET /kesehatan/skdr", reports, m.skdrPage)
	rt.Page("GET /kesehatan/skdr/ambang", web.Perm(permManage), m.thresholdsPage)
	rt.Page("POST /kesehatan/skdr/ambang", web.Perm(permManage), m.thresholdsSave)

	rt.Page("GET /kesehatan/anak/{id}", records, m.childPage)
	rt.Page("POST /kesehatan/anak/{id}/pengukuran", records, m.measurementCreate)
	rt.Page("GET /kesehatan/gizi/tindak-lanjut", records, m.followUpPage)
	rt.Page("GET /kesehatan/gizi/tindak-lanjut.csv", web.Perm(permExport), m.followUpCSV)
	rt.Page("POST /kesehatan/gizi/kunjungan-rumah", records, m.homeVisitCreate)
	rt.Page("GET /kesehatan/kunjungan-rumah", records, m.homeVisitsPage)
	rt.Page("POST /kesehatan/kunjungan-rumah/{id}/selesai", records, m.homeVisitDone)
	rt.Page("GET /kesehatan/gizi/peta", reports, m.mapPage)
	rt.API("GET /api/v1/health/prevalence", reports, m.apiPrevalence)

	m.fhirRoutes(rt)
}
