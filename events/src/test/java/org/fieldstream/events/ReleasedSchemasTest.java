package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Released schema copies ({@code src/main/resources/released/<Name>/v<N>.avsc}) are written by this
 * command, never by hand: a published type whose current schema is not its latest released one gets
 * {@code v<N+1>.avsc}, the schema as Avro prints it.
 * <pre>
 * mvn -o -q -B -pl events test -Dtest=ReleasedSchemasTest -Dfieldstream.write=released-schemas
 * </pre>
 * Without the property the test fails while a copy is missing or differs from what the command writes.
 */
class ReleasedSchemasTest {

    static final String COMMAND = "mvn -o -q -B -pl events test -Dtest=ReleasedSchemasTest -Dfieldstream.write=released-schemas";
    private static final Path RELEASED = Path.of("src/main/resources/released");

    /** A released copy to write: where and what. */
    record Copy(Path file, String text) {
    }

    @Test
    void everyCurrentSchemaIsReleasedAsTheCommandWritesIt() throws IOException {
        List<Copy> missing = missing();
        if ("released-schemas".equals(System.getProperty("fieldstream.write"))) {
            for (Copy copy : missing) {
                Files.createDirectories(copy.file().getParent());
                Files.writeString(copy.file(), copy.text());
            }
            return;
        }
        assertEquals(List.of(), missing.stream().map(Copy::file).toList(), "released schema copies missing: run " + COMMAND);
        SchemaCompatibilityTest.publishedTypes().forEach(type -> {
            Schema current = AvroCodec.of(type).schema();
            Path latest = RELEASED.resolve(current.getName()).resolve("v" + AvroCodec.of(type).releasedSchemas().size() + ".avsc");
            try {
                assertEquals(text(current), Files.readString(latest), latest + " is not what " + COMMAND + " writes");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** For every published type whose current schema differs from its latest released one, the next version's copy. */
    static List<Copy> missing() {
        List<Copy> missing = new ArrayList<>();
        SchemaCompatibilityTest.publishedTypes().forEach(type -> {
            AvroCodec<? extends SpecificRecord> codec = AvroCodec.of(type);
            List<Schema> released = codec.releasedSchemas();
            if (released.isEmpty() || !released.get(released.size() - 1).equals(codec.schema())) {
                Path file = RELEASED.resolve(codec.schema().getName()).resolve("v" + (released.size() + 1) + ".avsc");
                missing.add(new Copy(file, text(codec.schema())));
            }
        });
        return List.copyOf(missing);
    }

    static String text(Schema schema) {
        return schema.toString(true) + "\n";
    }
}
