package org.fieldstream.seeds;

/** One valid row as the generator wrote it: its file, the record, its revision and whether it retracts the record. */
public record SentRow(String file, FieldRecord record, int revision, boolean retracted) {
}
