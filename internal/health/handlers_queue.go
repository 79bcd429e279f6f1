package health

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// queueTake gives a patient a number at a poli of the current puskesmas.
// Staff who cannot open the record (a patient registered elsewhere, found
// by NIK) prove they hold the KTP by posting the NIK again.
func (m *Module) queueTake(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	p, ok := m.patientByID(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	may, err := m.mayOpen(r, p, s.Tree)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if !may {
		var index string
		if err := m.d.DB.QueryRowContext(r.Context(), `SELECT COALESCE(nik_index, '') FROM health_patients WHERE id = $1`, p.ID).Scan(&index); err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		nik, err := m.validNIK(r.PostFormValue("nik"), "nik")
		if err != nil || index == "" || m.d.Sealer.BlindIndex(nik.Digits()) != index {
			m.notFound(w, r)
			return
		}
	}
	polis, err := m.polis(r.Context(), s.Current.Code)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	poliCode := r.PostFormValue("poli")
	payer := r.PostFormValue("payer")
	if !hasPoli(polis, poliCode) || (payer != "bpjs" && payer != "umum") {
		m.d.Shell.Render.Error(w, r, http.StatusUnprocessableEntity, m.d.Shell.T(r, "health.err.poli"))
		return
	}
	number, _, err := m.takeNumber(r.Context(), p, s.Current.Code, poliCode, payer)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/kesehatan/antrean?pkm="+url.QueryEscape(s.Current.Code)+"&poli="+url.QueryEscape(poliCode)+
		"&flash=queued&n="+strconv.Itoa(number), http.StatusSeeOther)
}

// poliQueue is one poli's queue today.
type poliQueue struct {
	Poli    poli
	Current *queueEntry
	Waiting []queueEntry
	Skipped []queueEntry
	Called  []queueEntry
	Stats   waitStats
}

// waitStats summarise the waiting time (number taken → first call) of the
// numbers called today.
type waitStats struct {
	Called             int
	MeanMin, MedianMin float64
	P90Min, MaxMin     float64
	Waiting            int
}

func computeWaitStats(waits []time.Duration) waitStats {
	st := waitStats{Called: len(waits)}
	if len(waits) == 0 {
		return st
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	var sum time.Duration
	for _, w := range waits {
		sum += w
	}
	pick := func(q float64) float64 {
		i := int(q*float64(len(waits)-1) + 0.5)
		return waits[i].Minutes()
	}
	st.MeanMin = (sum / time.Duration(len(waits))).Minutes()
	st.MedianMin, st.P90Min, st.MaxMin = pick(0.5), pick(0.9), waits[len(waits)-1].Minutes()
	return st
}

// queues loads today's queues of a puskesmas, per poli.
func (m *Module) queues(r *http.Request, pkm string, withNames bool) ([]poliQueue, error) {
	ctx := r.Context()
	polis, err := m.polis(ctx, pkm)
	if err != nil {
		return nil, err
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT q.id, q.visit_id, v.patient_id, q.poli_code, q.status, q.number, q.call_count, q.taken_at, q.called_at,
		CASE WHEN $3 THEN p.name ELSE '' END
		FROM health_queue q JOIN health_visits v ON v.id = q.visit_id JOIN health_patients p ON p.id = v.patient_id
		WHERE q.puskesmas_code = $1 AND q.day = $2 ORDER BY q.number`, pkm, m.todayString(), withNames)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byPoli := map[string]*poliQueue{}
	out := make([]poliQueue, len(polis))
	for i, p := range polis {
		out[i].Poli = p
		byPoli[p.Code] = &out[i]
	}
	waits := map[string][]time.Duration{}
	for rows.Next() {
		var e queueEntry
		if err := rows.Scan(&e.ID, &e.VisitID, &e.PatientID, &e.Poli, &e.Status, &e.Number, &e.CallCount, database.T(&e.TakenAt),
			database.T(&e.CalledAt), &e.PatientName); err != nil {
			return nil, err
		}
		q := byPoli[e.Poli]
		if q == nil {
			continue
		}
		if !e.CalledAt.IsZero() {
			waits[e.Poli] = append(waits[e.Poli], e.CalledAt.Sub(e.TakenAt))
		}
		switch e.Status {
		case queueWaiting:
			q.Waiting = append(q.Waiting, e)
		case queueSkipped:
			q.Skipped = append(q.Skipped, e)
		case queueCalled:
			q.Called = append(q.Called, e)
			if q.Current == nil || e.CalledAt.After(q.Current.CalledAt) {
				c := e
				q.Current = &c
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Stats = computeWaitStats(waits[out[i].Poli.Code])
		out[i].Stats.Waiting = len(out[i].Waiting)
	}
	return out, nil
}

// queuePage is the desk's view: each poli's waiting, called and skipped
// numbers with call next / skip / recall, and today's waiting times.
func (m *Module) queuePage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	qs, err := m.queues(r, s.Current.Code, true)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "queue.html", "health.queue.title", map[string]any{"Scope": s, "Queues": qs, "Flash": flash(r),
		"Number": r.URL.Query().Get("n"), "Poli": r.URL.Query().Get("poli"), "Today": m.todayString()})
}

func (m *Module) queueCallNext(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	poliCode := r.PostFormValue("poli")
	back := "/kesehatan/antrean?pkm=" + url.QueryEscape(s.Current.Code) + "&poli=" + url.QueryEscape(poliCode)
	n, err := m.callNext(r.Context(), s.Current.Code, poliCode)
	switch {
	case errors.Is(err, errQueueEmpty):
		http.Redirect(w, r, back+"&flash=empty", http.StatusSeeOther)
	case err != nil:
		m.d.Shell.ServerError(w, r, err)
	default:
		http.Redirect(w, r, back+"&flash=called&n="+strconv.Itoa(n), http.StatusSeeOther)
	}
}

// queueAction loads the {id} queue entry for skip/recall, checking that
// it belongs to a puskesmas of the principal and to today.
func (m *Module) queueAction(w http.ResponseWriter, r *http.Request, act func(queueEntry) error, okFlash string, allowed ...string) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.notFound(w, r)
		return
	}
	e, err := m.getQueueEntry(r.Context(), id)
	if errors.Is(err, errNoRows) || err == nil && !s.Has(e.PKM) {
		m.notFound(w, r)
		return
	} else if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	back := "/kesehatan/antrean?pkm=" + url.QueryEscape(e.PKM) + "&poli=" + url.QueryEscape(e.Poli)
	if e.Day != m.todayString() || !contains(allowed, e.Status) {
		m.d.Shell.Render.Error(w, r, http.StatusConflict, m.d.Shell.T(r, "health.err.queue_state"))
		return
	}
	if err := act(e); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, back+"&flash="+okFlash+"&n="+strconv.Itoa(e.Number), http.StatusSeeOther)
}

func (m *Module) queueSkip(w http.ResponseWriter, r *http.Request) {
	m.queueAction(w, r, func(e queueEntry) error { return m.skip(r.Context(), e) }, "skipped", queueCalled, queueWaiting)
}

func (m *Module) queueRecall(w http.ResponseWriter, r *http.Request) {
	m.queueAction(w, r, func(e queueEntry) error { return m.recall(r.Context(), e) }, "recalled", queueCalled, queueSkipped)
}

// callScreen is the waiting room's television: per poli the number being
// served and the next ones, in large type, refreshed by the page itself
// every few seconds (meta refresh: no script to break).
func (m *Module) callScreen(w http.ResponseWriter, r *http.Request) {
	all, _, err := m.puskesmas(r)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	code := r.PathValue("pkm")
	var name string
	for _, u := range all {
		if u.Code == code {
			name = u.Name
		}
	}
	if name == "" {
		m.notFound(w, r)
		return
	}
	qs, err := m.queues(r, code, false)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "call_screen.html", "health.screen.title", map[string]any{"Name": name, "Queues": qs,
		"Now": m.d.Clock.Now()})
}
