package health

import (
	"strconv"
	"strings"
)

// where builds a WHERE clause from the filters a request actually uses.
// Optional filters written as "($1 = ” OR col = $1)" keep SQLite from
// using the column's index (it cannot fold a bound parameter), which is
// what the large tables (visits, measurements, the latest-measurement
// table) cannot afford.
type where struct {
	conds []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// add appends a condition whose "?" is replaced by the placeholder of v.
func (w *where) add(cond string, v any) {
	w.conds = append(w.conds, strings.Replace(cond, "?", w.arg(v), 1))
}

// raw appends a condition without a parameter.
func (w *where) raw(cond string) { w.conds = append(w.conds, cond) }

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
