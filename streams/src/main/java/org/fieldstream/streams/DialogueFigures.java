package org.fieldstream.streams;

/** The figures of a dialogue's summary row: held date, attendance records by sex, identified persons, as_of day. */
record DialogueFigures(int heldOnDay, int attendees, int attendeesFemale, int attendeesMale, int attendeesOther, int attendeesUnknown,
                       int identifiedPersons, int asOfDay) {
}
