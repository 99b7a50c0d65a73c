package dev.kiln.gateway.jobs;

import java.util.UUID;

/** Where to go next from a job; paths relative to the gateway root. */
public record JobLinks(String self, String events, String artifacts, String cancel, String retry) {

  public static JobLinks of(UUID id) {
    String self = "/api/v1/jobs/" + id;
    return new JobLinks(
        self, self + "/events", self + "/artifacts", self + "/cancel", self + "/retry");
  }
}
