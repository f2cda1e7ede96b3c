package org.fieldstream.reports;

/** A request the report command refuses: bad arguments, unknown filter values. The message is for the analyst. */
public final class ReportError extends RuntimeException {

    public ReportError(String message) {
        super(message);
    }
}
