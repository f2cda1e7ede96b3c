package org.fieldstream.reports;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseSql;

/**
 * The columns of one report row record, read from its components and their {@link Col}: the SELECT
 * list of its query, the parsing of ClickHouse's answer into records and the text of each figure.
 * A record is the one place its family's column list is written.
 *
 * <p>A column missing from ClickHouse's answer, NULL in a column that is never empty, or text that
 * is no number where a number is due is a {@link ViewMismatch} naming the view and the column.
 * NULL in a {@link Col#nullable()} column is a legitimate empty value: the record holds null, the
 * report prints nothing and the page shows "–".
 */
final class RowType<R extends Record> {

    private static final ClassValue<RowType<?>> TYPES = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RowType<?> computeValue(Class<?> type) {
            return new RowType(type.asSubclass(Record.class));
        }
    };

    /** One component: its column, the SQL it is read from, its Java type and accessor. */
    private record Field(Column column, String from, boolean nullable, Class<?> type, Method accessor) {
    }

    private final Class<R> type;
    private final List<Field> fields;
    private final List<Column> columns;
    private final Constructor<R> constructor;

    private RowType(Class<R> type) {
        this.type = type;
        List<Field> fields = new ArrayList<>();
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameters = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            fields.add(field(type, components[i]));
            parameters[i] = components[i].getType();
        }
        this.fields = List.copyOf(fields);
        this.columns = fields.stream().map(Field::column).toList();
        try {
            this.constructor = type.getDeclaredConstructor(parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor", e);
        }
    }

    @SuppressWarnings("unchecked")
    static <R extends Record> RowType<R> of(Class<R> type) {
        return (RowType<R>) TYPES.get(type);
    }

    Class<R> type() {
        return type;
    }

    List<Column> columns() {
        return columns;
    }

    List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** The SELECT list: each column by name, from its expression; rates rounded to 4 decimals. */
    String select() {
        List<String> items = new ArrayList<>();
        for (Field f : fields) {
            String name = f.column().name();
            String from = f.from().isEmpty() ? name : f.from();
            String expression = f.column().kind() == Col.Kind.RATE ? "round(" + from + ", 4)" : from;
            items.add(expression.equals(name) ? name : expression + " AS " + name);
        }
        return String.join(", ", items);
    }

    /** Runs {@code SELECT <this type's columns> <rest>} and reads the answer; {@code view} names it in errors. */
    List<R> query(ClickHouseSql clickHouse, String view, String rest) {
        return read(view, clickHouse.query("SELECT " + select() + "\n" + rest));
    }

    /** ClickHouse's rows (as {@code ClickHouseGateway.query} returns them) as records; {@code view} names them in errors. */
    List<R> read(String view, List<Map<String, String>> rows) {
        return rows.stream().map(row -> read(view, row)).toList();
    }

    R read(String view, Map<String, String> row) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String name = f.column().name();
            if (!row.containsKey(name)) {
                throw new ViewMismatch(view + " has no column " + name + " (" + type.getSimpleName() + " reads " + names() + ")");
            }
            values[i] = parse(view, f, row.get(name));
        }
        try {
            return constructor.newInstance(values);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e);
        }
    }

    /** Each figure as the report has it, in column order: numbers as ClickHouse prints them, a lag in seconds, empty as "". */
    Map<String, String> values(R row) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : fields) {
            values.put(f.column().name(), text(get(f, row)));
        }
        return Collections.unmodifiableMap(values);
    }

    /** The text {@code fieldstream report} prints: {@link #values} with a lag written out. */
    Map<String, String> printed(R row) {
        Map<String, String> printed = new LinkedHashMap<>();
        for (Field f : fields) {
            Object value = get(f, row);
            printed.put(f.column().name(), f.column().kind() == Col.Kind.LAG ? DashboardCells.lag(text(value)) : text(value));
        }
        return Collections.unmodifiableMap(printed);
    }

    private Object get(Field f, R row) {
        try {
            return f.accessor().invoke(row);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + f.column().name() + " of a " + type.getSimpleName(), e);
        }
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private Object parse(String view, Field f, String text) {
        String where = view + " column " + f.column().name();
        if (text == null) {
            if (f.nullable()) {
                return null;
            }
            throw new ViewMismatch(where + " is NULL, and " + type.getSimpleName() + " never shows it empty");
        }
        Class<?> t = f.type();
        try {
            if (t == String.class) {
                return text;
            }
            if (t == long.class || t == Long.class) {
                return Long.parseLong(text);
            }
            if (t == double.class || t == Double.class) {
                return number(text);
            }
        } catch (NumberFormatException e) {
            throw new ViewMismatch(where + " is not a number: " + Filters.shown(text));
        }
        throw new IllegalStateException(type.getSimpleName() + "." + f.accessor().getName() + ": unsupported type " + t);
    }

    /** A Float64 as ClickHouse prints it, nan and inf included. */
    static double number(String text) {
        return switch (text) {
            case "nan", "-nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static Field field(Class<?> type, RecordComponent component) {
        Col col = component.getAnnotation(Col.class);
        String where = type.getSimpleName() + "." + component.getName();
        if (col == null) {
            throw new IllegalStateException(where + " has no @Col");
        }
        Class<?> t = component.getType();
        if (col.nullable() && t.isPrimitive()) {
            throw new IllegalStateException(where + " is nullable but primitive");
        }
        if (!col.nullable() && (t == Long.class || t == Double.class)) {
            throw new IllegalStateException(where + " is boxed but not nullable");
        }
        return new Field(new Column(snakeCase(component.getName()), col.value(), kind(col.kind(), t)), col.from(), col.nullable(), t,
                component.getAccessor());
    }

    private static Col.Kind kind(Col.Kind declared, Class<?> t) {
        if (declared != Col.Kind.AUTO) {
            return declared;
        }
        if (t == long.class || t == Long.class) {
            return Col.Kind.COUNT;
        }
        return t == double.class || t == Double.class ? Col.Kind.RATE : Col.Kind.TEXT;
    }

    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
