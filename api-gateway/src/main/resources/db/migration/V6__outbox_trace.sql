-- The W3C traceparent of the request that wrote an outbox row, so the relay publishes the message
-- in that request's trace. Null for rows written before tracing and outside any trace.
alter table outbox add column traceparent text;
