// Package icd10 owns the ICD-10 code list the health module accepts: every
// code with its English and Indonesian name, embedded from data/ (copied
// from the shared reference data; see data/SOURCE.md). A diagnosis whose
// code is not in this list is refused. The list is parsed once, on first
// use, and searched in memory: 18,500 rows are scanned in well under a
// millisecond per keystroke, so no index or database table is needed.
package icd10

import (
	"bufio"
	"bytes"
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed data/icd10_id.csv
var csvData []byte

// Code is one ICD-10 entry.
type Code struct {
	Code string // "A09.9"
	EN   string // English name
	ID   string // Indonesian name
}

// Name returns the name in a language ("en" for English, anything else
// Indonesian, the city's default).
func (c Code) Name(lang string) string {
	if lang == "en" {
		return c.EN
	}
	return c.ID
}

type entry struct {
	Code
	// folded is "code en id" in lower case, what Search matches against.
	folded string
}

var (
	once    sync.Once
	entries []entry
	byCode  map[string]int
)

func load() {
	once.Do(func() {
		sc := bufio.NewScanner(bytes.NewReader(csvData))
		first := true
		byCode = make(map[string]int, 20000)
		for sc.Scan() {
			line := strings.TrimRight(sc.Text(), "\r")
			if first {
				first = false
				continue // header
			}
			parts := strings.SplitN(line, ";", 3)
			if len(parts) != 3 || parts[0] == "" {
				continue
			}
			c := Code{Code: strings.ToUpper(strings.TrimSpace(parts[0])), EN: capitalise(parts[1]), ID: capitalise(parts[2])}
			byCode[c.Code] = len(entries)
			entries = append(entries, entry{Code: c, folded: strings.ToLower(c.Code + " " + c.EN + " " + c.ID)})
		}
	})
}

// capitalise upper-cases the first letter: the source writes some names
// in lower case ("demam tifoid"), which looks like a typo in a report.
func capitalise(s string) string {
	s = strings.TrimSpace(s)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Normalize turns what a person typed ("a09.9", " A099 ") into the list's
// form ("A09.9").
func Normalize(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 3 && s[3] != '.' && !strings.Contains(s, ".") {
		s = s[:3] + "." + s[3:]
	}
	return s
}

// Lookup returns the entry for a code, normalised first.
func Lookup(code string) (Code, bool) {
	load()
	i, ok := byCode[Normalize(code)]
	if !ok {
		return Code{}, false
	}
	return entries[i].Code, true
}

// Len is the number of codes in the list.
func Len() int {
	load()
	return len(entries)
}

// Search finds codes whose code or name (English or Indonesian) contains
// every word of q, case-insensitively. Codes starting with q come first,
// then the rest in code order; at most limit results.
func Search(q string, limit int) []Code {
	load()
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 || limit <= 0 {
		return nil
	}
	prefix := Normalize(q)
	var head, tail []Code
	for _, e := range entries {
		match := true
		for _, w := range words {
			if !strings.Contains(e.folded, w) {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		if strings.HasPrefix(e.Code.Code, prefix) {
			head = append(head, e.Code)
		} else if len(tail) < limit {
			tail = append(tail, e.Code)
		}
		if len(head) >= limit {
			break
		}
	}
	sort.SliceStable(head, func(i, j int) bool { return len(head[i].Code) < len(head[j].Code) })
	out := append(head, tail...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
