package reports

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// consoleAction is POST /petugas/laporan/{id}/{action}: verifikasi,
// proses, tolak, alihkan, tugaskan, tanggapan, catatan, selesai, gabung.
// Each runs in one transaction with its history entry, audit entry and
// notifications; a refused action re-renders the page with the reason.
func (m *Module) consoleAction(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	action := r.PathValue("action")
	if _, ok := consoleActions[action]; !ok {
		sh.NotFound(w, r)
		return
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "reports.err_form"))
		return
	}
	// Proof photos are stored before the transaction (content-addressed,
	// so a failed action leaves at most an unreferenced file).
	var proof []files.Saved
	if action == "selesai" {
		var err error
		if proof, err = m.savePhotos(r, r.MultipartForm); err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				for _, msg := range ie.Fields {
					m.renderDetail(w, r, http.StatusUnprocessableEntity, sh.T(r, msg.Key, msg.Args...), false)
					return
				}
			}
			sh.ServerError(w, r, err)
			return
		}
	}
	var refusal string
	var refusalArgs []any
	var rep *Report
	err := m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		var err error
		rep, _, err = m.loadForStaff(r, tx)
		if err != nil {
			return err
		}
		refusal, refusalArgs, err = consoleActions[action](m, r, tx, rep, proof)
		if refusal != "" {
			return errRefused
		}
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		sh.NotFound(w, r)
	case errors.Is(err, errRefused):
		m.renderDetail(w, r, http.StatusUnprocessableEntity, sh.T(r, refusal, refusalArgs...), false)
	case err != nil:
		sh.ServerError(w, r, err)
	case action == "alihkan" || action == "gabung":
		// The report may now be outside the officer's scope.
		tree, _ := m.d.Units.Tree(r.Context())
		if web.Authorize(r, PermHandle, rep.Unit, tree) && action == "alihkan" {
			http.Redirect(w, r, "/petugas/laporan/"+itoa(rep.ID)+"?ok="+action, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/petugas/laporan?ok="+action, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/petugas/laporan/"+itoa(rep.ID)+"?ok="+action, http.StatusSeeOther)
	}
}

type actionFunc func(m *Module, r *http.Request, tx *sql.Tx, rep *Report, proof []files.Saved) (string, []any, error)

var consoleActions = map[string]actionFunc{
	"verifikasi": actVerify,
	"proses":     actProcess,
	"tolak":      actReject,
	"alihkan":    actTransfer,
	"tugaskan":   actAssign,
	"tanggapan":  actPublicUpdate,
	"catatan":    actNote,
	"selesai":    actDone,
	"gabung":     actMerge,
}

func note(r *http.Request) string { return strings.TrimSpace(r.PostFormValue("catatan")) }

const maxNote = 2000

func checkNote(n string, required bool) string {
	switch {
	case required && n == "":
		return "reports.err_note_required"
	case !textOK(n):
		return "reports.err_text_encoding"
	case utf8.RuneCountInString(n) > maxNote:
		return "reports.err_note_long"
	}
	return ""
}

func actVerify(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	if rep.Status != StatusReceived && rep.Status != StatusTransferred {
		return "reports.err_transition", nil, nil
	}
	if k := checkNote(note(r), false); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventVerified, Status: StatusVerified, Public: true, Actor: actorOf(r), Note: note(r), Notify: true})
	return "", nil, err
}

func actProcess(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	if !rep.Status.Open() || rep.Status == StatusInProgress {
		return "reports.err_transition", nil, nil
	}
	if k := checkNote(note(r), false); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventProgress, Status: StatusInProgress, Public: true, Actor: actorOf(r), Note: note(r), Notify: true})
	return "", nil, err
}

func actReject(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	reason := r.PostFormValue("alasan")
	switch {
	case !rep.Status.Open():
		return "reports.err_transition", nil, nil
	case !slices.Contains(RejectReasons, reason):
		return "reports.err_reject_reason", nil, nil
	}
	if k := checkNote(note(r), false); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventRejected, Status: StatusRejected, Public: true, Actor: actorOf(r),
		Reason: reason, Note: note(r), Notify: true})
	return "", nil, err
}

func actTransfer(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	to := strings.TrimSpace(r.PostFormValue("unit"))
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return "", nil, err
	}
	u, ok := tree.Get(to)
	switch {
	case !rep.Status.Open():
		return "reports.err_transition", nil, nil
	case !ok || !u.Active:
		return "reports.err_unit_unknown", nil, nil
	case to == rep.Unit:
		return "reports.err_unit_same", nil, nil
	}
	if k := checkNote(note(r), true); k != "" {
		return "reports.err_transfer_reason", nil, nil
	}
	_, err = m.apply(r.Context(), tx, rep, change{Kind: EventTransferred, Status: StatusTransferred, Public: true, Actor: actorOf(r),
		ToUnit: to, Reason: note(r), Notify: true})
	return "", nil, err
}

func actAssign(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	id, err := strconv.ParseInt(r.PostFormValue("petugas"), 10, 64)
	if !rep.Status.Open() {
		return "reports.err_transition", nil, nil
	}
	if err != nil {
		return "reports.err_assignee", nil, nil
	}
	staff, err := m.unitStaff(r.Context(), rep.Unit)
	if err != nil {
		return "", nil, err
	}
	for _, s := range staff {
		if s.ID == id {
			_, err := m.apply(r.Context(), tx, rep, change{Kind: EventAssigned, Public: false, Actor: actorOf(r), Note: s.Name,
				Assignee: &struct {
					ID   int64
					Name string
				}{s.ID, s.Name}})
			return "", nil, err
		}
	}
	return "reports.err_assignee", nil, nil
}

func actPublicUpdate(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	if rep.Status == StatusClosed || rep.Status == StatusRejected {
		return "reports.err_transition", nil, nil
	}
	if k := checkNote(note(r), true); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventUpdate, Public: true, Actor: actorOf(r), Note: note(r), Notify: true})
	return "", nil, err
}

func actNote(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	if k := checkNote(note(r), true); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventNote, Public: false, Actor: actorOf(r), Note: note(r)})
	return "", nil, err
}

func actDone(m *Module, r *http.Request, tx *sql.Tx, rep *Report, proof []files.Saved) (string, []any, error) {
	switch {
	case !rep.Status.Open():
		return "reports.err_transition", nil, nil
	case len(proof) == 0:
		return "reports.err_proof_required", nil, nil
	}
	if k := checkNote(note(r), false); k != "" {
		return k, nil, nil
	}
	_, err := m.apply(r.Context(), tx, rep, change{Kind: EventDone, Status: StatusDone, Public: true, Actor: actorOf(r),
		Note: note(r), Photos: proof, Notify: true})
	return "", nil, err
}

// actMerge marks this report a duplicate of another: it is rejected as
// "duplikat", hidden from the public lists, and its reporter and
// supporters become supporters (and followers) of the other report.
func actMerge(m *Module, r *http.Request, tx *sql.Tx, rep *Report, _ []files.Saved) (string, []any, error) {
	ctx := r.Context()
	targetID, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("target")), "#"), 10, 64)
	if err != nil {
		return "reports.err_merge_target", nil, nil
	}
	if !rep.Status.Open() {
		return "reports.err_transition", nil, nil
	}
	if targetID == rep.ID {
		return "reports.err_merge_self", nil, nil
	}
	target, err := m.lockReport(ctx, tx, `r.id = $1`, targetID)
	if errors.Is(err, ErrNotFound) {
		return "reports.err_merge_target", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return "", nil, err
	}
	if !web.Authorize(r, PermHandle, target.Unit, tree) || target.MergedInto != 0 || target.Status == StatusRejected {
		return "reports.err_merge_target", nil, nil
	}
	// Merging makes the duplicate's reporter and supporters followers of
	// the target, told of its status and public updates: a confidential
	// report must not gain followers from a report the public could join.
	if target.Privacy == PrivacyConfidential && rep.Privacy != PrivacyConfidential {
		return "reports.err_merge_target", nil, nil
	}
	moved, err := moveFollowers(ctx, tx, rep, target.ID)
	if err != nil {
		return "", nil, err
	}
	target.Supporters += moved
	if _, err := m.apply(ctx, tx, target, change{Kind: EventNote, Public: false, Actor: actorOf(r),
		Note: m.d.Shell.T(r, "reports.merged_from", rep.ID)}); err != nil {
		return "", nil, err
	}
	rep.MergedInto, rep.Listed = target.ID, false
	_, err = m.apply(ctx, tx, rep, change{Kind: EventMerged, Status: StatusRejected, Public: true, Actor: actorOf(r),
		Reason: ReasonDuplicate, Note: m.d.Shell.T(r, "reports.merged_into", target.ID), Notify: true})
	return "", nil, err
}

// moveFollowers copies a duplicate's reporter and supporters to the
// report it is merged into and returns how many supporters that adds.
func moveFollowers(ctx context.Context, tx *sql.Tx, dup *Report, targetID int64) (int, error) {
	at := database.TimeArg(dup.UpdatedAt)
	var reporter any
	if dup.ReporterUserID != 0 {
		reporter = dup.ReporterUserID
	}
	key := "r:" + strconv.FormatInt(dup.ID, 10)
	if dup.ReporterUserID != 0 {
		key = "u:" + strconv.FormatInt(dup.ReporterUserID, 10)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO report_supporters (report_id, follower_key, user_id, contact_sealed, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, follower_key) DO NOTHING`, targetID, key, reporter, dup.ContactSealed, at)
	if err != nil {
		return 0, err
	}
	n1, _ := res.RowsAffected()
	res, err = tx.ExecContext(ctx, `INSERT INTO report_supporters (report_id, follower_key, user_id, contact_sealed, created_at)
		SELECT $1, follower_key, user_id, contact_sealed, created_at FROM report_supporters WHERE report_id = $2
		ON CONFLICT (report_id, follower_key) DO NOTHING`, targetID, dup.ID)
	if err != nil {
		return 0, err
	}
	n2, _ := res.RowsAffected()
	return int(n1 + n2), nil
}
