package org.fieldstream.reports;

/**
 * A ClickHouse answer that does not have the shape a report row needs: a column missing, NULL where
 * a figure is never empty, a value that is not a number. Says which view and column.
 */
final class ViewMismatch extends IllegalStateException {

    ViewMismatch(String message) {
        super(message);
    }
}
