package dev.kiln.bench.sse;

import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.client.BenchTenant;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * What the SSE benches need of the platform: the suite's tenant with a submitter key (revoked by
 * {@link #close}), the gateway's socket address for the raw SSE clients, and no-op submissions.
 */
final class BenchApi implements AutoCloseable {

  private final BenchTarget target;
  private final BenchTenant tenant;
  final String key;

  BenchApi(BenchTarget target) throws Exception {
    this.target = target;
    this.tenant = BenchTenant.open(new KilnHttp(target.gateway()), target.adminKey(), "sse");
    this.key = tenant.key();
  }

  InetSocketAddress address() {
    URI uri = URI.create(target.gateway());
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** Submits one no-op synthetic job; returns its id. */
  String submit() throws Exception {
    return NoOpJobs.submitOne(tenant.http(), key, Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    tenant.close();
  }
}
