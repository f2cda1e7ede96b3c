package org.fieldstream.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.fieldstream.clickhouse.Sql;

/**
 * What an analyst may read: one program ({@code partner == null}) or one partner of one program.
 * Its rows are those whose {@code program_id} (and {@code partner_id}) equal the scope's; its
 * database, next to the main database, holds the analyst views of that scope under their usual names.
 */
public record AnalystScope(String program, String partner) {

    public enum Role {
        PROGRAM, PARTNER;

        public static Role parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "program" -> PROGRAM;
                case "partner" -> PARTNER;
                default -> throw new IllegalArgumentException("role " + text + ": expected program or partner"
                        + " (the viewer role has no SQL account)");
            };
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AnalystScope {
        if (program == null || program.isBlank()) {
            throw new IllegalArgumentException("a scope names a program");
        }
        if (partner != null && partner.isBlank()) {
            partner = null;
        }
    }

    public static AnalystScope of(Role role, String program, String partner) {
        if (role == Role.PARTNER && (partner == null || partner.isBlank())) {
            throw new IllegalArgumentException("role partner needs --partner");
        }
        if (role == Role.PROGRAM && partner != null && !partner.isBlank()) {
            throw new IllegalArgumentException("role program reads the whole program: no --partner");
        }
        return new AnalystScope(program, role == Role.PARTNER ? partner : null);
    }

    public Role role() {
        return partner == null ? Role.PROGRAM : Role.PARTNER;
    }

    /**
     * The scope's database: {@code <main>_program_<program>} or {@code <main>_partner_<program>_<partner>},
     * ids lower-cased with every other character than a-z, 0-9 and _ as _, and a short hash of the
     * ids when that changed them (so two ids never share a database).
     */
    public String database(String mainDatabase) {
        String ids = partner == null ? program : program + "_" + partner;
        String plain = ids.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String suffix = plain.equals(ids) ? "" : "_" + hash(partner == null ? program : program + "\n" + partner);
        return Sql.identifier(mainDatabase) + "_" + role().text() + "_" + plain + suffix;
    }

    /** The filter every row of the scope passes. */
    public String filter() {
        return "program_id = " + Sql.literal(program) + (partner == null ? "" : " AND partner_id = " + Sql.literal(partner));
    }

    /**
     * The filter of a view with these columns, or empty when the view cannot be limited to the scope
     * (it is then not offered): {@code program_id} for a program; for a partner also {@code partner_id},
     * or the partner's cells of a view by dimension ({@code dimension = 'partner'}, {@code dimension_id}).
     */
    public Optional<String> filterFor(Set<String> columns) {
        if (!columns.contains("program_id")) {
            return Optional.empty();
        }
        if (partner == null || columns.contains("partner_id")) {
            return Optional.of(filter());
        }
        if (columns.contains("dimension") && columns.contains("dimension_id")) {
            return Optional.of("program_id = " + Sql.literal(program) + " AND dimension = 'partner' AND dimension_id = "
                    + Sql.literal(partner));
        }
        return Optional.empty();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return partner == null ? "program " + program : "partner " + partner + " of program " + program;
    }
}
