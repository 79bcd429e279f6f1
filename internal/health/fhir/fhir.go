// Package fhir maps the health module's records to FHIR R4 resources
// shaped the way SATUSEHAT (Kemenkes' national health data platform)
// expects them: its identifier systems for NIK and the mother's NIK, its
// local identifier systems per organisation
// (http://sys-ids.kemkes.go.id/{type}/{org-id}), ICD-10 conditions,
// LOINC body measurements, Encounter.statusHistory arrived → in-progress
// → finished, and every instant in UTC.
//
// The package only builds JSON-ready values from plain inputs; it reads
// nothing and knows nothing of HTTP or storage.
package fhir

import (
	"time"
)

// Identifier systems (SATUSEHAT).
const (
	SystemNIK      = "https://fhir.kemkes.go.id/id/nik"
	SystemNIKIbu   = "https://fhir.kemkes.go.id/id/nik-ibu"
	SystemICD10    = "http://hl7.org/fhir/sid/icd-10"
	SystemLOINC    = "http://loinc.org"
	SystemUCUM     = "http://unitsofmeasure.org"
	sysIDsBase     = "http://sys-ids.kemkes.go.id/"
	systemActCode  = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	systemDiagRole = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
	systemCondClin = "http://terminology.hl7.org/CodeSystem/condition-clinical"
	systemCondCat  = "http://terminology.hl7.org/CodeSystem/condition-category"
	systemObsCat   = "http://terminology.hl7.org/CodeSystem/observation-category"
	systemOrgType  = "http://terminology.hl7.org/CodeSystem/organization-type"
	systemLocPhys  = "http://terminology.hl7.org/CodeSystem/location-physical-type"
	// SystemGrowth codes the WHO z-scores, which LOINC has no codes for;
	// a local code system of the city's deployment.
	SystemGrowth = "https://sodamolek.kupangkota.go.id/fhir/CodeSystem/who-growth-zscore"
)

// LocalSystem returns SATUSEHAT's local identifier system of a resource
// type for an organisation: http://sys-ids.kemkes.go.id/encounter/{org}.
func LocalSystem(kind, orgID string) string { return sysIDsBase + kind + "/" + orgID }

// Instant formats an instant the way every time is sent: UTC, seconds.
func Instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// Meta carries the last update.
type Meta struct {
	LastUpdated string `json:"lastUpdated,omitempty"`
}

// Coding is a code in a system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is codings with a text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is a business identifier.
type Identifier struct {
	Use    string `json:"use,omitempty"`
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Reference points at another resource.
type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// Period is a time range.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// HumanName is a person's name.
type HumanName struct {
	Use  string `json:"use,omitempty"`
	Text string `json:"text,omitempty"`
}

// Address is a postal address.
type Address struct {
	Use        string `json:"use,omitempty"`
	Text       string `json:"text,omitempty"`
	City       string `json:"city,omitempty"`
	District   string `json:"district,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Quantity is a measured amount in UCUM.
type Quantity struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

// Annotation is a note.
type Annotation struct {
	Text string `json:"text"`
}

// Patient is FHIR Patient.
type Patient struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id"`
	Meta         *Meta        `json:"meta,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Active       bool         `json:"active"`
	Name         []HumanName  `json:"name,omitempty"`
	Gender       string       `json:"gender,omitempty"`
	BirthDate    string       `json:"birthDate,omitempty"`
	Address      []Address    `json:"address,omitempty"`
}

// Organization is FHIR Organization.
type Organization struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Active       bool              `json:"active"`
	Type         []CodeableConcept `json:"type,omitempty"`
	Name         string            `json:"name"`
	Address      []Address         `json:"address,omitempty"`
	PartOf       *Reference        `json:"partOf,omitempty"`
}

// Location is FHIR Location.
type Location struct {
	ResourceType         string           `json:"resourceType"`
	ID                   string           `json:"id"`
	Identifier           []Identifier     `json:"identifier,omitempty"`
	Status               string           `json:"status"`
	Name                 string           `json:"name"`
	Mode                 string           `json:"mode"`
	PhysicalType         *CodeableConcept `json:"physicalType,omitempty"`
	ManagingOrganization *Reference       `json:"managingOrganization,omitempty"`
}

// StatusHistory is one state of an encounter with its period.
type StatusHistory struct {
	Status string `json:"status"`
	Period Period `json:"period"`
}

// EncounterDiagnosis links a condition to an encounter.
type EncounterDiagnosis struct {
	Condition Reference        `json:"condition"`
	Use       *CodeableConcept `json:"use,omitempty"`
	Rank      int              `json:"rank,omitempty"`
}

// EncounterLocation is where an encounter took place.
type EncounterLocation struct {
	Location Reference `json:"location"`
}

// Encounter is FHIR Encounter.
type Encounter struct {
	ResourceType    string               `json:"resourceType"`
	ID              string               `json:"id"`
	Meta            *Meta                `json:"meta,omitempty"`
	Identifier      []Identifier         `json:"identifier,omitempty"`
	Status          string               `json:"status"`
	StatusHistory   []StatusHistory      `json:"statusHistory,omitempty"`
	Class           Coding               `json:"class"`
	Subject         Reference            `json:"subject"`
	Period          *Period              `json:"period,omitempty"`
	Location        []EncounterLocation  `json:"location,omitempty"`
	Diagnosis       []EncounterDiagnosis `json:"diagnosis,omitempty"`
	ServiceProvider *Reference           `json:"serviceProvider,omitempty"`
}

// Condition is FHIR Condition.
type Condition struct {
	ResourceType   string            `json:"resourceType"`
	ID             string            `json:"id"`
	Meta           *Meta             `json:"meta,omitempty"`
	Identifier     []Identifier      `json:"identifier,omitempty"`
	ClinicalStatus *CodeableConcept  `json:"clinicalStatus,omitempty"`
	Category       []CodeableConcept `json:"category,omitempty"`
	Code           CodeableConcept   `json:"code"`
	Subject        Reference         `json:"subject"`
	Encounter      *Reference        `json:"encounter,omitempty"`
	RecordedDate   string            `json:"recordedDate,omitempty"`
}

// Observation is FHIR Observation.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id"`
	Meta              *Meta             `json:"meta,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Code              CodeableConcept   `json:"code"`
	Subject           Reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime,omitempty"`
	Issued            string            `json:"issued,omitempty"`
	Performer         []Reference       `json:"performer,omitempty"`
	ValueQuantity     *Quantity         `json:"valueQuantity,omitempty"`
	Note              []Annotation      `json:"note,omitempty"`
}

// BundleLink is a paging link.
type BundleLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

// BundleSearch marks a search match.
type BundleSearch struct {
	Mode string `json:"mode"`
}

// BundleEntry is one resource of a bundle.
type BundleEntry struct {
	FullURL  string        `json:"fullUrl,omitempty"`
	Resource any           `json:"resource"`
	Search   *BundleSearch `json:"search,omitempty"`
}

// Bundle is FHIR Bundle (searchset or collection).
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Meta         *Meta         `json:"meta,omitempty"`
	Type         string        `json:"type"`
	Timestamp    string        `json:"timestamp,omitempty"`
	Total        *int          `json:"total,omitempty"`
	Link         []BundleLink  `json:"link,omitempty"`
	Entry        []BundleEntry `json:"entry,omitempty"`
}

// OperationOutcome reports an error.
type OperationOutcome struct {
	ResourceType string  `json:"resourceType"`
	Issue        []Issue `json:"issue"`
}

// Issue is one problem of an OperationOutcome.
type Issue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics,omitempty"`
}

// Outcome builds an error OperationOutcome (code: not-found, invalid, …).
func Outcome(code, diagnostics string) OperationOutcome {
	return OperationOutcome{ResourceType: "OperationOutcome", Issue: []Issue{{Severity: "error", Code: code, Diagnostics: diagnostics}}}
}
