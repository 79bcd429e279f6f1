package prices

import (
	"fmt"
	"slices"
)

// builtCells are the aggregate cells of an imported file, computed in Go
// from the rows in memory: a bulk import writes them directly instead of
// re-reading what it has just inserted (which was half of an import's
// time). They are the cells of the file's rows alone; importObservations
// uses them only for the commodities' months that held no observation
// before, and rebuilds the others from the observations as every other
// write does (see writeImportAggregates).
//
// Keys pack (commodity rank, day or month index, market rank) into a
// uint64 whose order is the tables' primary-key order, so that sorted
// keys insert at the end of each B-tree and group without another sort.
type builtCells struct {
	commodities, markets []int64  // by rank: ascending ids
	days                 []string // the file's sorted days
	months               []string // distinct months of days, sorted
	monthOf              []int32  // day index → month index

	dayMarket, dayCity, monthMarket, monthCity cellList
}

// cellList is a table's cells in key order.
type cellList struct {
	keys  []uint64
	cells []cell
}

const (
	marketBits = 20
	periodBits = 24
	rankLimit  = 1 << marketBits // commodities or markets in one file
)

func packKey(commodity, period, market int) uint64 {
	return uint64(commodity)<<(periodBits+marketBits) | uint64(period)<<marketBits | uint64(market)
}

func unpackKey(k uint64) (commodity, period, market int) {
	return int(k >> (periodBits + marketBits)), int(k >> marketBits & (1<<periodBits - 1)), int(k & (rankLimit - 1))
}

// buildCells aggregates the rows of f, whose days must be sorted, and
// puts the rows in the cells' order (see rowsInCellOrder).
func buildCells(f *obsFile) (*builtCells, error) {
	if len(f.days) >= 1<<periodBits {
		return nil, fmt.Errorf("prices: %d distinct days in one file", len(f.days))
	}
	b := &builtCells{days: f.days, monthOf: make([]int32, len(f.days))}
	cRank, mRank := map[int64]int{}, map[int64]int{}
	for _, r := range f.rows {
		cRank[r.commodity], mRank[r.market] = 0, 0
	}
	if len(cRank) >= rankLimit || len(mRank) >= rankLimit {
		return nil, fmt.Errorf("prices: too many commodities or markets in one file")
	}
	b.commodities, b.markets = ranked(cRank), ranked(mRank)
	for i, d := range f.days {
		if len(b.months) == 0 || b.months[len(b.months)-1] != d[:7] {
			b.months = append(b.months, d[:7])
		}
		b.monthOf[i] = int32(len(b.months) - 1)
	}

	// Cells of (commodity, day, market). A file usually lists the lines
	// of a cell together, so the last cell is checked before the map.
	idx := make(map[uint64]int32, len(f.rows)/2)
	var acc cellList
	last, lastAt := ^uint64(0), int32(-1)
	cellOfRow := make([]int32, len(f.rows))
	for i, r := range f.rows {
		k := packKey(cRank[r.commodity], int(r.day), mRank[r.market])
		if k != last {
			last, lastAt = k, acc.slot(idx, k)
		}
		acc.cells[lastAt].add(cellOf(r.price))
		cellOfRow[i] = lastAt
	}
	var order []int32
	b.dayMarket, order = acc.sorted()
	f.rows = rowsInCellOrder(f.rows, cellOfRow, order)
	b.dayCity = b.dayMarket.fold(func(k uint64) uint64 { return k &^ (rankLimit - 1) })
	b.monthMarket = b.dayMarket.regroup(func(k uint64) uint64 {
		c, d, m := unpackKey(k)
		return packKey(c, int(b.monthOf[d]), m)
	})
	b.monthCity = b.monthMarket.fold(func(k uint64) uint64 { return k &^ (rankLimit - 1) })
	return b, nil
}

// ranked turns a set of ids into ascending order and numbers each.
func ranked(set map[int64]int) []int64 {
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		set[id] = i
	}
	return ids
}

// sorted returns the list in key order, and the order: the position in l
// of each cell of the result.
func (l cellList) sorted() (cellList, []int32) {
	order := make([]int32, len(l.keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		switch ka, kb := l.keys[a], l.keys[b]; {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	out := cellList{keys: make([]uint64, len(order)), cells: make([]cell, len(order))}
	for i, o := range order {
		out.keys[i], out.cells[i] = l.keys[o], l.cells[o]
	}
	return out, order
}

// fold merges consecutive cells whose keys group alike: the grouping must
// keep the order (the city of a day, the city of a month).
func (l cellList) fold(group func(uint64) uint64) cellList {
	var out cellList
	for i, k := range l.keys {
		g := group(k)
		if n := len(out.keys); n == 0 || out.keys[n-1] != g {
			out.keys = append(out.keys, g)
			out.cells = append(out.cells, cell{})
		}
		out.cells[len(out.cells)-1].add(l.cells[i])
	}
	return out
}

// slot is the index of key k's cell in l, added empty when k is new.
func (l *cellList) slot(idx map[uint64]int32, k uint64) int32 {
	at, ok := idx[k]
	if !ok {
		at = int32(len(l.cells))
		idx[k] = at
		l.keys = append(l.keys, k)
		l.cells = append(l.cells, cell{})
	}
	return at
}

// regroup merges cells under a grouping that does not keep the order
// (days of a market into its month) and sorts the result.
func (l cellList) regroup(group func(uint64) uint64) cellList {
	idx := map[uint64]int32{}
	var acc cellList
	for i, k := range l.keys {
		at := acc.slot(idx, group(k)) // before indexing: slot may grow acc.cells
		acc.cells[at].add(l.cells[i])
	}
	sorted, _ := acc.sorted()
	return sorted
}

// rowsInCellOrder reorders rows by their cells' sorted order (a counting
// sort, stable: the lines of one cell keep the file's order, which is the
// order "earlier the same day" means for previousPrice).
//
// Inserting observations in (commodity, day, market) order, the order of
// their covering index, makes each index insert land next to the last one
// instead of at one of many places across the index: a quarter less
// time for the observation inserts in the import benchmark.
func rowsInCellOrder(rows []obsRow, cellOfRow, order []int32) []obsRow {
	start := make([]int32, len(order)+1) // by sorted rank, then offsets
	rank := make([]int32, len(order))
	for r, o := range order {
		rank[o] = int32(r)
	}
	for _, c := range cellOfRow {
		start[rank[c]+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([]obsRow, len(rows))
	for i, c := range cellOfRow {
		r := rank[c]
		out[start[r]] = rows[i]
		start[r]++
	}
	return out
}
