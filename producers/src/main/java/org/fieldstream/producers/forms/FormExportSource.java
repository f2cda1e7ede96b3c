package org.fieldstream.producers.forms;

import java.util.Iterator;
import java.util.List;

import org.fieldstream.producers.Layout;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;

/** Rows of one form export (read up front: exports are small and need joining), from a tool named by {@link #sourceName()}. */
public final class FormExportSource implements RowSource {

    private final String name;
    private final String source;
    private final Layout layout;
    private final Iterator<SourceRow> rows;

    public FormExportSource(String name, String source, Layout layout, List<SourceRow> rows) {
        this.name = name;
        this.source = source;
        this.layout = layout;
        this.rows = List.copyOf(rows).iterator();
    }

    @Override
    public SourceRow next() {
        return rows.hasNext() ? rows.next() : null;
    }

    @Override
    public String name() {
        return name;
    }

    /** The events' source field: kobo or odk. */
    public String sourceName() {
        return source;
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public void close() {
        // everything was read up front
    }
}
