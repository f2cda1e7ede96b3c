package org.fieldstream.producers.json;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;

/** A JSON array of row objects, read element by element; refs are {@code <name>#<n>}. */
public final class JsonArraySource implements RowSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonParser parser;
    private final String name;
    private final Layout defaultLayout;
    private long rows;

    private JsonArraySource(JsonParser parser, String name, Layout defaultLayout) {
        this.parser = parser;
        this.name = name;
        this.defaultLayout = defaultLayout;
    }

    public static JsonArraySource open(InputStream in, String name, Layout defaultLayout)
            throws IOException, UnusableInputException {
        JsonParser parser = JSON.getFactory().createParser(in);
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            parser.close();
            throw new UnusableInputException(name + ": expected a JSON array of objects");
        }
        return new JsonArraySource(parser, name, defaultLayout);
    }

    @Override
    public String name() {
        return name;
    }

    /** Throws {@link com.fasterxml.jackson.core.JsonProcessingException} when the array itself is broken. */
    @Override
    public SourceRow next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return null;
        }
        if (token == null) {
            throw new JsonParseException(parser, "the JSON array is not closed");
        }
        rows++;
        JsonNode node = JSON.readTree(parser);
        return JsonRows.toRow(node, defaultLayout, name + "#" + rows);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
