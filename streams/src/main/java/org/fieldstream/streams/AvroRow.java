package org.fieldstream.streams;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The one mapping of a {@link MetricRow} record to its family's Avro row, by name: each Avro field
 * takes the value of the accessor named as the field in lower camel case ({@code dropped_out} from
 * {@code droppedOut()}), a record component or a method without parameters. The accessor is looked
 * up on the row record itself first, then on the records among its components (envelope, figures,
 * stamp), where the name must be unique. A date or timestamp field may also take an {@code int} day
 * ({@link EventDays}) from {@code <name>Day()} or {@code <name>()}.
 *
 * <p>The plan is made once per row record; a field without a source, a source of another type, or a
 * name found in two parts fails it, naming the field: a figure added to an Avro metric schema needs
 * only its figures record to have it (streams' {@code AvroRowTest} lists every field of every family).
 */
final class AvroRow<A extends SpecificRecordBase> {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final Set<String> NOT_ACCESSORS = Set.of("toString", "hashCode", "getClass");

    /** How one Avro field is filled: from which part (-1: the row record itself) and by which accessor. */
    private record Source(int position, String field, int part, MethodHandle accessor, String from) {
    }

    private final Class<A> avro;
    private final Schema schema;
    private final List<MethodHandle> parts;
    private final List<Source> sources;

    private AvroRow(Class<A> avro, Schema schema, List<MethodHandle> parts, List<Source> sources) {
        this.avro = avro;
        this.schema = schema;
        this.parts = parts;
        this.sources = sources;
    }

    /** The mapping of rows of the record {@code row} to {@code avro}; fails naming every field it cannot fill. */
    static <A extends SpecificRecordBase> AvroRow<A> of(Class<A> avro, Class<? extends Record> row) {
        Schema schema = schemaOf(avro);
        List<Class<?>> partTypes = new ArrayList<>();
        List<MethodHandle> parts = new ArrayList<>();
        for (RecordComponent c : row.getRecordComponents()) {
            if (c.getType().isRecord()) {
                partTypes.add(c.getType());
                parts.add(handle(c.getAccessor()));
            }
        }
        Map<String, Method> own = accessors(row);
        List<Map<String, Method>> ofParts = partTypes.stream().map(AvroRow::accessors).toList();
        List<Source> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            Class<?> target = avroType(avro, field);
            String name = camel(field.name());
            List<String> candidates = List.of(name, name + "Day");
            Source source = null;
            for (String candidate : candidates) {
                Method m = own.get(candidate);
                if (m != null && fits(m, target)) {
                    source = source(field, -1, m, row.getSimpleName());
                    break;
                }
            }
            if (source == null) {
                List<String> found = new ArrayList<>();
                for (int p = 0; p < ofParts.size(); p++) {
                    for (String candidate : candidates) {
                        Method m = ofParts.get(p).get(candidate);
                        if (m != null && fits(m, target)) {
                            source = source(field, p, m, partTypes.get(p).getSimpleName());
                            found.add(source.from());
                        }
                    }
                }
                if (found.size() > 1) {
                    problems.add(field.name() + " has several sources " + found);
                }
            }
            if (source == null) {
                problems.add(field.name() + " (" + target.getSimpleName() + ") has no source: no accessor " + name + "() of that type on "
                        + row.getSimpleName() + " or its parts " + partTypes.stream().map(Class::getSimpleName).toList());
            } else {
                sources.add(source);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(schema.getName() + " from " + row.getSimpleName() + ": " + String.join("; ", problems));
        }
        return new AvroRow<>(avro, schema, List.copyOf(parts), List.copyOf(sources));
    }

    /** The Avro row of {@code row}. */
    A row(Record row) {
        try {
            A out = avro.getDeclaredConstructor().newInstance();
            Object[] values = new Object[parts.size()];
            for (int p = 0; p < values.length; p++) {
                values[p] = (Object) parts.get(p).invokeExact((Object) row);
            }
            for (Source s : sources) {
                Object from = s.part() < 0 ? row : values[s.part()];
                out.put(s.position(), (Object) s.accessor().invokeExact(from));
            }
            return out;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot build " + schema.getName() + " from " + row, e);
        }
    }

    /** Each Avro field with the accessor that fills it ({@code Type.accessor}), in field order. */
    Map<String, String> sources() {
        Map<String, String> out = new LinkedHashMap<>();
        sources.forEach(s -> out.put(s.field(), s.from()));
        return out;
    }

    private static Source source(Schema.Field field, int part, Method m, String owner) {
        MethodHandle h = handle(m);
        if (m.getReturnType() == int.class && field.schema().getLogicalType() != null) {
            MethodHandle day = field.schema().getLogicalType().getName().equals("date")
                    ? findStatic("date", LocalDate.class) : findStatic("instant", Instant.class);
            h = MethodHandles.filterReturnValue(handle(m, int.class), day).asType(MethodType.methodType(Object.class, Object.class));
        }
        return new Source(field.pos(), field.name(), part, h, owner + "." + m.getName() + "()");
    }

    private static MethodHandle findStatic(String name, Class<?> returns) {
        try {
            return LOOKUP.findStatic(EventDays.class, name, MethodType.methodType(returns, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle handle(Method m) {
        return handle(m, Object.class);
    }

    private static MethodHandle handle(Method m, Class<?> returns) {
        try {
            m.setAccessible(true);
            return LOOKUP.unreflect(m).asType(MethodType.methodType(returns, Object.class));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + m, e);
        }
    }

    /** Accessors of a record: components and methods without parameters that return a value. */
    private static Map<String, Method> accessors(Class<?> type) {
        Map<String, Method> out = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())
                    && !m.isSynthetic() && !NOT_ACCESSORS.contains(m.getName())) {
                out.put(m.getName(), m);
            }
        }
        return out;
    }

    /** Whether an accessor's value may fill a field of the Avro record's Java type (an int day fills a date or a timestamp). */
    private static boolean fits(Method m, Class<?> target) {
        Class<?> type = m.getReturnType();
        if (type == int.class && (target == LocalDate.class || target == Instant.class)) {
            return true;
        }
        return box(target).isAssignableFrom(box(type));
    }

    private static Class<?> box(Class<?> type) {
        return MethodType.methodType(type).wrap().returnType();
    }

    private static Class<?> avroType(Class<?> avro, Schema.Field field) {
        String name = camel(field.name());
        try {
            return avro.getMethod("get" + Character.toUpperCase(name.charAt(0)) + name.substring(1)).getReturnType();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(avro.getSimpleName() + " has no getter for " + field.name(), e);
        }
    }

    private static Schema schemaOf(Class<?> avro) {
        try {
            return (Schema) avro.getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(avro + " is no generated Avro record", e);
        }
    }

    static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
