package org.fieldstream.streams;

/** The figures of a dialogue's summary row: held date, attendance records by sex, identified persons, as_of day. */
record DialogueFigures(int heldOnDay, int attendees, int female, int male, int other, int unknown, int identified, int asOfDay) {
}
