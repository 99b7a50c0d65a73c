package dev.kiln.gateway.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Keeps the spans of tests in memory; Quarkus exports to every SpanExporter bean. */
public class InMemorySpanExporterProducer {

  @Produces
  @Singleton
  InMemorySpanExporter inMemorySpanExporter() {
    return InMemorySpanExporter.create();
  }
}
