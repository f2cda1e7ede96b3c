package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.apache.kafka.clients.producer.Producer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.EventPublisher;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Layout;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.csv.CsvRowSource;
import org.fieldstream.producers.json.JsonArraySource;
import org.fieldstream.producers.json.JsonLinesSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/programs/{program}/partners/{partner}/batches}: one batch of rows, all validated
 * before anything is published. Answers 200 with each row's fate; 401 without a valid token; 403 when
 * the token's partner is not the path's, the partner is not in the program, or a row claims another
 * partner's or program's data (then nothing is published); 413 past the body limit (counted while
 * reading); 400 for a body that cannot be read as the declared type; 415 for other types; 503 when
 * Kafka did not acknowledge (sending the same batch again is safe: ids are deterministic).
 */
final class BatchHandler implements HttpHandler {

    /** How much of a refused request body is read and discarded so the client can read the reply. */
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;


    private static final Logger LOG = LoggerFactory.getLogger(BatchHandler.class);
    private static final Pattern PATH = Pattern.compile("^/v1/programs/([^/]+)/partners/([^/]+)/batches/?$");
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PushContext context;
    private final Map<String, Pseudonymizer> pseudonymizers = new ConcurrentHashMap<>();

    /** What every request shares. */
    record PushContext(ProgramCatalog catalog, ProgramSecrets secrets, TokenStore tokens, KnownAggregates known,
                       int knownMaxEntries, Producer<String, FieldEvent> events, Producer<String, RejectedRecord> rejected,
                       Topics topics, long maxBodyBytes, int toleranceDays, boolean rejectUnknown, Clock clock) {
    }

    BatchHandler(PushContext context) {
        this.context = context;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(exchange, process(exchange));
        } catch (RuntimeException e) {
            LOG.error("batch failed: {}", e.toString());
            try {
                answer(exchange, Reply.error(500, "internal error"));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone or the answer was already started
            }
        }
    }

    private Reply process(HttpExchange exchange) throws IOException {
        Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
        if (!m.matches()) {
            return Reply.error(404, "no such resource; POST /v1/programs/{program}/partners/{partner}/batches");
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().add("Allow", "POST");
            return Reply.error(405, "use POST");
        }
        String program = m.group(1);
        String partner = m.group(2);
        String caller = context.tokens().partnerOf(bearer(exchange));
        if (caller == null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            return Reply.error(401, "missing or invalid bearer token");
        }
        if (!caller.equals(partner)) {
            return Reply.error(403, "this token may not write partner " + partner + "'s data");
        }
        String refusal = context.catalog().refusal(program, partner);
        if (refusal != null) {
            return Reply.error(403, refusal);
        }
        long declared = contentLength(exchange);
        if (declared > context.maxBodyBytes()) {
            return Reply.error(413, "request body larger than " + context.maxBodyBytes() + " bytes");
        }
        Pseudonymizer pseudonymizer;
        try {
            pseudonymizer = pseudonymizers.computeIfAbsent(program, p -> context.secrets().pseudonymizer(p));
        } catch (IllegalStateException e) {
            LOG.error("program {} cannot take pushes: {}", program, e.getMessage());
            return Reply.error(503, "program " + program + " is not configured for pushes");
        }
        String requestId = requestId(exchange);
        InputStream body = new LimitedInputStream(exchange.getRequestBody(), context.maxBodyBytes());
        return ingest(exchange, body, program, partner, pseudonymizer, requestId);
    }

    private Reply ingest(HttpExchange exchange, InputStream body, String program, String partner,
                         Pseudonymizer pseudonymizer, String requestId) throws IOException {
        Layout layout = null;
        String layoutParam = query(exchange, "layout");
        if (layoutParam != null) {
            layout = Layout.byId(layoutParam).orElse(null);
            if (layout == null) {
                return Reply.error(400, "unknown layout " + layoutParam);
            }
        }
        KnownAggregates batchView = context.known().overlay(context.knownMaxEntries());
        RowConverter converter = new RowConverter(program, partner, "api",
                context.catalog().programStart(program).orElseThrow(), pseudonymizer, batchView,
                context.toleranceDays(), context.rejectUnknown(), context.clock());
        List<Outcome> outcomes = new ArrayList<>();
        try (RowSource source = open(exchange, body, requestId, layout)) {
            if (source == null) {
                return Reply.error(415, "send text/csv, application/x-ndjson or application/json");
            }
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                Outcome outcome = converter.convert(row);
                if (outcome instanceof Outcome.Accepted a) {
                    batchView.learn(a.event());
                }
                outcomes.add(outcome);
            }
        } catch (LimitedInputStream.TooLarge e) {
            return Reply.error(413, e.getMessage());
        } catch (UnusableInputException e) {
            return Reply.error(400, e.getMessage());
        } catch (JsonProcessingException e) {
            return Reply.error(400, "malformed JSON: " + e.getOriginalMessage());
        }
        if (outcomes.isEmpty()) {
            return Reply.error(400, "the body holds no rows");
        }
        List<Outcome.Rejected> foreign = outcomes.stream().filter(o -> o instanceof Outcome.Rejected r && r.foreign())
                .map(o -> (Outcome.Rejected) o).toList();
        if (!foreign.isEmpty()) {
            return Reply.foreign(requestId, foreign);
        }
        EventPublisher publisher = new EventPublisher(context.events(), context.rejected(), context.topics());
        outcomes.forEach(publisher::publish);
        try {
            publisher.flush();
        } catch (EventPublisher.PublishException | org.apache.kafka.common.KafkaException e) {
            LOG.error("batch {} not acknowledged by Kafka: {}", requestId, e.getMessage());
            return Reply.error(503, "events not acknowledged by Kafka; send the batch again");
        }
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Accepted a) {
                context.known().learn(a.event());
            }
        }
        LOG.debug("batch {} of {} for {}: {} rows", requestId, partner, program, outcomes.size());
        return Reply.ok(requestId, outcomes);
    }

    private static RowSource open(HttpExchange exchange, InputStream body, String requestId, Layout layout)
            throws IOException, UnusableInputException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        switch (mime) {
            case "text/csv":
                return CsvRowSource.open(body, requestId, layout, true);
            case "application/x-ndjson", "application/jsonl", "application/jsonlines":
                return new JsonLinesSource(body, requestId, layout, true, false);
            case "application/json": {
                InputStream in = body.markSupported() ? body : new java.io.BufferedInputStream(body);
                int first = firstNonBlank(in);
                return first == '[' ? JsonArraySource.open(in, requestId, layout)
                        : new JsonLinesSource(in, requestId, layout, true, true);
            }
            default:
                return null;
        }
    }

    /** Peeks at the first non-whitespace byte, leaving the stream positioned at it. */
    private static int firstNonBlank(InputStream in) throws IOException {
        while (true) {
            in.mark(1);
            int b = in.read();
            if (b < 0 || !Character.isWhitespace(b)) {
                in.reset();
                return b;
            }
        }
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The caller's X-Request-Id when well formed (a retried batch keeps its refs), else a fresh one. */
    private static String requestId(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return exchange.getRequestHeaders().getFirst("X-Layout");
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return exchange.getRequestHeaders().getFirst("X-Layout");
    }

    private static void answer(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (reply.status() >= 400 && !drained(exchange.getRequestBody())) {
            // a refused body larger than the drain limit is not read: the connection closes instead
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Reads and discards what is left of a refused request body, up to {@link #DRAIN_LIMIT} bytes.
     * Closing a socket with unread request bytes makes the kernel reset the connection, and the
     * client can lose the error reply already sent; like a servlet container's swallow limit, a
     * bounded drain lets ordinary clients read the reason.
     */
    private static boolean drained(InputStream body) {
        byte[] buffer = new byte[8192];
        long left = DRAIN_LIMIT;
        try {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A status and its JSON body. */
    record Reply(int status, ObjectNode body) {

        static Reply error(int status, String message) {
            ObjectNode node = JSON.createObjectNode();
            node.put("error", message);
            return new Reply(status, node);
        }

        static Reply foreign(String requestId, List<Outcome.Rejected> foreign) {
            ObjectNode node = JSON.createObjectNode();
            node.put("error", "the batch holds another partner's or program's data; nothing was published");
            node.put("request_id", requestId);
            ArrayNode rows = node.putArray("rows");
            foreign.forEach(r -> rows.add(rejection(r)));
            return new Reply(403, node);
        }

        static Reply ok(String requestId, List<Outcome> outcomes) {
            ObjectNode node = JSON.createObjectNode();
            node.put("request_id", requestId);
            long accepted = outcomes.stream().filter(o -> o instanceof Outcome.Accepted).count();
            node.put("accepted", accepted);
            node.put("rejected", outcomes.size() - accepted);
            ArrayNode rows = node.putArray("rows");
            for (Outcome o : outcomes) {
                if (o instanceof Outcome.Accepted a) {
                    ObjectNode row = rows.addObject();
                    row.put("ref", a.sourceRef());
                    row.put("status", "accepted");
                    row.put("event_id", a.event().getEventId());
                } else {
                    rows.add(rejection((Outcome.Rejected) o));
                }
            }
            return new Reply(200, node);
        }

        private static ObjectNode rejection(Outcome.Rejected r) {
            ObjectNode row = JSON.createObjectNode();
            row.put("ref", r.sourceRef());
            row.put("status", "rejected");
            row.put("field", r.record().getField());
            row.put("reason", r.record().getReason());
            return row;
        }
    }
}
