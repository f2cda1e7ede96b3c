# The pipeline image: every stage of FieldStream, chosen by the first argument (streams, sink, serve, ingest ...).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/fieldstream
# the stage runtime only: no broker, no ClickHouse launcher, no test or benchmark libraries (stages/README.md)
COPY --from=build /src/stages/target/classes ./classes
COPY --from=build /src/stages/target/lib ./lib
# in a container the push endpoint serves the container network (a local run binds loopback)
ENV FIELDSTREAM_HTTP_BIND=0.0.0.0
ENTRYPOINT ["java", "-Xmx1g", "-cp", "classes:lib/*", "org.fieldstream.app.FieldStream"]
