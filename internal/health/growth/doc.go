// Package growth owns the assessment of a child's growth against the WHO
// Child Growth Standards (2006), computed the way WHO Anthro computes it: the
// z-scores length/height-for-age (HAZ), weight-for-age (WAZ),
// weight-for-length/height (WHZ) and BMI-for-age (BAZ), WHO's flags for
// implausible values, the nutritional-status categories of Permenkes 2/2020,
// and the SD reference curves that growth charts draw.
//
// The LMS tables are WHO's own, embedded from who/*.txt (copied unchanged
// from the WorldHealthOrganization/anthro package, which ships the tables
// WHO Anthro uses) and parsed once when the package is initialised. The
// rules follow the current anthro R package (anthro_zscores) where it is
// more precise than WHO's older igrowup macros:
//
//   - age is a whole number of days; a child is covered while the
//     unrounded age is under 60 months, that is up to 1826 days;
//   - length/height is standardised to recumbent length under 731 days and
//     to standing height from 731 days (±0.7 cm);
//   - a standing measurement under 9 months is implausible: it is not
//     adjusted and is flagged;
//   - weight-based z-scores are not computed with oedema;
//   - z-scores are rounded to 2 decimals before WHO's flags and the
//     Permenkes cut-offs are applied, as WHO Anthro reports and classifies
//     them.
//
// Nothing here stores data or knows about children's records: callers pass
// measurements in and get numbers, flags and category codes back.
package growth
