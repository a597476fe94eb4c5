-- Business calendars belong to the service provider: no organisation column.
CREATE TABLE sla_calendars (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    -- [{"day":"monday","ranges":[{"start":"09:00","end":"12:00"}]}], normalised by the use cases
    working_hours TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Holidays and weekend days worked instead (China's 调休), one row per calendar and date.
CREATE TABLE sla_calendar_dates (
    calendar_id TEXT NOT NULL REFERENCES sla_calendars (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working-day')),
    name TEXT NOT NULL,
    PRIMARY KEY (calendar_id, date)
);
