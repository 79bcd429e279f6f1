package workdays

import (
	"fmt"
	"strings"
	"time"
)

// Kind says why a day is off.
type Kind string

const (
	// NationalHoliday is a hari libur nasional.
	NationalHoliday Kind = "libur_nasional"
	// CutiBersama is a collective leave day set by the SKB 3 Menteri;
	// government offices are closed.
	CutiBersama Kind = "cuti_bersama"
	// LocalHoliday is a day off the city itself declares.
	LocalHoliday Kind = "libur_daerah"
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{NationalHoliday, CutiBersama, LocalHoliday}

func (k Kind) valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Holiday is one day off.
type Holiday struct {
	Date        string // DateLayout, a calendar day in the city's zone
	Name        string
	Kind        Kind
	Provisional bool // an estimate until the official decree is out
	Source      string
}

// Validate checks a holiday before it is stored.
func (h Holiday) Validate() error {
	if _, err := time.Parse(DateLayout, h.Date); err != nil {
		return fmt.Errorf("holiday date %q: want YYYY-MM-DD", h.Date)
	}
	if n := strings.TrimSpace(h.Name); n == "" || len(n) > 200 {
		return fmt.Errorf("holiday %s: name must be 1–200 characters", h.Date)
	}
	if !h.Kind.valid() {
		return fmt.Errorf("holiday %s: kind %q is not one of libur_nasional, cuti_bersama, libur_daerah", h.Date, h.Kind)
	}
	return nil
}

// Source of the built-in list. Verify against the SKB 3 Menteri: the 2026
// days follow SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB
// No. 1497/2025, 2/2025, 5/2025 (announced 19 September 2025) as reported
// in the press; the 2027 days are estimates from the lunar and lunisolar
// calendars, marked provisional, until the 2027 SKB is published. An
// administrator corrects or imports the official list on the holidays
// page; seeding never overwrites a stored day.
const (
	source2026 = "SKB 3 Menteri 1497/2025, 2/2025, 5/2025 (verify against the SKB 3 Menteri)"
	source2027 = "estimate, pending the SKB 3 Menteri for 2027 (verify against the SKB 3 Menteri)"
)

// Builtin is the seeded list of national holidays and cuti bersama for
// 2026 and 2027 (verify against the SKB 3 Menteri).
var Builtin = []Holiday{
	{"2026-01-01", "Tahun Baru 2026 Masehi", NationalHoliday, false, source2026},
	{"2026-01-16", "Isra Mikraj Nabi Muhammad SAW", NationalHoliday, false, source2026},
	{"2026-02-16", "Cuti bersama Tahun Baru Imlek", CutiBersama, false, source2026},
	{"2026-02-17", "Tahun Baru Imlek 2577 Kongzili", NationalHoliday, false, source2026},
	{"2026-03-18", "Cuti bersama Hari Suci Nyepi", CutiBersama, false, source2026},
	{"2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)", NationalHoliday, false, source2026},
	{"2026-03-20", "Cuti bersama Idul Fitri 1447 H", CutiBersama, false, source2026},
	{"2026-03-21", "Idul Fitri 1447 H", NationalHoliday, false, source2026},
	{"2026-03-22", "Idul Fitri 1447 H (hari kedua)", NationalHoliday, false, source2026},
	{"2026-03-23", "Cuti bersama Idul Fitri 1447 H", CutiBersama, false, source2026},
	{"2026-03-24", "Cuti bersama Idul Fitri 1447 H", CutiBersama, false, source2026},
	{"2026-04-03", "Wafat Yesus Kristus", NationalHoliday, false, source2026},
	{"2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", NationalHoliday, false, source2026},
	{"2026-05-01", "Hari Buruh Internasional", NationalHoliday, false, source2026},
	{"2026-05-14", "Kenaikan Yesus Kristus", NationalHoliday, false, source2026},
	{"2026-05-15", "Cuti bersama Kenaikan Yesus Kristus", CutiBersama, false, source2026},
	{"2026-05-27", "Idul Adha 1447 H", NationalHoliday, false, source2026},
	{"2026-05-28", "Cuti bersama Idul Adha 1447 H", CutiBersama, false, source2026},
	{"2026-05-31", "Hari Raya Waisak 2570 BE", NationalHoliday, false, source2026},
	{"2026-06-01", "Hari Lahir Pancasila", NationalHoliday, false, source2026},
	{"2026-06-16", "1 Muharam Tahun Baru Islam 1448 H", NationalHoliday, false, source2026},
	{"2026-08-17", "Proklamasi Kemerdekaan RI", NationalHoliday, false, source2026},
	{"2026-08-25", "Maulid Nabi Muhammad SAW", NationalHoliday, false, source2026},
	{"2026-12-24", "Cuti bersama Hari Raya Natal", CutiBersama, false, source2026},
	{"2026-12-25", "Hari Raya Natal", NationalHoliday, false, source2026},

	{"2027-01-01", "Tahun Baru 2027 Masehi", NationalHoliday, false, source2027},
	{"2027-01-05", "Isra Mikraj Nabi Muhammad SAW (perkiraan)", NationalHoliday, true, source2027},
	{"2027-02-06", "Tahun Baru Imlek 2578 Kongzili", NationalHoliday, true, source2027},
	{"2027-03-09", "Hari Suci Nyepi (Tahun Baru Saka 1949, perkiraan)", NationalHoliday, true, source2027},
	{"2027-03-10", "Idul Fitri 1448 H (perkiraan)", NationalHoliday, true, source2027},
	{"2027-03-11", "Idul Fitri 1448 H hari kedua (perkiraan)", NationalHoliday, true, source2027},
	{"2027-03-12", "Cuti bersama Idul Fitri 1448 H (perkiraan)", CutiBersama, true, source2027},
	{"2027-03-26", "Wafat Yesus Kristus", NationalHoliday, false, source2027},
	{"2027-03-28", "Kebangkitan Yesus Kristus (Paskah)", NationalHoliday, false, source2027},
	{"2027-05-01", "Hari Buruh Internasional", NationalHoliday, false, source2027},
	{"2027-05-06", "Kenaikan Yesus Kristus", NationalHoliday, false, source2027},
	{"2027-05-07", "Cuti bersama Kenaikan Yesus Kristus (perkiraan)", CutiBersama, true, source2027},
	{"2027-05-17", "Idul Adha 1448 H (perkiraan)", NationalHoliday, true, source2027},
	{"2027-05-20", "Hari Raya Waisak 2571 BE (perkiraan)", NationalHoliday, true, source2027},
	{"2027-06-01", "Hari Lahir Pancasila", NationalHoliday, false, source2027},
	{"2027-06-06", "1 Muharam Tahun Baru Islam 1449 H (perkiraan)", NationalHoliday, true, source2027},
	{"2027-08-15", "Maulid Nabi Muhammad SAW (perkiraan)", NationalHoliday, true, source2027},
	{"2027-08-17", "Proklamasi Kemerdekaan RI", NationalHoliday, false, source2027},
	{"2027-12-24", "Cuti bersama Hari Raya Natal (perkiraan)", CutiBersama, true, source2027},
	{"2027-12-25", "Hari Raya Natal", NationalHoliday, false, source2027},
}
