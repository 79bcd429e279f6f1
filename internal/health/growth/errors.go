package growth

// Code is a stable, machine-readable reason why an input was refused. The
// web layer translates it into a message; the values never change once
// shipped.
type Code string

// Codes for refused input.
const (
	CodeSexInvalid          Code = "growth_sex_invalid"           // neither Male nor Female
	CodeAgeInvalid          Code = "growth_age_invalid"           // negative or not a number
	CodeMeasuredBeforeBirth Code = "growth_measured_before_birth" // measurement date before the date of birth
	CodeWeightOutOfRange    Code = "growth_weight_out_of_range"   // outside MinWeightKg…MaxWeightKg
	CodeLenHeiOutOfRange    Code = "growth_len_hei_out_of_range"  // outside MinLenHeiCm…MaxLenHeiCm
	CodePositionInvalid     Code = "growth_position_invalid"      // not Lying, Standing or unknown
	CodeIndicatorInvalid    Code = "growth_indicator_invalid"     // not one of the Indicator constants
	CodeSDOutOfRange        Code = "growth_sd_out_of_range"       // an SD line beyond ±MaxCurveSD
)

// Field names used in InputError.Field: the form value that is wrong.
const (
	FieldSex        = "sex"
	FieldAgeDays    = "age_days"
	FieldAgeMonths  = "age_months"
	FieldMeasuredOn = "measured_on"
	FieldWeight     = "weight_kg"
	FieldLenHei     = "len_hei_cm"
	FieldPosition   = "position"
	FieldIndicator  = "indicator"
	FieldSD         = "sd"
)

// InputError is an input that cannot describe a real child measured on a
// scale or a length board. Field and Code are for programs; Detail is an
// English explanation for developers. Detail never contains the value,
// because errors end up in logs and measurements are health data (UU
// 27/2022).
type InputError struct {
	Field  string
	Code   Code
	Detail string
}

func (e *InputError) Error() string {
	return "growth: " + e.Field + ": " + e.Detail
}
