// Package regions owns the administrative regions of the city the platform serves: the city
// (kabupaten/kota), its kecamatan and their kelurahan (or desa), with Kemendagri codes, postcodes,
// centroids and boundary polygons, and the lookup that places a GPS point in a kelurahan
// (DOMAIN.md §1).
//
// A region is data, not code. A profile is a directory holding profile.json and the five files it
// names:
//
//	profile.json          code, name, province, time zone, map view, and the file names below
//	wilayah.csv           code,name,level,parent_code: one city row (level kabupaten_kota), its
//	                      kecamatan, and their kelurahan or desa
//	kelurahan_detail.csv  code,name,kecamatan_code,kecamatan,kodepos,centroid_lat,centroid_lng,area_km2
//	kelurahan.geojson     FeatureCollection, one Polygon or MultiPolygon per kelurahan, [lng,lat],
//	                      properties code, name, parent_code
//	kecamatan.geojson     FeatureCollection, one feature per kecamatan, properties code, name,
//	                      parent_code, area_km2, label_lat, label_lng
//	kota.geojson          FeatureCollection holding the city outline, properties code, area_km2
//
// Other files of the directory hold city data that other packages read through Profile.File
// (units.csv for internal/platform/units).
//
// Kota Kupang (53.71) is embedded under profiles/kupang and loads with LoadEmbedded("kupang");
// another kota or kabupaten loads from a directory of the same shape with LoadDir, without code
// changes. Loading checks that the files agree with each other and names the file and line at
// fault, so a bad profile stops the program at start-up instead of misplacing reports later.
//
// Codes are opaque strings ("53.71.03.1010"): compare them, never parse them or do arithmetic on
// them. A loaded Profile is never modified, so it is safe for concurrent use.
package regions
