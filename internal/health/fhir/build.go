package fhir

import (
	"fmt"
	"strconv"
	"time"
)

// PatientIn is what a Patient resource is built from.
type PatientIn struct {
	ID          int64
	NIK         string // full, opened from its seal; "" when unknown
	MotherNIK   string // for infants without their own NIK
	Name        string
	Sex         string // "male" | "female"
	BirthDate   time.Time
	Address     string
	Kelurahan   string
	Kecamatan   string
	City        string
	Province    string
	Postcode    string
	LastUpdated time.Time
}

// BuildPatient maps a registry entry. A newborn without a NIK of its own
// is identified by its mother's NIK (SATUSEHAT's nik-ibu).
func BuildPatient(in PatientIn) Patient {
	p := Patient{ResourceType: "Patient", ID: strconv.FormatInt(in.ID, 10), Meta: &Meta{LastUpdated: Instant(in.LastUpdated)}, Active: true,
		Name: []HumanName{{Use: "official", Text: in.Name}}, Gender: in.Sex, BirthDate: in.BirthDate.Format("2006-01-02")}
	if in.NIK != "" {
		p.Identifier = append(p.Identifier, Identifier{Use: "official", System: SystemNIK, Value: in.NIK})
	}
	if in.MotherNIK != "" && in.NIK == "" {
		p.Identifier = append(p.Identifier, Identifier{Use: "official", System: SystemNIKIbu, Value: in.MotherNIK})
	}
	if in.Address != "" || in.Kelurahan != "" {
		text := in.Address
		if in.Kelurahan != "" {
			if text != "" {
				text += ", "
			}
			text += "Kel. " + in.Kelurahan
		}
		p.Address = []Address{{Use: "home", Text: text, District: in.Kecamatan, City: in.City, State: in.Province, PostalCode: in.Postcode, Country: "ID"}}
	}
	return p
}

// OrgIn describes a puskesmas (or Dinas Kesehatan).
type OrgIn struct {
	Code     string // unit code: the resource id
	OrgID    string // SATUSEHAT organisation id
	Name     string
	City     string
	ParentID string // unit code of the parent organisation, "" for none
	Provider bool   // a care provider (puskesmas) rather than a government office
}

// BuildOrganization maps a unit.
func BuildOrganization(in OrgIn) Organization {
	typ := Coding{System: systemOrgType, Code: "govt", Display: "Government"}
	if in.Provider {
		typ = Coding{System: systemOrgType, Code: "prov", Display: "Healthcare Provider"}
	}
	o := Organization{ResourceType: "Organization", ID: in.Code, Active: true, Name: in.Name,
		Identifier: []Identifier{{Use: "official", System: LocalSystem("organization", in.OrgID), Value: in.Code}},
		Type:       []CodeableConcept{{Coding: []Coding{typ}}}, Address: []Address{{Use: "work", City: in.City, Country: "ID"}}}
	if in.ParentID != "" {
		o.PartOf = &Reference{Reference: "Organization/" + in.ParentID}
	}
	return o
}

// LocationID is the resource id of a poli of a puskesmas.
func LocationID(pkm, poli string) string { return pkm + "." + poli }

// BuildLocation maps a poli (a room of a puskesmas).
func BuildLocation(pkm, orgID, poliCode, poliName, pkmName string) Location {
	id := LocationID(pkm, poliCode)
	return Location{ResourceType: "Location", ID: id, Status: "active", Name: poliName + " " + pkmName, Mode: "instance",
		Identifier:           []Identifier{{System: LocalSystem("location", orgID), Value: id}},
		PhysicalType:         &CodeableConcept{Coding: []Coding{{System: systemLocPhys, Code: "ro", Display: "Room"}}},
		ManagingOrganization: &Reference{Reference: "Organization/" + pkm, Display: pkmName}}
}

// DiagnosisIn is a condition of an encounter.
type DiagnosisIn struct {
	ID      int64
	ICD     string
	Display string
	Primary bool
}

// EncounterIn is what an Encounter is built from.
type EncounterIn struct {
	ID          int64
	OrgID       string
	PKM         string
	PKMName     string
	Poli        string
	PoliName    string
	PatientID   int64
	PatientName string
	Status      string // arrived | in-progress | finished
	Arrived     time.Time
	Started     time.Time // zero until called
	Finished    time.Time // zero until closed
	Diagnoses   []DiagnosisIn
	LastUpdated time.Time
}

// BuildEncounter maps a visit: statusHistory arrived → in-progress →
// finished with their periods, the period of the whole encounter, the
// poli as Location, the diagnoses with role DD.
func BuildEncounter(in EncounterIn) Encounter {
	id := strconv.FormatInt(in.ID, 10)
	e := Encounter{ResourceType: "Encounter", ID: id, Meta: &Meta{LastUpdated: Instant(in.LastUpdated)}, Status: in.Status,
		Identifier:      []Identifier{{System: LocalSystem("encounter", in.OrgID), Value: id}},
		Class:           Coding{System: systemActCode, Code: "AMB", Display: "ambulatory"},
		Subject:         Reference{Reference: "Patient/" + strconv.FormatInt(in.PatientID, 10), Display: in.PatientName},
		Location:        []EncounterLocation{{Location: Reference{Reference: "Location/" + LocationID(in.PKM, in.Poli), Display: in.PoliName}}},
		ServiceProvider: &Reference{Reference: "Organization/" + in.PKM, Display: in.PKMName}}
	arrived := Period{Start: Instant(in.Arrived)}
	if !in.Started.IsZero() {
		arrived.End = Instant(in.Started)
	}
	e.StatusHistory = []StatusHistory{{Status: "arrived", Period: arrived}}
	if !in.Started.IsZero() {
		prog := Period{Start: Instant(in.Started)}
		if !in.Finished.IsZero() {
			prog.End = Instant(in.Finished)
		}
		e.StatusHistory = append(e.StatusHistory, StatusHistory{Status: "in-progress", Period: prog})
	}
	e.Period = &Period{Start: Instant(in.Arrived)}
	if !in.Finished.IsZero() {
		e.StatusHistory = append(e.StatusHistory, StatusHistory{Status: "finished", Period: Period{Start: Instant(in.Finished), End: Instant(in.Finished)}})
		e.Period.End = Instant(in.Finished)
	}
	role := &CodeableConcept{Coding: []Coding{{System: systemDiagRole, Code: "DD", Display: "Discharge diagnosis"}}}
	rank := 1
	for _, d := range in.Diagnoses {
		r := 0
		if d.Primary {
			r = 1
		} else {
			rank++
			r = rank
		}
		e.Diagnosis = append(e.Diagnosis, EncounterDiagnosis{Condition: Reference{Reference: "Condition/" + strconv.FormatInt(d.ID, 10),
			Display: d.Display}, Use: role, Rank: r})
	}
	return e
}

// ConditionIn is a diagnosis with its context.
type ConditionIn struct {
	ID          int64
	OrgID       string
	ICD         string
	Display     string
	PatientID   int64
	PatientName string
	EncounterID int64
	Recorded    time.Time
}

// BuildCondition maps a diagnosis to an encounter-diagnosis Condition
// coded in ICD-10.
func BuildCondition(in ConditionIn) Condition {
	id := strconv.FormatInt(in.ID, 10)
	return Condition{ResourceType: "Condition", ID: id, Meta: &Meta{LastUpdated: Instant(in.Recorded)},
		Identifier:     []Identifier{{System: LocalSystem("condition", in.OrgID), Value: id}},
		ClinicalStatus: &CodeableConcept{Coding: []Coding{{System: systemCondClin, Code: "active", Display: "Active"}}},
		Category:       []CodeableConcept{{Coding: []Coding{{System: systemCondCat, Code: "encounter-diagnosis", Display: "Encounter Diagnosis"}}}},
		Code:           CodeableConcept{Coding: []Coding{{System: SystemICD10, Code: in.ICD, Display: in.Display}}, Text: in.Display},
		Subject:        Reference{Reference: "Patient/" + strconv.FormatInt(in.PatientID, 10), Display: in.PatientName},
		Encounter:      &Reference{Reference: "Encounter/" + strconv.FormatInt(in.EncounterID, 10)},
		RecordedDate:   Instant(in.Recorded)}
}

// MeasurementIn is a child's measurement with its z-scores.
type MeasurementIn struct {
	ID          int64
	OrgID       string
	PKM         string
	PatientID   int64
	PatientName string
	MeasuredOn  time.Time // a calendar day
	Recorded    time.Time
	WeightKg    *float64
	LenHeiCm    *float64
	Lying       bool // length measured lying (recumbent)
	HeadCm      *float64
	MUACCm      *float64
	HAZ, WAZ    *float64
	WHZ, BAZ    *float64
	Flags       string
}

// ObservationKinds lists the suffixes of the Observation ids
// BuildObservations makes for a measurement ("m12-weight", …).
func ObservationKinds() []string {
	return []string{"weight", "height", "head", "muac", "haz", "waz", "whz", "baz"}
}

// BuildObservations maps a measurement to one Observation per measured
// value: body weight (LOINC 29463-7), body height (8302-2, standing) or
// body length (8306-3, lying), head circumference (9843-4), mid-upper arm
// circumference (56072-2), and the four WHO z-scores.
func BuildObservations(in MeasurementIn) []Observation {
	var out []Observation
	vital := []CodeableConcept{{Coding: []Coding{{System: systemObsCat, Code: "vital-signs", Display: "Vital Signs"}}}}
	exam := []CodeableConcept{{Coding: []Coding{{System: systemObsCat, Code: "exam", Display: "Exam"}}}}
	add := func(kind string, cat []CodeableConcept, code Coding, v *float64, unit, ucum string) {
		if v == nil {
			return
		}
		id := fmt.Sprintf("m%d-%s", in.ID, kind)
		o := Observation{ResourceType: "Observation", ID: id, Meta: &Meta{LastUpdated: Instant(in.Recorded)}, Status: "final",
			Identifier: []Identifier{{System: LocalSystem("observation", in.OrgID), Value: id}}, Category: cat,
			Code:    CodeableConcept{Coding: []Coding{code}, Text: code.Display},
			Subject: Reference{Reference: "Patient/" + strconv.FormatInt(in.PatientID, 10), Display: in.PatientName},
			// A measurement is recorded for a day; the day is sent as a
			// date, which carries no time zone to convert.
			EffectiveDateTime: in.MeasuredOn.Format("2006-01-02"), Issued: Instant(in.Recorded),
			Performer:     []Reference{{Reference: "Organization/" + in.PKM}},
			ValueQuantity: &Quantity{Value: *v, Unit: unit, System: SystemUCUM, Code: ucum}}
		if in.Flags != "" && len(kind) == 3 && kind[2] == 'z' {
			o.Note = []Annotation{{Text: "WHO flag: " + in.Flags}}
		}
		out = append(out, o)
	}
	add("weight", vital, Coding{System: SystemLOINC, Code: "29463-7", Display: "Body weight"}, in.WeightKg, "kg", "kg")
	if in.Lying {
		add("height", vital, Coding{System: SystemLOINC, Code: "8306-3", Display: "Body height --lying"}, in.LenHeiCm, "cm", "cm")
	} else {
		add("height", vital, Coding{System: SystemLOINC, Code: "8302-2", Display: "Body height"}, in.LenHeiCm, "cm", "cm")
	}
	add("head", vital, Coding{System: SystemLOINC, Code: "9843-4", Display: "Head Occipital-frontal circumference"}, in.HeadCm, "cm", "cm")
	add("muac", exam, Coding{System: SystemLOINC, Code: "56072-2", Display: "Circumference Mid upper arm"}, in.MUACCm, "cm", "cm")
	add("haz", exam, Coding{System: SystemGrowth, Code: "haz", Display: "Length/height-for-age z-score (WHO)"}, in.HAZ, "SD", "{SD}")
	add("waz", exam, Coding{System: SystemGrowth, Code: "waz", Display: "Weight-for-age z-score (WHO)"}, in.WAZ, "SD", "{SD}")
	add("whz", exam, Coding{System: SystemGrowth, Code: "whz", Display: "Weight-for-length/height z-score (WHO)"}, in.WHZ, "SD", "{SD}")
	add("baz", exam, Coding{System: SystemGrowth, Code: "baz", Display: "BMI-for-age z-score (WHO)"}, in.BAZ, "SD", "{SD}")
	return out
}
