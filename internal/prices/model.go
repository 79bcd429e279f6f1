package prices

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Market is a traditional market whose prices enumerators collect.
type Market struct {
	ID       int64
	Code     string
	Name     string
	Address  string
	Lat, Lon *float64
	UnitCode string
	Active   bool
}

// Commodity is a tracked commodity. GroupCode is the BPS expenditure
// group (01–11); Category groups the public board.
type Commodity struct {
	ID        int64
	Code      string
	Name      string
	Variety   string
	Unit      string
	GroupCode string
	Category  string
	Active    bool
}

// Label is the name with its variety, as the board shows it.
func (c Commodity) Label() string {
	if c.Variety == "" {
		return c.Name
	}
	return c.Name + " (" + c.Variety + ")"
}

// Reference is a HET (harga eceran tertinggi, a legal ceiling) or HAP
// (harga acuan pembelian, a reference price) valid over a span of days.
type Reference struct {
	ID          int64
	CommodityID int64
	Kind        string // RefHET or RefHAP
	Price       float64
	LegalBasis  string
	ValidFrom   string // YYYY-MM-DD, "" = open
	ValidTo     string
	Note        string
}

// Reference kinds.
const (
	RefHET = "HET"
	RefHAP = "HAP"
)

// validOn reports whether r applies on day.
func (r Reference) validOn(day string) bool {
	return (r.ValidFrom == "" || r.ValidFrom <= day) && (r.ValidTo == "" || day <= r.ValidTo)
}

// Trader is a stall an enumerator asks for prices.
type Trader struct {
	ID       int64
	MarketID int64
	Name     string
	Active   bool
}

// Observation statuses.
const (
	StatusPending   = "pending"
	StatusFlagged   = "flagged"
	StatusApproved  = "approved"
	StatusCorrected = "corrected"
	StatusRejected  = "rejected"
)

// Observation sources.
const (
	SourceEntry  = "entry"
	SourceImport = "import"
	SourceDemo   = "demo"
	SourceScale  = "scale"
)

// Observation is one price seen at one trader in one market on one day.
type Observation struct {
	ID          int64
	Day         string
	MarketID    int64
	CommodityID int64
	TraderID    *int64
	Price       float64
	Status      string
	Reason      string
	Source      string
	EnteredBy   int64
	CreatedAt   time.Time
}

// Categories group commodities on the board; their names are in the
// catalogs (prices.category.<code>).
var Categories = []string{"beras", "bumbu", "sayur", "buah", "ikan", "daging", "telur", "bahan-pokok", "lainnya"}

// Transport modes of inflows (catalog prices.mode.<code>).
var Modes = []string{"ship", "truck", "air"}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// validCode reports whether s is usable as a market or commodity code:
// letters, digits, hyphens, underscores and dots, all safe in URLs and CSV
// files. Codes are kept exactly as given and matched exactly: a code
// imported as "BR_MEDIUM" is what observations, baskets and the API's
// andil use, so a data provider's own codes come back unchanged.
func validCode(s string) bool { return codePattern.MatchString(s) }

var regionCodePattern = regexp.MustCompile(`^\d{2}\.\d{2}$`)

// FieldError is a validation failure of one input field; Key is a
// catalog key and Args its arguments, so handlers show it in the
// request's language and the command line in English.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Key }

func fieldErr(field, key string, args ...any) error {
	return &FieldError{Field: field, Key: key, Args: args}
}

// ErrNotFound is returned for an unknown code or id.
var ErrNotFound = errors.New("prices: not found")

// ErrForbidden is returned when the actor may not act on the object.
var ErrForbidden = errors.New("prices: forbidden")

// Store is the module's storage and rules. Handlers, the command line,
// jobs and seeders all go through it.
type Store struct {
	d      *app.Deps
	db     *database.DB
	boards boardCache
}

func newStore(d *app.Deps) *Store { return &Store{d: d, db: d.DB} }

// today is the current calendar day in the city's time zone.
func (s *Store) today() string { return s.d.Clock.Now().In(s.d.Location).Format(database.DateLayout) }

func (s *Store) now() string { return database.TimeArg(s.d.Clock.Now()) }

// Actor is who asks the store for a change: a principal with the
// request's address, or the system (P nil) naming itself in System
// ("cli", "seed", "job:prices.alerts").
type Actor struct {
	P      *auth.Principal
	IP     string
	System string
}

// audit describes the actor for the audit log.
func (a Actor) audit() audit.Actor {
	if a.P == nil || !a.P.Authenticated() {
		name := a.System
		if name == "" {
			name = "prices"
		}
		return audit.System(name)
	}
	return auth.ActorOf(a.P, a.IP)
}

// userID is the account id, or nil for the system (stored as NULL).
func (a Actor) userID() any {
	if a.P == nil || a.P.UserID == 0 {
		return nil
	}
	return a.P.UserID
}

// name is what a history row shows as the actor.
func (a Actor) name() string {
	if a.P == nil || !a.P.Authenticated() {
		return a.System
	}
	if a.P.Name != "" {
		return a.P.Name
	}
	return a.P.Username
}

// parseDay checks a YYYY-MM-DD calendar day.
func parseDay(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("day %q: want YYYY-MM-DD", s)
	}
	return time.Parse(database.DateLayout, s)
}

// addDays moves a YYYY-MM-DD day; the input must be valid.
func addDays(day string, n int) string {
	t, _ := time.Parse(database.DateLayout, day)
	return t.AddDate(0, 0, n).Format(database.DateLayout)
}

func trimAll(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}
