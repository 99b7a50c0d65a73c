# syntax=docker/dockerfile:1
# Kiln worker image. Build from the repository root (docker-compose.yml does):
#   docker build -f deploy/worker.Dockerfile -t kiln-worker .

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# why: the cache mount keeps ~/.m2 between builds, so a code change does not download the
# dependencies again. Formatting and tests are checked by ./kiln test in CI, not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl worker -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 kiln \
 && useradd --system --uid 10001 --gid kiln --home-dir /deployments --no-create-home \
      --shell /usr/sbin/nologin kiln
WORKDIR /deployments
# The Quarkus fast-jar is a directory (quarkus-run.jar plus lib/, app/, quarkus/): copy it whole.
COPY --from=build /src/worker/target/quarkus-app/ /deployments/
# The application files stay root-owned and read-only; stages write scratch files to /tmp.
USER 10001:10001
# Health (/q/health/*) and Prometheus metrics (/q/metrics) only; workers take jobs from RabbitMQ.
EXPOSE 9091
ENV QUARKUS_HTTP_PORT=9091
# why: exec form makes the JVM PID 1, so it receives SIGTERM: the worker stops taking jobs,
# waits up to KILN_WORKER_SHUTDOWN_GRACE for the running ones and returns the rest to the queue.
# Give the container longer than that to stop.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", \
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", \
            "-jar", "/deployments/quarkus-run.jar"]
