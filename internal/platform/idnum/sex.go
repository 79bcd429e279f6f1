package idnum

// Sex as encoded in a NIK (day of birth + 40 for women) or a NIP (digit 15).
// The zero value means "not known", for callers that did not ask for it.
type Sex uint8

const (
	SexUnknown Sex = iota
	SexMale
	SexFemale
)

func (s Sex) String() string {
	switch s {
	case SexMale:
		return "male"
	case SexFemale:
		return "female"
	default:
		return "unknown"
	}
}
