package index

// Group is one of BPS's 11 CPI expenditure groups (kelompok pengeluaran),
// the COICOP 2018 based classification BPS has used since the 2018 = 100
// CPI series.
type Group struct {
	Code    string // "01" … "11"
	Name    string // Indonesian name as BPS publishes it
	English string
}

// expenditureGroups is copied from shared/data/prices/
// bps_ihk_kelompok_pengeluaran_coicop2018.csv (source: BPS). The
// COICOP-division mapping noted there for 01 and 07 is inferred, but the
// codes and names are BPS's own.
var expenditureGroups = [...]Group{
	{"01", "Makanan, Minuman, dan Tembakau", "Food, beverages and tobacco"},
	{"02", "Pakaian dan Alas Kaki", "Clothing and footwear"},
	{"03", "Perumahan, Air, Listrik, dan Bahan Bakar Rumah Tangga", "Housing, water, electricity and household fuel"},
	{"04", "Perlengkapan, Peralatan, dan Pemeliharaan Rutin Rumah Tangga", "Furnishings, household equipment and routine maintenance"},
	{"05", "Kesehatan", "Health"},
	{"06", "Transportasi", "Transport"},
	{"07", "Informasi, Komunikasi, dan Jasa Keuangan", "Information, communication and financial services"},
	{"08", "Rekreasi, Olahraga, dan Budaya", "Recreation, sport and culture"},
	{"09", "Pendidikan", "Education"},
	{"10", "Penyediaan Makanan dan Minuman/Restoran", "Food and beverage serving services / restaurants"},
	{"11", "Perawatan Pribadi dan Jasa Lainnya", "Personal care and miscellaneous services"},
}

// ExpenditureGroups returns the 11 BPS expenditure groups in code order.
// It returns a copy, so callers cannot change the classification.
func ExpenditureGroups() []Group {
	return append([]Group(nil), expenditureGroups[:]...)
}

// ExpenditureGroup returns the group with the given code ("01" … "11").
func ExpenditureGroup(code string) (Group, bool) {
	for _, g := range expenditureGroups {
		if g.Code == code {
			return g, true
		}
	}
	return Group{}, false
}
