package org.fieldstream.producers;

import java.io.Closeable;
import java.io.IOException;

/** Rows of one input (file, request body, export), read lazily so long files need no memory. */
public interface RowSource extends Closeable {

    /** The next row, or null at the end. */
    SourceRow next() throws IOException;

    /** A short name for summaries: the file name or request id. */
    String name();
}
