package org.fieldstream.producers;

/**
 * Why a row cannot become an event. Thrown by validation and caught per row; no stack trace, since
 * bad rows are expected input, not bugs.
 */
final class RowRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final boolean foreign;

    RowRejection(String field, String reason) {
        this(field, reason, false);
    }

    RowRejection(String field, String reason, boolean foreign) {
        super(reason, null, false, false);
        this.field = field;
        this.foreign = foreign;
    }

    /** A row that claims another partner's or program's data. */
    static RowRejection foreign(String field, String reason) {
        return new RowRejection(field, reason, true);
    }

    String field() {
        return field;
    }

    String reason() {
        return getMessage();
    }

    boolean isForeign() {
        return foreign;
    }
}
