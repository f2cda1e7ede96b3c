package org.fieldstream.producers;

/**
 * Why a row cannot become an event: the field, a reason code (lower-case words, the same for every
 * row rejected by one rule; it lands in ClickHouse's {@code rejected_rows}, the wording never does) and
 * the reason's wording. Thrown by validation and caught per row; no stack trace, since bad rows are
 * expected input, not bugs.
 */
final class RowRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String code;
    private final boolean foreign;

    RowRejection(String field, String code, String reason) {
        this(field, code, reason, false);
    }

    RowRejection(String field, String code, String reason, boolean foreign) {
        super(reason, null, false, false);
        this.field = field;
        this.code = code;
        this.foreign = foreign;
    }

    /** A row that claims another partner's or program's data. */
    static RowRejection foreign(String field, String code, String reason) {
        return new RowRejection(field, code, reason, true);
    }

    String field() {
        return field;
    }

    /** The reason code, or null when the rule has none (a malformed row: the sink reads the wording). */
    String code() {
        return code;
    }

    String reason() {
        return getMessage();
    }

    boolean isForeign() {
        return foreign;
    }
}
