package reports

import (
	"time"
)

// Status is a report's state (DOMAIN.md §3), stored and shown by its
// Indonesian name.
type Status string

const (
	StatusReceived    Status = "diterima"
	StatusVerified    Status = "diverifikasi"
	StatusTransferred Status = "didisposisikan"
	StatusInProgress  Status = "diproses"
	StatusDone        Status = "selesai"
	StatusClosed      Status = "ditutup"
	StatusRejected    Status = "ditolak"
)

// Statuses lists every state in lifecycle order.
var Statuses = []Status{StatusReceived, StatusVerified, StatusTransferred, StatusInProgress, StatusDone, StatusClosed, StatusRejected}

// Open reports whether the unit still owes work on the report.
func (s Status) Open() bool {
	switch s {
	case StatusReceived, StatusVerified, StatusTransferred, StatusInProgress:
		return true
	}
	return false
}

// Open311 maps the state to GeoReport v2's open/closed.
func (s Status) Open311() string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

func validStatus(s string) bool {
	for _, x := range Statuses {
		if string(x) == s {
			return true
		}
	}
	return false
}

// Privacy is who may see a report.
type Privacy string

const (
	// PrivacyPublic: listed, and the reporter's name is shown if they
	// agreed.
	PrivacyPublic Privacy = "public"
	// PrivacyAnonymous: listed without anything about the reporter.
	PrivacyAnonymous Privacy = "anonymous"
	// PrivacyConfidential: never listed; only the unit and the holder of
	// the tracking code see it.
	PrivacyConfidential Privacy = "confidential"
)

// Privacies lists the modes in form order.
var Privacies = []Privacy{PrivacyPublic, PrivacyAnonymous, PrivacyConfidential}

func validPrivacy(s string) bool {
	return s == string(PrivacyPublic) || s == string(PrivacyAnonymous) || s == string(PrivacyConfidential)
}

// Reject reasons (DOMAIN.md §3).
const (
	ReasonNotOurs   = "bukan_wewenang"
	ReasonDuplicate = "duplikat"
	ReasonInvalid   = "tidak_valid"
)

// RejectReasons lists them in form order.
var RejectReasons = []string{ReasonNotOurs, ReasonDuplicate, ReasonInvalid}

// Event kinds of the history.
const (
	EventCreated     = "created"
	EventVerified    = "verified"
	EventTransferred = "transferred"
	EventAssigned    = "assigned"
	EventProgress    = "progress"
	EventUpdate      = "update"
	EventNote        = "note"
	EventRejected    = "rejected"
	EventDone        = "done"
	EventConfirmed   = "confirmed"
	EventReopened    = "reopened"
	EventAutoClosed  = "auto_closed"
	EventMerged      = "merged"
	EventEscalated   = "escalated"
	EventRated       = "rated"
	EventComment     = "comment"
)

// Report is one citizen report as staff see it.
type Report struct {
	ID              int64
	Code            string
	Category        string
	Status          Status
	Privacy         Privacy
	Listed          bool
	Description     string
	Attributes      map[string][]string
	HasPoint        bool
	Lat, Lon        float64
	Address         string
	Kelurahan       string
	Kecamatan       string
	Unit            string
	AssigneeID      int64
	AssigneeName    string
	ReporterUserID  int64
	PublicName      string
	ContactSealed   string
	ContactMasked   string
	Source          string
	SourceRef       string
	MediaURL        string
	Locale          string
	Supporters      int
	MergedInto      int64
	RejectReason    string
	EscalationLevel int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt time.Time
	DoneAt          time.Time
	ClosedAt        time.Time
	ResponseDueAt   time.Time
	ResolutionDueAt time.Time
	DueAt           time.Time
	NextCheckAt     time.Time
	Rating          int
	RatingComment   string
}

// Overdue reports whether the running deadline has passed at now.
func (r *Report) Overdue(now time.Time) bool {
	return r.Status.Open() && !r.DueAt.IsZero() && now.After(r.DueAt)
}

// Event is one entry of a report's history.
type Event struct {
	ID          int64
	ReportID    int64
	At          time.Time
	Kind        string
	Status      Status
	Public      bool
	ActorKind   string
	ActorUserID int64
	ActorName   string
	Unit        string
	ToUnit      string
	Reason      string
	Note        string
	Photos      []Photo
}

// Photo is a stored image of a report or of its proof of work.
type Photo struct {
	ID          int64
	ReportID    int64
	EventID     int64
	Key         string
	ContentType string
	Width       int
	Height      int
	URL         string // a capability URL, filled in for the viewer
}

// Contact is the reporter's (or a follower's) personal data, sealed at
// rest.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// Channel for phone numbers: sms or whatsapp (how the report came in).
	Channel string `json:"channel,omitempty"`
}

func (c Contact) empty() bool { return c.Name == "" && c.Phone == "" && c.Email == "" }
