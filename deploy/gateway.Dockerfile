# syntax=docker/dockerfile:1
# Kiln API gateway image. Build from the repository root (docker-compose.yml does):
#   docker build -f deploy/gateway.Dockerfile -t kiln-gateway .

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# why: the cache mount keeps ~/.m2 between builds, so a code change does not download the
# dependencies again. Formatting and tests are checked by ./kiln test in CI, not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl api-gateway -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 kiln \
 && useradd --system --uid 10001 --gid kiln --home-dir /deployments --no-create-home \
      --shell /usr/sbin/nologin kiln
WORKDIR /deployments
# The Quarkus fast-jar is a directory (quarkus-run.jar plus lib/, app/, quarkus/): copy it whole.
COPY --from=build /src/api-gateway/target/quarkus-app/ /deployments/
# The application files stay root-owned and read-only; the process writes only to /tmp
# (multipart uploads are spooled under java.io.tmpdir).
USER 10001:10001
EXPOSE 8080
# why: exec form makes the JVM PID 1, so it receives SIGTERM and shuts down gracefully;
# MaxRAMPercentage sizes the heap from the container's memory limit.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", \
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", \
            "-jar", "/deployments/quarkus-run.jar"]
