package dev.kiln.gateway.events;

import java.util.List;

/**
 * One message on {@code kiln.relay}: the events one store batch committed.
 *
 * @param writer the storing replica's relay id, new for every process start
 * @param seq 1, 2, 3… per writer; a replica that sees a jump lost relay messages
 * @param events the stored events, in id order
 */
public record RelayBatch(String writer, long seq, List<StoredEvent> events) {}
