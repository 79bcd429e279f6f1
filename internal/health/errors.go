package health

import "database/sql"

// errNoRows is sql.ErrNoRows, named for the handlers' 404 checks.
var errNoRows = sql.ErrNoRows
