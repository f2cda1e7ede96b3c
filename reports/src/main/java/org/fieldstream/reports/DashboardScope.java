package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.Sql;

/**
 * What a logged-in analyst reads: their scope database (the analyst views under their usual names,
 * filtered by ClickHouse, see docs/security.md) and the program, or the partner of a program, it
 * holds. Found by asking ClickHouse as the analyst: of the main database's scope databases, the one
 * they may read. Everything here only narrows what the page asks for; ClickHouse decides what the
 * analyst gets.
 *
 * A viewer (no SQL account, {@link ViewerAccounts}) is read as their program's internal reader: the
 * same program scope, {@code viewer} true, {@code user} the viewer's name; they see published
 * figures only ({@link #personLevel()}).
 *
 * @param partner null for a program analyst and a viewer
 */
record DashboardScope(String user, String database, String program, String partner, boolean viewer) {

    DashboardScope(String user, String database, String program, String partner) {
        this(user, database, program, partner, false);
    }

    /** A filter naming a program or partner outside the analyst's scope (HTTP 403). */
    static final class Outside extends RuntimeException {
        Outside(String message) {
            super(message);
        }
    }

    /** ClickHouse's codes for a login it refuses: unknown user, wrong or missing password, address not allowed, authentication failed. */
    private static final List<Integer> LOGIN_REFUSED = List.of(192, 193, 194, 195, 516);

    static boolean loginRefused(ClickHouseGateway.ClickHouseFailure failure) {
        return LOGIN_REFUSED.contains(failure.serverCode())
                || failure.getMessage() != null && failure.getMessage().contains("Authentication failed");
    }

    /**
     * The scope of the user {@code analyst} logs in as, or null when that user is no analyst of
     * {@code mainDatabase}: it may read the main database (a privileged user), or not exactly one scope
     * database. A refused login or a ClickHouse that does not answer is thrown as the gateway throws it.
     */
    static DashboardScope of(ClickHouseGateway analyst, String mainDatabase, String user) {
        analyst.queryValue("SELECT 1");
        if (readable(analyst, Sql.qualified(mainDatabase, "v_partners"))) {
            return null;
        }
        String programPrefix = mainDatabase + "_program_";
        String partnerPrefix = mainDatabase + "_partner_";
        List<String> readable = new ArrayList<>();
        for (Map<String, String> row : analyst.query("SELECT name FROM system.databases WHERE startsWith(name, " + Sql.literal(programPrefix)
                + ") OR startsWith(name, " + Sql.literal(partnerPrefix) + ") ORDER BY name")) {
            if (readable(analyst, Sql.qualified(row.get("name"), "v_cohort_retention"))) {
                readable.add(row.get("name"));
            }
        }
        if (readable.size() != 1) {
            return null;
        }
        String database = readable.get(0);
        boolean partnerScope = database.startsWith(partnerPrefix);
        TreeSet<String> programs = new TreeSet<>();
        TreeSet<String> partners = new TreeSet<>();
        for (String view : List.of("v_partners", "v_cohort_starts")) {
            for (Map<String, String> row : analyst.query("SELECT DISTINCT program_id, partner_id FROM " + Sql.qualified(database, view))) {
                programs.add(row.get("program_id"));
                partners.add(row.get("partner_id"));
            }
        }
        if (programs.size() != 1 || partnerScope && partners.size() != 1) {
            return null;
        }
        return new DashboardScope(user, database, programs.first(), partnerScope ? partners.first() : null);
    }

    /** True when the analyst may read {@code table}; false when ClickHouse refuses it; thrown when ClickHouse does not answer. */
    private static boolean readable(ClickHouseGateway analyst, String table) {
        try {
            analyst.query("SELECT 1 FROM " + table + " LIMIT 0");
            return true;
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            if (e.serverCode() == 0) {
                throw e;
            }
            return false;
        }
    }

    /** The analyst roles the dashboard logs in, and whether each reads persons and their records. */
    enum Role {
        PROGRAM(true), PARTNER(true), VIEWER(false);

        private final boolean personLevel;

        Role(boolean personLevel) {
            this.personLevel = personLevel;
        }

        boolean personLevel() {
            return personLevel;
        }

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Role role() {
        return viewer ? Role.VIEWER : partner == null ? Role.PROGRAM : Role.PARTNER;
    }

    /**
     * The one check of every person-level page (an explanation lists persons and their records): a role
     * without person-level rights is refused ({@link Outside}, HTTP 403) before anything is read.
     */
    void requirePersonLevel() {
        if (!role().personLevel()) {
            throw new Outside("the " + role().text() + " role reads aggregate figures only, not the persons behind them");
        }
    }

    /** "partner ndp of program shouhardo3", "program shouhardo3", "published figures of program shouhardo3". */
    String describe() {
        if (viewer) {
            return "published figures of program " + program;
        }
        return partner == null ? "program " + program : "partner " + partner + " of program " + program;
    }

    /**
     * The program scope read for {@code name}, a viewer of {@code program}; null when this scope is not
     * that program's whole scope (the internal reader's account does not read what the store says).
     */
    DashboardScope asViewer(String name, String viewersProgram) {
        return partner == null && program.equals(viewersProgram) ? new DashboardScope(name, database, program, null, true) : null;
    }

    /**
     * Whether person-level pages (a cohort's participants, explanations) and exact figures may be shown:
     * for analysts yes, for a viewer no. The one place the dashboard asks.
     */
    boolean personLevel() {
        return role().personLevel();
    }

    /**
     * The filter choices of the scope, read as the analyst: their program, the partners of the scope
     * (with names), the districts their cohorts (and, for a program, its outreach) are in (with names,
     * from the shared {@code v_org_units}).
     */
    ReferenceCheck.Choices choices(ClickHouseGateway analyst) {
        List<ReferenceCheck.Choice> partners = RowType.of(ReferenceCheck.Choice.class).read("v_partners", analyst.query(
                "SELECT partner_id AS id, name, program_id AS program FROM " + Sql.qualified(database, "v_partners") + " ORDER BY id"));
        if (partner != null && partners.stream().noneMatch(c -> c.id().equals(partner))) {
            partners = List.of(new ReferenceCheck.Choice(partner, partner, program));
        }
        // two queries: 18.16 denies an IN subquery over a Distributed table inside a query of another one
        TreeSet<String> districts = new TreeSet<>();
        analyst.query("SELECT DISTINCT district_id AS id FROM " + Sql.qualified(database, "dash_retention_by_partner_district"))
                .forEach(row -> districts.add(Sql.literal(row.get("id"))));
        if (partner == null) {
            analyst.query("SELECT DISTINCT dimension_id AS id FROM " + Sql.qualified(database, "outreach_to_date") + " WHERE dimension = 'district'")
                    .forEach(row -> districts.add(Sql.literal(row.get("id"))));
        }
        List<ReferenceCheck.Choice> inScope = districts.isEmpty() ? List.of() : RowType.of(ReferenceCheck.Choice.class).read("v_org_units",
                analyst.query("SELECT org_unit_id AS id, name, '' AS program FROM " + Sql.qualified(database, "v_org_units")
                        + " WHERE level = 'district' AND org_unit_id IN (" + String.join(", ", districts) + ") ORDER BY name, id"));
        return new ReferenceCheck.Choices(List.of(new ReferenceCheck.Choice(program, program, program)), partners, inScope);
    }

    /**
     * The filters narrowed to the scope: no program means the analyst's, no partner a partner
     * analyst's own. Another program or partner is {@link Outside}; a district none of the scope's
     * cohorts or cells is in is refused as unknown.
     */
    Filters narrow(Filters filters, ReferenceCheck.Choices choices) {
        if (filters.program() != null && !filters.program().equals(program)) {
            throw new Outside("program " + filters.program() + " is outside your scope (" + describe() + ")");
        }
        String chosenPartner = filters.partner();
        if (partner != null) {
            if (chosenPartner != null && !chosenPartner.equals(partner)) {
                throw new Outside("partner " + chosenPartner + " is outside your scope (" + describe() + ")");
            }
            chosenPartner = partner;
        } else if (chosenPartner != null && choices.partners().stream().noneMatch(c -> c.id().equals(filters.partner()))) {
            throw new Outside("partner " + chosenPartner + " is outside your scope (" + describe() + ")");
        }
        if (filters.district() != null && choices.districts().stream().noneMatch(c -> c.id().equals(filters.district()))) {
            throw new ReportError("unknown district " + filters.district() + " in your scope (known: "
                    + String.join(", ", choices.districts().stream().map(ReferenceCheck.Choice::id).toList()) + ")");
        }
        return new Filters(program, chosenPartner, filters.district(), filters.from(), filters.to());
    }

    @Override
    public String toString() {
        return "DashboardScope[" + describe() + ", database=" + database + "]";
    }
}
