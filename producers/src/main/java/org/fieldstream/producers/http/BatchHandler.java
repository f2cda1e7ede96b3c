package org.fieldstream.producers.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.producer.Producer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.DiskGuard;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Layout;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.producers.Pseudonymizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/programs/{program}/partners/{partner}/batches}: one batch of rows.
 *
 * <p>The HTTP side of a push: route, token, partner and program, content type, size, admission;
 * the body is received whole (to a temporary file) and handed to {@link PushIngest}, whose result
 * becomes the answer. All checks that need no body (the token first) are made as soon as the head is
 * complete, before a byte of the body is read: a refused request costs no body, and a request without
 * a valid token is answered 401 and its connection closed at once. Memory per batch is bounded by the
 * row limit, whatever the body's size, and the reply lists the first {@code http.reply.rejections}
 * rejected rows and counts the rest.
 *
 * <p>Answers: 200 with counts of what Kafka acknowledged; 401 without a valid token; 403 when the
 * token's partner is not the path's, the partner is not in the program, or a row claims another
 * partner's or program's data; 413 for a body past the limit (one long row is a rejected row, not a
 * 413); 408 for a body that does not arrive in time or falls behind the minimum rate ({@link BodyPace});
 * 400 for a body that cannot be read as the declared type; 415 for other types; 503 with Retry-After
 * when the endpoint is at its batch limit, the partner holds its share of it, or Kafka did not
 * acknowledge (sending the same batch again is safe: ids are deterministic).
 */
final class BatchHandler extends Handler.Abstract {

    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(BatchHandler.class);
    private static final Pattern PATH = Pattern.compile("^/v1/programs/([^/]+)/partners/([^/]+)/batches/?$");
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PushContext context;
    private final PushIngest push;
    private final Admission admission;
    private final HeadDeadline headDeadline;
    private final Map<String, Pseudonymizer> pseudonymizers = new ConcurrentHashMap<>();

    /** What every request shares. */
    record PushContext(ProgramCatalog catalog, ProgramSecrets secrets, TokenStore tokens, KnownAggregates known,
                       int knownMaxEntries, Producer<String, FieldEvent> events, Producer<String, RejectedRecord> rejected,
                       Topics topics, Limits limits, int toleranceDays, boolean rejectUnknown, Clock clock, DiskGuard disk) {
    }

    /** Sizes and times of the endpoint (see {@code ProducerSettings}). */
    record Limits(long maxBodyBytes, int maxRowBytes, BodyPace.Limits pace, int replyRejections, int maxBatches,
                  int maxLargeBatches, int maxBatchesPerPartner, long largeBatchBytes) {
    }

    BatchHandler(PushContext context, HeadDeadline headDeadline) {
        this.context = context;
        this.push = new PushIngest(context);
        this.headDeadline = headDeadline;
        Limits limits = context.limits();
        this.admission = new Admission(limits.maxBatches(), limits.maxLargeBatches(), limits.maxBatchesPerPartner(),
                limits.largeBatchBytes());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        headDeadline.headComplete(connection);
        BodyPace pace = BodyPace.startingNow(context.limits().pace());
        Reply reply;
        try {
            reply = process(request, response, pace);
        } catch (Exception e) {
            // the class only: a message may quote input
            LOG.error("batch failed: {}", e.getClass().getName());
            reply = Reply.error(500, "internal error");
        }
        boolean anonymous = reply.status() == 401;
        if (!reply.bodyRead() && (request.getLength() != 0 || anonymous)) {
            // the body may still be on its way: the connection cannot be reused, and the client must
            // know; a caller without a valid token keeps no connection either
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        // a refusal of a caller with a valid token reads and discards the body it did not read (up to
        // the body limit, at the minimum rate), so that a client still sending reads the refusal
        // instead of a reset connection
        boolean drain = (reply.drainBody() || (!reply.bodyRead() && !anonymous)) && request.getLength() != 0
                && !"100-continue".equalsIgnoreCase(request.getHeaders().get(HttpHeader.EXPECT));
        Callback ended = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                super.succeeded();
                if (anonymous || drain) {
                    // at once: an anonymous caller holds nothing, and a drained body left nothing
                    // unread to turn the close into a reset (a client that got its answer while
                    // still sending may not close by itself)
                    connection.getEndPoint().close();
                } else {
                    // also bounds a connection left half-open after an answer that closes it
                    headDeadline.requestEnded(connection);
                }
            }
        };
        if (drain) {
            // (a client waiting for 100-continue sends no body)
            answer(response, reply, Callback.from(() -> BodyDrain.start(request, context.limits().maxBodyBytes(), pace,
                    request.getComponents().getScheduler(), ended), ended::failed));
        } else {
            answer(response, reply, ended);
        }
        return true;
    }

    private Reply process(Request request, Response response, BodyPace pace) throws IOException {
        Matcher m = PATH.matcher(request.getHttpURI().getPath());
        if (!m.matches()) {
            return Reply.error(404, "no such resource; POST /v1/programs/{program}/partners/{partner}/batches");
        }
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return Reply.error(405, "use POST");
        }
        String program = m.group(1);
        String partner = m.group(2);
        String caller = context.tokens().partnerOf(bearer(request));
        if (caller == null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return Reply.error(401, "missing or invalid bearer token");
        }
        if (!caller.equals(partner)) {
            return Reply.error(403, "this token may not write partner " + partner + "'s data");
        }
        String refusal = context.catalog().refusal(program, partner);
        if (refusal != null) {
            return Reply.error(403, refusal);
        }
        String diskLow = context.disk().refusal();
        if (diskLow != null) {
            LOG.warn("refused a batch of partner {}: {}", partner, diskLow);
            return Reply.error(507, "the server is short of disk space and refuses new data for now; nothing was published");
        }
        String kind = bodyKind(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        if (kind == null) {
            return Reply.error(415, "send text/csv, application/x-ndjson or application/json");
        }
        Layout layout = null;
        String layoutParam = layoutParameter(request);
        if (layoutParam != null) {
            layout = Layout.byId(layoutParam).orElse(null);
            if (layout == null) {
                return Reply.error(400, "unknown layout (expected one of the layouts of LAYOUTS.md)");
            }
        }
        long declared = request.getLength();
        if (declared > context.limits().maxBodyBytes()) {
            return Reply.error(413, "request body larger than " + context.limits().maxBodyBytes() + " bytes");
        }
        Pseudonymizer pseudonymizer;
        try {
            pseudonymizer = pseudonymizers.computeIfAbsent(program, p -> {
                context.secrets().verify(p);
                return context.secrets().pseudonymizer(p);
            });
        } catch (IllegalStateException e) {
            LOG.error("program {} cannot take pushes: {}", program, e.getMessage());
            return Reply.error(503, "program " + program + " cannot take pushes: its pseudonymisation secret is missing or is not"
                    + " the one its data was published with; nothing was published (the endpoint's log says which)");
        }
        Admission.Slot slot = admission.tryEnter(caller, declared);
        if (slot == null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            String why = admission.refusal(caller, declared) == Admission.Refusal.PARTNER_SHARE
                    ? "partner " + caller + " has " + context.limits().maxBatchesPerPartner() + " batches in progress, its share"
                    : "too many batches in progress";
            return Reply.error(503, why + "; send again after " + RETRY_AFTER_SECONDS + " s").drainingBody();
        }
        String requestId = requestId(request);
        Path body = null;
        try {
            body = BodySpool.spool(request, context.limits().maxBodyBytes(), pace);
            return reply(push.ingest(new PushIngest.Batch(body, kind, layout, program, partner, requestId), pseudonymizer), response);
        } catch (BodySpool.TooLarge e) {
            return Reply.error(413, e.getMessage());
        } catch (BodySpool.TooSlow e) {
            return Reply.error(408, e.getMessage());
        } finally {
            admission.leave(slot);
            if (body != null) {
                Files.deleteIfExists(body);
            }
        }
    }

    private static Reply reply(PushIngest.Result result, Response response) {
        if (result instanceof PushIngest.Unreadable u) {
            return Reply.error(400, u.reason()).afterBody();
        }
        if (result instanceof PushIngest.Foreign f) {
            return Reply.foreign(f.requestId(), f.rows(), f.listed());
        }
        if (result instanceof PushIngest.NotAcknowledged) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            return Reply.error(503, "events not acknowledged by Kafka; send the batch again").afterBody();
        }
        PushIngest.Done d = (PushIngest.Done) result;
        return Reply.ok(d.requestId(), d.rows(), d.accepted(), d.rejected(), d.listed());
    }

    /** csv, jsonl or json by the Content-Type, or null for a type the endpoint does not take. */
    private static String bodyKind(String contentType) {
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (mime) {
            case "text/csv" -> "csv";
            case "application/x-ndjson", "application/jsonl", "application/jsonlines" -> "jsonl";
            case "application/json" -> "json";
            default -> null;
        };
    }

    private static String bearer(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /** The caller's X-Request-Id when well formed (a retried batch keeps its refs), else a fresh one. */
    private static String requestId(Request request) {
        String given = request.getHeaders().get("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static String layoutParameter(Request request) {
        String query = request.getHttpURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("layout")) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return request.getHeaders().get("X-Layout");
    }

    private static void answer(Response response, Reply reply, Callback callback) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(reply.body());
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * A status and its JSON body; a body is small whatever the batch: rejections past the first are
     * counted. {@code bodyRead} is whether the request's body was read whole before the answer;
     * {@code drainBody} whether a body not read is read and discarded after the answer
     * ({@link BodyDrain}), for a refusal a well-behaved client is expected to see and retry.
     */
    record Reply(int status, ObjectNode body, boolean bodyRead, boolean drainBody) {

        static Reply error(int status, String message) {
            ObjectNode node = JSON.createObjectNode();
            node.put("error", message);
            return new Reply(status, node, false, false);
        }

        Reply afterBody() {
            return new Reply(status, body, true, false);
        }

        Reply drainingBody() {
            return new Reply(status, body, false, true);
        }

        static Reply foreign(String requestId, long foreign, List<Outcome.Rejected> listed) {
            ObjectNode node = JSON.createObjectNode();
            node.put("error", "the batch holds another partner's or program's data; nothing was published");
            node.put("request_id", requestId);
            node.put("foreign_rows", foreign);
            rejections(node, listed, foreign);
            return new Reply(403, node, true, false);
        }

        static Reply ok(String requestId, long rows, long accepted, long rejected, List<Outcome.Rejected> listed) {
            ObjectNode node = JSON.createObjectNode();
            node.put("request_id", requestId);
            node.put("rows", rows);
            node.put("accepted", accepted);
            node.put("rejected", rejected);
            rejections(node, listed, rejected);
            return new Reply(200, node, true, false);
        }

        private static void rejections(ObjectNode node, List<Outcome.Rejected> listed, long total) {
            ArrayNode rows = node.putArray("rejections");
            for (Outcome.Rejected r : listed) {
                ObjectNode row = rows.addObject();
                row.put("ref", r.sourceRef());
                row.put("field", r.record().getField());
                row.put("reason", r.record().getReason());
            }
            node.put("rejections_not_listed", Math.max(0, total - listed.size()));
        }
    }
}
