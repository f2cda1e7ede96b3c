package org.fieldstream.streams;

/** The figures of a dialogue attendance row (one role and sex): attendance records, the dialogue's date, as_of day. */
record AttendanceFigures(int attendees, int heldOnDay, int asOfDay) {
}
