package fhir

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestBuildEncounter(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	arrived := time.Date(2026, 12, 4, 8, 5, 0, 0, wita)
	e := BuildEncounter(EncounterIn{ID: 7, OrgID: "ORG-1", PKM: "pkm-oesapa", Poli: "umum", PoliName: "Poli Umum", PatientID: 3, Status: "finished",
		Arrived: arrived, Started: arrived.Add(20 * time.Minute), Finished: arrived.Add(35 * time.Minute), LastUpdated: arrived.Add(35 * time.Minute),
		Diagnoses: []DiagnosisIn{{ID: 11, ICD: "A09.9", Primary: true}, {ID: 12, ICD: "R50.9"}}})
	var states []string
	for _, h := range e.StatusHistory {
		states = append(states, h.Status)
	}
	if strings.Join(states, ",") != "arrived,in-progress,finished" {
		t.Errorf("statusHistory %v", states)
	}
	if e.Period.Start != "2026-12-04T00:05:00Z" || e.Period.End != "2026-12-04T00:40:00Z" {
		t.Errorf("period %+v: want UTC", e.Period)
	}
	if e.StatusHistory[0].Period.End != e.StatusHistory[1].Period.Start {
		t.Error("arrived must end when in-progress starts")
	}
	if e.Identifier[0].System != "http://sys-ids.kemkes.go.id/encounter/ORG-1" || e.Diagnosis[1].Rank != 2 || e.Diagnosis[0].Use.Coding[0].Code != "DD" {
		t.Errorf("identifier %+v, diagnosis %+v", e.Identifier, e.Diagnosis)
	}
	// A visit still waiting has no end and no in-progress state.
	w := BuildEncounter(EncounterIn{ID: 8, Status: "arrived", Arrived: arrived})
	if len(w.StatusHistory) != 1 || w.Period.End != "" {
		t.Errorf("waiting encounter %+v", w)
	}
}

func TestBuildPatientIdentifiers(t *testing.T) {
	birth := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	baby := BuildPatient(PatientIn{ID: 5, MotherNIK: "5371034505900099", Name: "Bayi", Sex: "female", BirthDate: birth})
	if len(baby.Identifier) != 1 || baby.Identifier[0].System != SystemNIKIbu {
		t.Errorf("newborn identifiers %+v", baby.Identifier)
	}
	adult := BuildPatient(PatientIn{ID: 6, NIK: "5371034505900099", MotherNIK: "5371010101700001", Name: "Yuliana", Sex: "female", BirthDate: birth})
	if len(adult.Identifier) != 1 || adult.Identifier[0].System != SystemNIK {
		t.Errorf("a patient with a NIK is identified by it alone: %+v", adult.Identifier)
	}
	b, _ := json.Marshal(adult)
	if !strings.Contains(string(b), `"birthDate":"2026-11-01"`) {
		t.Errorf("%s", b)
	}
}

func TestObservations(t *testing.T) {
	w, h, z := 7.5, 68.0, -3.21
	obs := BuildObservations(MeasurementIn{ID: 9, OrgID: "pkm-oesapa", PKM: "pkm-oesapa", PatientID: 3, MeasuredOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		Recorded: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC), WeightKg: &w, LenHeiCm: &h, Lying: true, HAZ: &z})
	var codes []string
	for _, o := range obs {
		codes = append(codes, o.ID+"="+o.Code.Coding[0].Code)
	}
	if strings.Join(codes, " ") != "m9-weight=29463-7 m9-height=8306-3 m9-haz=haz" {
		t.Errorf("observations %v", codes)
	}
}
