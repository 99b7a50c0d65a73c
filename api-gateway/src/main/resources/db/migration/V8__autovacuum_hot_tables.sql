-- Every job inserts and then deletes an outbox row and updates its jobs row several times. With
-- PostgreSQL's default thresholds (20% of the table), dead rows pile up between vacuums: the
-- relay's claim walks dead outbox entries in id order and the quota count walks dead entries of
-- the active-jobs index. Vacuum these tables after a fixed number of changes instead, and let the
-- outbox's vacuum run unthrottled: the table only ever holds a few live rows.
alter table outbox set (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_threshold = 10000,
    autovacuum_vacuum_cost_delay = 0
);
alter table jobs set (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);
