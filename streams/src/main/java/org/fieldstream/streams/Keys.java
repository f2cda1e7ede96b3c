package org.fieldstream.streams;

/** Store and topic keys: fields joined by '|'; ids never contain '|'. */
final class Keys {

    static final String SEP = "|";

    private Keys() {
    }

    static String join(String... parts) {
        return String.join(SEP, parts);
    }

    static String prefix(String... parts) {
        return String.join(SEP, parts) + SEP;
    }
}
