package services

import "github.com/sodamolek/sodamolek/internal/platform/web"

func (m *Module) routes(rt *web.Router) {
	handle, supervise, manage := web.Perm("services.handle"), web.Perm("services.supervise"), web.Perm("services.manage")
	// Catalog and public endpoints.
	rt.API("GET /api/v1/services", web.Public, m.apiServices)
	rt.API("GET /api/v1/services/{code}", web.Public, m.apiService)
	rt.API("PUT /api/v1/services/{code}", manage, m.apiSaveService)
	rt.API("GET /api/v1/services-stats", web.Public, m.apiStats)
	rt.API("GET /api/v1/applications/{number}", web.Public, m.apiPublicStatus, web.WithLimit(m.statusLimit))
	// The calculator changes nothing and reads no credentials, so a forged
	// cross-site request gains nothing: it needs no anti-forgery token.
	rt.API("POST /api/v1/pbg/retribution", web.Public, m.apiRetribution, web.NoCSRF())
	rt.API("GET /api/v1/pbg/retribution/indices", web.Public, m.apiIndices)
	rt.API("PUT /api/v1/pbg/retribution/indices", manage, m.apiSaveIndices)
	// Applicant.
	rt.API("POST /api/v1/applications", web.SignedIn, m.apiCreate)
	rt.API("GET /api/v1/my/applications", web.SignedIn, m.apiMine)
	rt.API("GET /api/v1/my/applications/{id}", web.SignedIn, m.apiMyApp)
	rt.API("PATCH /api/v1/my/applications/{id}", web.SignedIn, m.apiUpdate)
	rt.API("POST /api/v1/my/applications/{id}/documents", web.SignedIn, m.apiUpload)
	rt.API("POST /api/v1/my/applications/{id}/submit", web.SignedIn, m.apiSubmit)
	rt.API("GET /api/v1/my/applications/{id}/document", web.SignedIn, m.apiMyDocument)
	rt.API("POST /api/v1/my/applications/{id}/survey", web.SignedIn, m.apiSurvey)
	// Officers.
	rt.API("GET /api/v1/services-queue", handle, m.apiQueue)
	rt.API("GET /api/v1/files/{number}", handle, m.apiFile)
	rt.API("GET /api/v1/files/{number}/uploads/{id}", handle, m.apiFileUpload)
	rt.API("POST /api/v1/files/{number}/stages/{stage}", handle, m.apiAct)
	rt.API("POST /api/v1/files/{number}/stages/{stage}/assign", supervise, m.apiAssign)
	rt.API("GET /api/v1/services-breaches", supervise, m.apiBreaches)
	rt.API("POST /api/v1/bills/{number}/payments", handle, m.apiOfficerPayment)
	rt.API("POST /api/v1/payments/callback", web.KeyScope("bank"), m.apiBankCallback)
	// Pages.
	rt.Page("GET /layanan", web.Public, m.pageCatalog)
	rt.Page("GET /layanan/cek", web.Public, m.pageCheck, web.WithLimit(m.statusLimit))
	rt.Page("GET /layanan/statistik", web.Public, m.pageStats)
	rt.Page("GET /verify/{number}", web.Public, m.pageVerify)
	rt.Page("POST /verify/{number}", web.Public, m.pageVerify, web.WithLimit(m.verifyLimit))
	// Citizen pages. The apply form lives under /layanan/ajukan/{code}:
	// /layanan/{code}/ajukan would collide with /layanan/saya/{id} in the
	// router (neither pattern is more specific).
	rt.Page("GET /layanan/ajukan/{code}", web.SignedIn, m.pageApplyForm)
	rt.Page("POST /layanan/ajukan/{code}", web.SignedIn, m.pageApply)
	rt.Page("GET /layanan/saya", web.SignedIn, m.pageMine)
	rt.Page("GET /layanan/saya/{id}", web.SignedIn, m.pageMyFile)
	rt.Page("POST /layanan/saya/{id}", web.SignedIn, m.pageMyFileUpdate)
	rt.Page("GET /layanan/saya/{id}/dokumen", web.SignedIn, m.pageMyDocument)
	rt.Page("POST /layanan/saya/{id}/survei", web.SignedIn, m.pageSurvey)
	// Officer pages.
	// The queue page links the catalog pages for those who manage them.
	rt.Page("GET /layanan/petugas", handle, m.pageQueue)
	rt.Page("GET /layanan/petugas/{number}", handle, m.pageOfficerFile)
	rt.Page("POST /layanan/petugas/{number}/tahap/{stage}", handle, m.pageAct)
	rt.Page("POST /layanan/petugas/{number}/tahap/{stage}/alihkan", supervise, m.pageAssign)
	rt.Page("POST /layanan/petugas/{number}/bayar", handle, m.pagePay)
	// Administrator pages: the catalog and the retribution indices, the
	// same validation and storage as the PUT endpoints above.
	rt.Page("GET /layanan/kelola", manage, m.pageManageList)
	rt.Page("GET /layanan/kelola/retribusi", manage, m.pageManageIndices)
	rt.Page("POST /layanan/kelola/retribusi", manage, m.pageManageSaveIndices)
	rt.Page("GET /layanan/kelola/{code}", manage, m.pageManageService)
	rt.Page("POST /layanan/kelola/{code}", manage, m.pageManageSave)
	m.d.Shell.AddNav(web.NavItem{Label: "services.nav_manage", Href: "/layanan/kelola", Access: manage, Order: 33})
}
