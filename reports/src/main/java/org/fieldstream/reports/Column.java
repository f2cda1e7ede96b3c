package org.fieldstream.reports;

/** A column of a report table: its name in the query, the report and the page, its heading, how it is shown. */
record Column(String name, String label, Col.Kind kind) {
}
