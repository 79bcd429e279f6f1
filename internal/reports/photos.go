package reports

import (
	"crypto/subtle"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// photoSig signs a photo's id. Photo URLs are capabilities: a page shows
// a photo only to someone who may see it (the public for listed reports,
// the tracking-code holder, the unit), and a guessed id without the
// signature opens nothing.
func (m *Module) photoSig(id int64) string {
	return m.d.Sealer.BlindIndex("report-photo:" + strconv.FormatInt(id, 10))[:32]
}

func (m *Module) photoURL(id int64) string {
	return "/laporan/foto/" + strconv.FormatInt(id, 10) + "/" + m.photoSig(id)
}

// servePhoto is GET /laporan/foto/{id}/{sig}.
func (m *Module) servePhoto(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || subtle.ConstantTimeCompare([]byte(r.PathValue("sig")), []byte(m.photoSig(id))) != 1 {
		m.d.Shell.NotFound(w, r)
		return
	}
	var key, ct string
	err = m.d.DB.QueryRowContext(r.Context(), `SELECT file_key, content_type FROM report_photos WHERE id = $1`, id).Scan(&key, &ct)
	if errors.Is(err, sql.ErrNoRows) {
		m.d.Shell.NotFound(w, r)
		return
	}
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	f, err := m.d.Uploads.Open(r.Context(), key)
	if err != nil {
		m.d.Shell.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", ct)
	// The content never changes under a key; private because a
	// confidential report's photo must not sit in a shared cache.
	w.Header().Set("Cache-Control", "private, max-age=86400")
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", time.Time{}, rs)
		return
	}
	_, _ = io.Copy(w, f)
}
