package org.fieldstream.producers.forms;

import com.fasterxml.jackson.databind.JsonNode;

/** Form paths in JSON exports: Kobo names fields by full group path ("meta/instanceID"), OData nests groups as objects. */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The node at {@code path}: the key itself when present, else the nested objects along it; or null. */
    public static JsonNode lookup(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.has(path)) {
            return node.get(path);
        }
        JsonNode current = node;
        for (String part : path.split("/")) {
            current = current.get(part);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
