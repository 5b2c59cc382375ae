//! Serde forms of dates in records: calendar dates as `2024-01-31`, instants as RFC 3339
//! (`2024-01-31T10:00:00+01:00`), so that stored JSON and API payloads read as people write them.

time::serde::format_description!(pub(crate) date, Date, "[year]-[month]-[day]");

pub(crate) use time::serde::rfc3339 as instant;
