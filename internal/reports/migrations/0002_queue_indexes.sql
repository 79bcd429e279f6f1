-- The city-wide queue (administrators) filters by kelurahan without a
-- unit, and with 1,000,000 reports that scanned the whole history in id
-- order (p95 150 ms). (kelurahan_code, id) serves it and also the public
-- list by kelurahan (which then skips the few confidential rows), so it
-- replaces (listed, kelurahan_code, id) and the intake writes no more
-- index entries than before. (category, kelurahan, id) serves the rare
-- combinations of both filters with a finished status, which otherwise
-- read every report of the kelurahan. (status, id) serves the city-wide
-- queue by one status: a planner that estimates "ditutup" at an average
-- share sorted hundreds of thousands of closed reports (1.4 s) instead of
-- reading the newest 50.
DROP INDEX IF EXISTS reports_listed_kelurahan;
CREATE INDEX IF NOT EXISTS reports_kelurahan ON reports (kelurahan_code, id);
CREATE INDEX IF NOT EXISTS reports_category_kelurahan ON reports (category_code, kelurahan_code, id);
CREATE INDEX IF NOT EXISTS reports_status ON reports (status, id);
