package apptest_test

import (
	"regexp"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// destructive matches statements that lose data; migrations only add.
var destructive = regexp.MustCompile(`(?is)\b(DROP\s+(TABLE|COLUMN|SCHEMA|DATABASE)|TRUNCATE|DELETE\s+FROM|ALTER\s+TABLE\s+\S+\s+DROP|RENAME\s+COLUMN)\b`)

func TestMigrationsAreNeverDestructive(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	n := 0
	for _, set := range s.App.MigrationSets() {
		ms, err := set.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			n++
			if loc := destructive.FindString(m.SQL); loc != "" {
				t.Errorf("migration %s contains %q: migrations must never destroy data", m.ID(), loc)
			}
		}
	}
	if n == 0 {
		t.Fatal("no migrations found")
	}
}
