package reports

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// trackingView is the data of /lapor/{code}.
type trackingView struct {
	base
	View                           *PublicView
	New                            bool
	CanConfirm, CanReopen, CanRate bool
	Flash                          string
	Error                          string
}

// trackingPage is GET /lapor/{code}: the reporter's page. The tracking
// code is the capability: whoever holds it sees the report (even a
// confidential one) and may confirm, reopen and rate — never who
// reported it.
func (m *Module) trackingPage(w http.ResponseWriter, r *http.Request) {
	m.renderTracking(w, r, http.StatusOK, "", "")
}

func (m *Module) renderTracking(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) {
	ctx := r.Context()
	sh := m.d.Shell
	rep, err := reportByCode(ctx, m.d.DB, r.PathValue("code"))
	if errors.Is(err, ErrNotFound) {
		sh.Render.Error(w, r, http.StatusNotFound, sh.T(r, "reports.err_code_unknown"))
		return
	}
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	pv, err := m.publicView(ctx, r, rep, true)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	cal, err := m.calendar.Calendar(ctx)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	now := m.now()
	tv := trackingView{View: pv, New: r.URL.Query().Get("baru") != "", Flash: flash, Error: errMsg,
		CanConfirm: rep.Status == StatusDone, CanReopen: mayReopen(rep, cal, now), CanRate: rep.Status == StatusClosed && rep.Rating == 0}
	if flash == "" {
		switch r.URL.Query().Get("ok") {
		case "konfirmasi":
			tv.Flash = sh.T(r, "reports.flash_confirmed")
		case "buka":
			tv.Flash = sh.T(r, "reports.flash_reopened")
		case "nilai":
			tv.Flash = sh.T(r, "reports.flash_rated")
		}
	}
	m.render(w, r, status, "tracking.html", sh.T(r, "reports.tracking_title", rep.Code), &tv)
}

// lookupCode is GET /lapor/cari?kode=: the "follow my report" box.
func (m *Module) lookupCode(w http.ResponseWriter, r *http.Request) {
	code := NormalizeCode(r.URL.Query().Get("kode"))
	if code == "" {
		m.d.Shell.Render.Error(w, r, http.StatusNotFound, m.d.Shell.T(r, "reports.err_code_unknown"))
		return
	}
	http.Redirect(w, r, "/lapor/"+code, http.StatusSeeOther)
}

// citizenAction loads the report named by the tracking code inside a
// transaction and runs fn on it; fn returns a message key for a refusal.
func (m *Module) citizenAction(w http.ResponseWriter, r *http.Request, okParam string, fn func(tx *sql.Tx, rep *Report) (string, error)) {
	ctx := r.Context()
	sh := m.d.Shell
	code := NormalizeCode(r.PathValue("code"))
	var refusal string
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		rep, err := m.lockReport(ctx, tx, `r.tracking_code = $1`, code)
		if err != nil {
			return err
		}
		refusal, err = fn(tx, rep)
		if refusal != "" {
			return errRefused
		}
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		sh.Render.Error(w, r, http.StatusNotFound, sh.T(r, "reports.err_code_unknown"))
	case errors.Is(err, errRefused):
		m.renderTracking(w, r, http.StatusConflict, "", sh.T(r, refusal))
	case err != nil:
		sh.ServerError(w, r, err)
	default:
		http.Redirect(w, r, "/lapor/"+code+"?ok="+okParam, http.StatusSeeOther)
	}
}

// errRefused rolls back a transaction whose action was refused.
var errRefused = errors.New("reports: action refused")

// citizenConfirm is POST /lapor/{code}/konfirmasi: the reporter agrees
// the work is done; the report closes.
func (m *Module) citizenConfirm(w http.ResponseWriter, r *http.Request) {
	m.citizenAction(w, r, "konfirmasi", func(tx *sql.Tx, rep *Report) (string, error) {
		if rep.Status != StatusDone {
			return "reports.err_not_done", nil
		}
		_, err := m.apply(r.Context(), tx, rep, change{Kind: EventConfirmed, Status: StatusClosed, Public: true, Actor: actorOf(r)})
		return "", err
	})
}

// citizenReopen is POST /lapor/{code}/buka-kembali: the problem is not
// solved; within AutoCloseAfterDays working days of "selesai" the report
// goes straight back to the unit.
func (m *Module) citizenReopen(w http.ResponseWriter, r *http.Request) {
	reason := strings.TrimSpace(r.PostFormValue("alasan"))
	m.citizenAction(w, r, "buka", func(tx *sql.Tx, rep *Report) (string, error) {
		cal, err := m.calendar.Calendar(r.Context())
		if err != nil {
			return "", err
		}
		switch {
		case rep.Status != StatusDone:
			return "reports.err_not_done", nil
		case !mayReopen(rep, cal, m.now()):
			return "reports.err_reopen_late", nil
		case !textOK(reason):
			return "reports.err_text_encoding", nil
		case reason == "" || utf8.RuneCountInString(reason) > 1000:
			return "reports.err_reason_required", nil
		}
		_, err = m.apply(r.Context(), tx, rep, change{Kind: EventReopened, Status: StatusInProgress, Public: true, Actor: actorOf(r),
			Note: reason, Notify: true})
		return "", err
	})
}

// citizenRate is POST /lapor/{code}/nilai: 1–5 stars and a comment, once,
// after closing.
func (m *Module) citizenRate(w http.ResponseWriter, r *http.Request) {
	stars, err := strconv.Atoi(r.PostFormValue("nilai"))
	comment := strings.TrimSpace(r.PostFormValue("komentar"))
	m.citizenAction(w, r, "nilai", func(tx *sql.Tx, rep *Report) (string, error) {
		switch {
		case rep.Status != StatusClosed:
			return "reports.err_rate_not_closed", nil
		case rep.Rating != 0:
			return "reports.err_already_rated", nil
		case err != nil || stars < 1 || stars > 5:
			return "reports.err_rating", nil
		case !textOK(comment):
			return "reports.err_text_encoding", nil
		case utf8.RuneCountInString(comment) > 1000:
			return "reports.err_comment_long", nil
		}
		rep.Rating, rep.RatingComment = stars, comment
		_, err := m.apply(r.Context(), tx, rep, change{Kind: EventRated, Public: true, Actor: actorOf(r), Note: comment,
			Reason: strconv.Itoa(stars)})
		return "", err
	})
}
