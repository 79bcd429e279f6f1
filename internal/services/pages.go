package services

import (
	"io"
	"net/http"
	"time"
)

func (m *Module) pageCatalog(w http.ResponseWriter, r *http.Request) {
	list, err := m.services(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.catalog_title"), map[string]any{"Services": list})
	m.d.Shell.Render.Page(w, r, http.StatusOK, "services/catalog.html", v)
}

// pageCheck is the sign-in-free status check (number + last 4 digits).
func (m *Module) pageCheck(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := map[string]any{"Number": q.Get("number"), "Last4": q.Get("phone_last4")}
	status := http.StatusOK
	if q.Get("number") != "" {
		if !last4Pattern.MatchString(q.Get("phone_last4")) {
			data["Error"] = "services.check_bad_last4"
			status = http.StatusUnprocessableEntity
		} else if st, err := m.publicStatus(r, q.Get("number"), q.Get("phone_last4")); err != nil {
			data["Error"] = "services.check_not_found"
			status = http.StatusNotFound
		} else {
			data["Status"] = st
			data["Rows"] = m.stageRows(st.Stages)
		}
	}
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.check_title"), data)
	m.d.Shell.Render.Page(w, r, status, "services/check.html", v)
}

func (m *Module) pageStats(w http.ResponseWriter, r *http.Request) {
	st, err := m.Stats(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.stats_title"), st)
	m.d.Shell.Render.Page(w, r, http.StatusOK, "services/stats.html", v)
}

// maxVerifyUpload bounds a PDF checked on the verification page.
const maxVerifyUpload = 10 << 20

// pageVerify shows whether a document number exists, whether its
// signature is valid and, for an uploaded PDF, whether it is exactly the
// issued document.
func (m *Module) pageVerify(w http.ResponseWriter, r *http.Request) {
	var upload []byte
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxVerifyUpload+1<<20)
		if err := r.ParseMultipartForm(8 << 20); err == nil {
			if f, _, err := r.FormFile("pdf"); err == nil {
				upload, err = io.ReadAll(io.LimitReader(f, maxVerifyUpload))
				f.Close()
				if err != nil {
					upload = nil
				}
			}
		}
		if upload == nil {
			upload = []byte{}
		}
	}
	res, err := m.Verify(r.Context(), r.PathValue("number"), upload)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	status := http.StatusOK
	if !res.Found {
		status = http.StatusNotFound
	}
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.verify_title"), res)
	m.d.Shell.Render.Page(w, r, status, "services/verify.html", v)
}

// stageRow is a timeline row with times already in the city's zone.
type stageRow struct {
	Name, Unit, Status, Note, Started, Due, Finished string
}

func (m *Module) stageRows(stages []stageJSON) []stageRow {
	f := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(m.d.Location).Format("02/01/2006 15:04")
	}
	out := make([]stageRow, 0, len(stages))
	for _, s := range stages {
		out = append(out, stageRow{Name: s.Name, Unit: s.Unit, Status: s.Status, Note: s.Note, Started: f(s.StartedAt), Due: f(s.DueAt),
			Finished: f(s.FinishedAt)})
	}
	return out
}
