package org.fieldstream.reports;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A column of a report row record: its heading, how it is shown, the SQL it is read from and whether
 * it may be empty. The record component's name in snake_case is the column's name in the query,
 * the report and the page ({@link RowType}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface Col {

    /** The heading on the dashboard. */
    String value();

    /** How the figure is shown; AUTO: a whole number is a count, a fraction a rate, anything else text. */
    Kind kind() default Kind.AUTO;

    /** The SQL expression the column is read from, when it is not the column of the same name. */
    String from() default "";

    /**
     * True when SQL NULL is a legitimate value (shown as "–"); otherwise a NULL is an error naming
     * the view and the column. Only boxed and text components may be nullable.
     */
    boolean nullable() default false;

    enum Kind { AUTO, ID, TEXT, COUNT, RATE, NUMBER, TIME, LAG }
}
