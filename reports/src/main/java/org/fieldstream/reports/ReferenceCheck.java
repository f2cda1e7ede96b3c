package org.fieldstream.reports;

import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * Refuses filter values that name nothing: a program, partner or district must exist in the
 * reference tables (and a partner in the program given), so a typo reports an error instead of an
 * empty table that reads like "nobody was reached".
 */
final class ReferenceCheck {

    private static final int KNOWN_SHOWN = 12;

    private final ClickHouseGateway gateway;
    private final String db;

    ReferenceCheck(ClickHouseGateway gateway, String db) {
        this.gateway = gateway;
        this.db = db;
    }

    void verify(Filters filters) {
        if (filters.program() != null) {
            requireKnown("program", "v_programs", "program_id", filters.program(), "");
        }
        if (filters.partner() != null) {
            requireKnown("partner", "v_partners", "partner_id", filters.partner(), "");
            if (filters.program() != null) {
                String owner = gateway.queryValue("SELECT any(program_id) FROM " + db + ".v_partners"
                        + SqlText.where(List.of(SqlText.equal("partner_id", filters.partner()))));
                if (!filters.program().equals(owner)) {
                    throw new ReportError("partner " + filters.partner() + " works in program " + owner
                            + ", not in " + filters.program());
                }
            }
        }
        if (filters.district() != null) {
            requireKnown("district", "v_org_units", "org_unit_id", filters.district(), " AND level = 'district'");
        }
    }

    /** Refuses an org unit of {@code level} (district, upazila) that v_org_units does not hold, naming it and the ids known. */
    void requireOrgUnit(String level, String id) {
        requireKnown(level, "v_org_units", "org_unit_id", id, " AND " + SqlText.equal("level", level));
    }

    /** A filter value to offer: its id, its name and (for a partner) its program. */
    record Choice(@Col("Id") String id, @Col("Name") String name, @Col("Program") String program) {
    }

    /** What the filters can name: every program, partner and district in the reference views. */
    record Choices(List<Choice> programs, List<Choice> partners, List<Choice> districts) {
    }

    Choices choices() {
        return new Choices(
                choices("v_programs", "program_id AS id, name, program_id AS program", " ORDER BY id"),
                choices("v_partners", "partner_id AS id, name, program_id AS program", " ORDER BY program, id"),
                choices("v_org_units", "org_unit_id AS id, name, '' AS program", " WHERE level = 'district' ORDER BY name, id"));
    }

    private List<Choice> choices(String view, String columns, String rest) {
        return RowType.of(Choice.class).read(view, gateway.query("SELECT " + columns + " FROM " + db + "." + view + rest));
    }

    private void requireKnown(String what, String view, String column, String value, String scope) {
        String count = gateway.queryValue("SELECT count() FROM " + db + "." + view
                + SqlText.where(List.of(SqlText.equal(column, value))) + scope);
        if (!"0".equals(count)) {
            return;
        }
        List<Map<String, String>> known = gateway.query("SELECT " + column + " AS id FROM " + db + "." + view
                + " WHERE 1 = 1" + scope + " ORDER BY id LIMIT " + (KNOWN_SHOWN + 1));
        List<String> ids = known.stream().map(row -> row.get("id")).toList();
        String list = ids.isEmpty() ? "none loaded"
                : String.join(", ", ids.subList(0, Math.min(KNOWN_SHOWN, ids.size()))) + (ids.size() > KNOWN_SHOWN ? ", ..." : "");
        throw new ReportError("unknown " + what + " " + value + " (known: " + list + ")");
    }
}
