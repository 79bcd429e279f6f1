package health

import "net/http"

// SetDemoVolume lets the tests choose the demo volume and returns a
// function restoring the default.
func SetDemoVolume(patientsPerPKM, visits, days, children, months int) func() {
	old, oldSet := demoVolume, demoVolumeSet
	demoVolume = volume{PatientsPerPKM: patientsPerPKM, Visits: visits, Days: days, Children: children, Months: months}
	demoVolumeSet = true
	return func() { demoVolume, demoVolumeSet = old, oldSet }
}

// FullDemoVolume makes the next demo the one serve --demo seeds.
func FullDemoVolume() func() {
	old, oldSet := demoVolume, demoVolumeSet
	demoVolumeSet = true
	return func() { demoVolume, demoVolumeSet = old, oldSet }
}

// ZScoresHandler is the calculator API's handler without the route's
// rate limit, for the benchmark.
func (m *Module) ZScoresHandler() http.HandlerFunc { return m.apiZScores }
