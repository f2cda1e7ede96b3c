package org.fieldstream.producers;

/** The input as a whole cannot be read: missing file, no recognisable layout, not JSON at all. */
public final class UnusableInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnusableInputException(String message) {
        super(message);
    }

    public UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
