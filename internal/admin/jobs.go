package admin

import (
	"database/sql"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

const jobsPerPage = 50

type jobsPage struct {
	base
	State, Kind string
	States      []option
	Counts      map[string]int
	Jobs        []jobs.Job
	Older       string
	Newest      string
	Paged       bool
}

var jobKindPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{0,100}$`)

// listJobs shows background jobs, newest first, by state and kind. Job
// payloads are never shown: they may hold personal data (a phone number,
// a message), and an administrator needs the kind and the error to act.
func (m *Module) listJobs(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	q := r.URL.Query()
	data := jobsPage{base: m.base(r, "jobs"), State: q.Get("state"), Kind: strings.TrimSpace(q.Get("kind"))}
	for _, s := range jobs.States {
		data.States = append(data.States, option{Value: s, Label: sh.T(r, "admin.jobs.state_"+s), Selected: s == data.State})
	}
	status := http.StatusOK
	f := jobs.Filter{State: data.State, Kind: data.Kind, Limit: jobsPerPage + 1}
	if data.State != "" && !slices.Contains(jobs.States, data.State) {
		data.Errors.add("state", sh.T(r, "admin.error.invalid"))
	}
	if !jobKindPattern.MatchString(data.Kind) {
		data.Errors.add("kind", sh.T(r, "admin.error.invalid"))
	}
	if before := q.Get("before"); before != "" {
		id, err := strconv.ParseInt(before, 10, 64)
		if err != nil || id <= 0 {
			sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "error.bad_param", "before"))
			return
		}
		f.BeforeID, data.Paged = id, true
	}
	filters := map[string]string{"state": data.State, "kind": data.Kind}
	data.Newest = pageURL("/admin/jobs", filters, "", 0)
	counts, err := m.d.Jobs.Counts(r.Context())
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	data.Counts = counts
	if len(data.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		list, err := m.d.Jobs.List(r.Context(), f)
		if err != nil {
			sh.ServerError(w, r, err)
			return
		}
		if len(list) > jobsPerPage {
			list = list[:jobsPerPage]
			data.Older = pageURL("/admin/jobs", filters, "before", list[len(list)-1].ID)
		}
		data.Jobs = list
	}
	m.render(w, r, status, "jobs.html", "admin.jobs.title", data)
}

// jobAudit is a job's state in the audit log; never its payload.
type jobAudit struct {
	Kind      string `json:"kind"`
	State     string `json:"state"`
	Attempt   int    `json:"attempt"`
	LastError string `json:"last_error,omitempty"`
}

// retryJob puts a failed job back in the queue with fresh attempts and
// records who did.
func (m *Module) retryJob(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	id, ok := pathID(r, "id")
	if !ok {
		sh.NotFound(w, r)
		return
	}
	ctx := r.Context()
	j, err := m.d.Jobs.Get(ctx, id)
	if errors.Is(err, jobs.ErrNotFound) {
		sh.NotFound(w, r)
		return
	}
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	if j.State != jobs.StateFailed {
		sh.Render.Error(w, r, http.StatusConflict, sh.T(r, "admin.jobs.not_failed", id, sh.T(r, "admin.jobs.state_"+j.State)))
		return
	}
	before := jobAudit{Kind: j.Kind, State: j.State, Attempt: j.Attempt, LastError: j.LastError}
	after := jobAudit{Kind: j.Kind, State: jobs.StateAvailable}
	// The audit row commits in the retry's own transaction.
	err = m.d.Jobs.RetryTx(ctx, id, func(tx *sql.Tx) error {
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actor(r), Action: "job.retried", ObjectType: "job",
			ObjectID: audit.ObjectID(id), Before: before, After: after})
	})
	if err != nil {
		// Another administrator was quicker, or a job with the same
		// unique key is already waiting: either way nothing to do here.
		if cur, gerr := m.d.Jobs.Get(ctx, id); gerr == nil && cur.State != jobs.StateFailed {
			sh.Render.Error(w, r, http.StatusConflict, sh.T(r, "admin.jobs.not_failed", id, sh.T(r, "admin.jobs.state_"+cur.State)))
			return
		}
		sh.Render.Error(w, r, http.StatusConflict, sh.T(r, "admin.jobs.retry_refused", id))
		m.d.Log.Warn("admin: job retry refused", "id", id, "err", err)
		return
	}
	redirectOK(w, r, "/admin/jobs", "job_retried")
}
