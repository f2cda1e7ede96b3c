package org.fieldstream.platform;

import java.util.List;

/**
 * The ClickHouse users of a local stack, one per kind of work, each with only what that work needs
 * (ClickHouse 18.16 grants by profile and {@code allow_databases}):
 * <ul>
 *   <li>{@code writer}: the sink; may write and migrate the main database, and no other;</li>
 *   <li>{@code reader}: reports, the dashboard, {@code status}; {@code readonly = 1} on the main database only;</li>
 *   <li>{@code admin}: the analyst administrator ({@code analyst} and {@code up}'s scope refresh); DDL on every
 *       database, since it creates the analysts' scope databases on demand and 18.16's {@code allow_databases}
 *       has no wildcard and is checked by {@code CREATE DATABASE}.</li>
 * </ul>
 * {@code default} has no network it may connect from, so nobody logs in as it.
 */
public record StackClickHouseUsers(String database, Login writer, Login reader, Login admin) {

    /** A user name and its password (never printed). */
    public record Login(String user, String password) {
        public Login {
            if (user == null || !user.matches("[A-Za-z_][A-Za-z0-9_]*") || user.equals("default")) {
                throw new IllegalArgumentException("a ClickHouse user of the stack is a plain name other than default");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("the ClickHouse user " + user + " needs a password");
            }
        }

        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    public StackClickHouseUsers {
        if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("the stack's database is a plain name");
        }
        if (List.of(writer.user(), reader.user(), admin.user()).stream().distinct().count() != 3) {
            throw new IllegalArgumentException("the writer, reader and admin of the stack are three users");
        }
    }
}
