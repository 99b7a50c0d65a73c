-- Token buckets change on every submission, and every key's submissions update one row. Logged,
-- each update waited for its own WAL flush while holding that row's lock, so a key's submissions
-- went one fsync at a time. Unlogged, a transaction that touches only this table commits without
-- a flush. What is lost on a crash (the table comes back empty) is harmless: buckets start full.
alter table rate_buckets set unlogged;
