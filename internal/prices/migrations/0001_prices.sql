-- Market prices, the city's price index and commodity inflows.
--
-- Prices are DOUBLE PRECISION rupiah per commodity unit: enumerators and
-- imports may give decimals (a price per ons converted to kg), and every
-- computation (logarithms, geometric means, index relatives) is floating
-- point anyway. Calendar days are TEXT 'YYYY-MM-DD' in the city's time zone
-- (WITA), months 'YYYY-MM'; instants are TEXT in database.TimeLayout (UTC).

-- Traditional markets. unit_code is the unit that owns the market's data:
-- enumerators of that unit enter its prices and supervisors of that unit
-- (or above it) review them.
CREATE TABLE price_markets (
	id         {{pk}},
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	address    TEXT NOT NULL DEFAULT '',
	lat        DOUBLE PRECISION,
	lon        DOUBLE PRECISION,
	unit_code  TEXT NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Commodities: group_code is BPS's expenditure group (01–11); category
-- groups the public board (beras, ikan, …).
CREATE TABLE price_commodities (
	id         {{pk}},
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	variety    TEXT NOT NULL DEFAULT '',
	unit       TEXT NOT NULL,
	group_code TEXT NOT NULL,
	category   TEXT NOT NULL DEFAULT 'lainnya',
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- HET (ceiling) and HAP (reference) prices. '' in valid_from / valid_to
-- leaves that end open; when several are valid on a day the one that
-- started last applies (a temporary relaxation inside a longer rule).
CREATE TABLE price_references (
	id           {{pk}},
	commodity_id BIGINT NOT NULL REFERENCES price_commodities (id),
	kind         TEXT NOT NULL,
	price        DOUBLE PRECISION NOT NULL,
	legal_basis  TEXT NOT NULL DEFAULT '',
	valid_from   TEXT NOT NULL DEFAULT '',
	valid_to     TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL
);
CREATE INDEX price_references_commodity ON price_references (commodity_id, valid_from);

-- Traders (stalls) whose prices an enumerator asks for in a market.
CREATE TABLE price_traders (
	id         {{pk}},
	market_id  BIGINT NOT NULL REFERENCES price_markets (id),
	name       TEXT NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (market_id, name)
);

-- Index baskets. dirty_seq counts changes to the basket or its prices;
-- clean_seq is the dirty_seq the stored results were computed from, so
-- the results are current exactly when the two are equal.
CREATE TABLE price_baskets (
	id          {{pk}},
	name        TEXT NOT NULL UNIQUE,
	base_month  TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	dirty_seq   BIGINT NOT NULL DEFAULT 1,
	clean_seq   BIGINT NOT NULL DEFAULT 0,
	computed_at TEXT,
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

-- weight = base-period expenditure value of the commodity (P0·Q0).
CREATE TABLE price_basket_weights (
	basket_id    BIGINT NOT NULL REFERENCES price_baskets (id),
	commodity_id BIGINT NOT NULL REFERENCES price_commodities (id),
	weight       DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (basket_id, commodity_id)
);
CREATE INDEX price_basket_weights_commodity ON price_basket_weights (commodity_id, basket_id);

-- One price seen at one trader (or none) in one market on one day.
-- status: pending (entered, awaiting routine approval), flagged (deviates
-- from the previous price or the market median; carries the enumerator's
-- reason), approved, corrected, rejected (left out of every aggregate).
--
-- The market, commodity and trader ids carry no foreign keys: this is the
-- one table of millions of rows, a foreign key costs every inserted price
-- three lookups (it halves a PostgreSQL import), and what they would
-- guard cannot happen here: markets, commodities and traders are never
-- deleted (they are deactivated), and every writer takes the ids from
-- those tables (imports by code, entries by lookup).
CREATE TABLE price_observations (
	id           {{pk}},
	day          TEXT NOT NULL,
	market_id    BIGINT NOT NULL,
	commodity_id BIGINT NOT NULL,
	trader_id    BIGINT,
	price        DOUBLE PRECISION NOT NULL CHECK (price > 0),
	status       TEXT NOT NULL,
	reason       TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL,
	entered_by   BIGINT,
	created_at   TEXT NOT NULL,
	reviewed_by  BIGINT,
	reviewed_at  TEXT
);
-- Aggregate refreshes read one commodity over a range of days, all
-- markets; the order (commodity, day, market) is also the GROUP BY order,
-- so grouping needs no sort, and status and price make the index covering
-- on SQLite (a ten-year import is refreshed from the index alone, not by
-- a random row lookup per price).
CREATE INDEX price_observations_cell ON price_observations (commodity_id, day, market_id, status, price);
-- The review queue lists enumerators' entries only (imports and generated
-- volumes are not reviewed), so the index stays small at city scale.
CREATE INDEX price_observations_review ON price_observations (market_id, day) WHERE source = 'entry';

-- The idempotency key of each enumerator's entry, generated by the phone:
-- a resend after a lost answer finds its key taken and creates nothing.
-- A table of its own rather than a nullable unique column, so that the
-- millions of imported prices carry no key index.
CREATE TABLE price_entry_keys (
	idem_key       TEXT PRIMARY KEY,
	observation_id BIGINT REFERENCES price_observations (id)
);

-- What happened to an entered observation: created, approved, corrected
-- (with the old and new price), rejected.
CREATE TABLE price_observation_history (
	id             {{pk}},
	observation_id BIGINT NOT NULL REFERENCES price_observations (id),
	action         TEXT NOT NULL,
	old_price      DOUBLE PRECISION,
	new_price      DOUBLE PRECISION,
	note           TEXT NOT NULL DEFAULT '',
	actor_id       BIGINT,
	actor_name     TEXT NOT NULL DEFAULT '',
	acted_at       TEXT NOT NULL
);
CREATE INDEX price_observation_history_obs ON price_observation_history (observation_id, id);

-- Aggregates maintained on every write, so that the board, charts and
-- the index never rescan the observations: per day and per month, per
-- market and for the whole city, the sum of ln(price), the count, and the
-- extremes (which pin a geometric mean of equal prices to that price).
-- Rejected observations are left out.
CREATE TABLE price_day_market (
	commodity_id BIGINT NOT NULL,
	day          TEXT NOT NULL,
	market_id    BIGINT NOT NULL,
	sum_log      DOUBLE PRECISION NOT NULL,
	n            BIGINT NOT NULL,
	min_price    DOUBLE PRECISION NOT NULL,
	max_price    DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (commodity_id, day, market_id)
);
-- No index on day alone: this is the largest aggregate (a row per
-- commodity, market and day), and every query names its commodities.

CREATE TABLE price_day_city (
	commodity_id BIGINT NOT NULL,
	day          TEXT NOT NULL,
	sum_log      DOUBLE PRECISION NOT NULL,
	n            BIGINT NOT NULL,
	min_price    DOUBLE PRECISION NOT NULL,
	max_price    DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (commodity_id, day)
);
CREATE INDEX price_day_city_day ON price_day_city (day);

CREATE TABLE price_month_market (
	commodity_id BIGINT NOT NULL,
	month        TEXT NOT NULL,
	market_id    BIGINT NOT NULL,
	sum_log      DOUBLE PRECISION NOT NULL,
	n            BIGINT NOT NULL,
	min_price    DOUBLE PRECISION NOT NULL,
	max_price    DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (commodity_id, month, market_id)
);

CREATE TABLE price_month_city (
	commodity_id BIGINT NOT NULL,
	month        TEXT NOT NULL,
	sum_log      DOUBLE PRECISION NOT NULL,
	n            BIGINT NOT NULL,
	min_price    DOUBLE PRECISION NOT NULL,
	max_price    DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (commodity_id, month)
);

-- The published index of each basket and month, as Compute returned it;
-- andil, group_idx (group indices) and carried are JSON.
CREATE TABLE price_index_results (
	basket_id BIGINT NOT NULL REFERENCES price_baskets (id),
	month     TEXT NOT NULL,
	idx       DOUBLE PRECISION NOT NULL,
	mtm       DOUBLE PRECISION,
	yoy       DOUBLE PRECISION,
	ytd       DOUBLE PRECISION,
	andil     TEXT NOT NULL,
	group_idx TEXT NOT NULL,
	carried   TEXT NOT NULL,
	PRIMARY KEY (basket_id, month)
);

-- Early-warning alerts; one per commodity, kind and ISO week, so a price
-- that stays high is reported once a week, not every day.
CREATE TABLE price_alerts (
	id           {{pk}},
	commodity_id BIGINT NOT NULL REFERENCES price_commodities (id),
	kind         TEXT NOT NULL,
	period       TEXT NOT NULL,
	day          TEXT NOT NULL,
	price        DOUBLE PRECISION NOT NULL,
	compared     DOUBLE PRECISION NOT NULL,
	change_pct   DOUBLE PRECISION NOT NULL,
	ref_kind     TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	UNIQUE (commodity_id, kind, period)
);
CREATE INDEX price_alerts_created ON price_alerts (created_at);

-- Origin regions of inflows (any Indonesian kab/kota by Kemendagri code);
-- the seed is a subset that administrators extend.
CREATE TABLE price_origins (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	province   TEXT NOT NULL DEFAULT '',
	lat        DOUBLE PRECISION,
	lon        DOUBLE PRECISION,
	created_at TEXT NOT NULL
);

-- Where goods enter the city: ports, the fish landing, the airport, roads.
CREATE TABLE price_entry_points (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	mode       TEXT NOT NULL,
	lat        DOUBLE PRECISION,
	lon        DOUBLE PRECISION,
	created_at TEXT NOT NULL
);

-- Arrivals of commodities. quantity_base is the quantity in the
-- commodity's own unit (a ton of rice is 1000 kg), so shares by origin add
-- up; distributor is a business name and never leaves the staff pages.
CREATE TABLE price_inflows (
	id            {{pk}},
	day           TEXT NOT NULL,
	commodity_id  BIGINT NOT NULL REFERENCES price_commodities (id),
	quantity      DOUBLE PRECISION NOT NULL,
	unit          TEXT NOT NULL,
	quantity_base DOUBLE PRECISION NOT NULL,
	origin_code   TEXT NOT NULL REFERENCES price_origins (code),
	mode          TEXT NOT NULL,
	entry_point   TEXT NOT NULL REFERENCES price_entry_points (code),
	distributor   TEXT NOT NULL DEFAULT '',
	idem_key      TEXT UNIQUE,
	recorded_by   BIGINT,
	created_at    TEXT NOT NULL
);
CREATE INDEX price_inflows_day ON price_inflows (day, commodity_id);
CREATE INDEX price_inflows_commodity ON price_inflows (commodity_id, day);

-- One row: a counter bumped by every change the price board shows
-- (prices, reference prices, commodities, markets), so that every server
-- process can cache its board until the counter moves.
CREATE TABLE price_state (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version BIGINT NOT NULL
);
INSERT INTO price_state (id, version) VALUES (1, 1);

-- The module's settings (thresholds), editable by prices.manage.
CREATE TABLE price_settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
