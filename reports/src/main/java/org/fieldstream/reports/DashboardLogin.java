package org.fieldstream.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * The dashboard's login form and what it takes from requests: the form's fields, cookies, and the
 * checks that a POST comes from the dashboard's own page. A form POST carries a token that only the
 * page the dashboard served holds (the login form: the token of a {@code SameSite=Strict} cookie set
 * with the form; the logout form: the session's token), and an {@code Origin} header other than the
 * dashboard's own is refused. A form field's value is never part of an error or a log line: the
 * password could be in any of them.
 */
final class DashboardLogin {

    static final String SESSION_COOKIE = "fieldstream_session";
    static final String LOGIN_COOKIE = "fieldstream_login";
    static final String FAILED = "Wrong user name or password.";
    static final int MAX_BODY = 4096;
    /** What {@link DashboardSessions#randomId()} makes. */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern USER = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final int MAX_PASSWORD = 256;

    private DashboardLogin() {
    }

    /** A refused form POST (403): not from the dashboard's own page, or a form that is not one. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** The login page: the form (its token in a hidden field), and a message above it when not null. */
    static String page(String message, String token) {
        StringBuilder html = DashboardPage.head(0);
        html.append("<header><h1>FieldStream dashboard</h1></header>\n<main>\n");
        if (message != null) {
            html.append("<p class=\"error\" role=\"alert\" data-error=\"true\">").append(Html.escape(message)).append("</p>\n");
        }
        html.append("<form class=\"login\" method=\"post\" action=\"/login\">\n")
                .append("<p>Log in with your analyst or viewer account (the <code>user=</code> and <code>password=</code> that "
                        + "<code>fieldstream analyst add</code> printed).</p>\n")
                .append("<label>User <input type=\"text\" name=\"user\" autocomplete=\"username\" required maxlength=\"63\"></label>\n")
                .append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required "
                        + "maxlength=\"" + MAX_PASSWORD + "\"></label>\n")
                .append("<input type=\"hidden\" name=\"token\" value=\"").append(Html.escape(token)).append("\">\n")
                .append("<button type=\"submit\">Log in</button>\n</form>\n");
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    /** A user name an analyst account can have; anything else fails the login like a wrong password. */
    static boolean plausible(String user, String password) {
        return user != null && USER.matcher(user).matches() && password != null && !password.isEmpty() && password.length() <= MAX_PASSWORD;
    }

    /** The value of a cookie of the request, or null. */
    static String cookie(HttpExchange exchange, String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    return pair.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    /** A {@code Set-Cookie} value: HttpOnly, SameSite=Strict, on {@code path}; {@code maxAge} 0 deletes it, negative lasts the browser session. */
    static String setCookie(String name, String value, String path, long maxAge) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    /**
     * The fields of a form POST ({@code application/x-www-form-urlencoded}, at most {@link #MAX_BODY}
     * bytes, each of {@code allowed} at most once), after the origin check; {@link Refused} otherwise.
     */
    static Map<String, String> form(HttpExchange exchange, List<String> allowed) throws IOException {
        sameOrigin(exchange);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new Refused("a form is sent as application/x-www-form-urlencoded");
        }
        String body = body(exchange.getRequestBody());
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!allowed.contains(name) || fields.putIfAbsent(name, decode(eq < 0 ? "" : pair.substring(eq + 1))) != null) {
                throw new Refused("this form has the fields " + String.join(", ", allowed) + ", each once");
            }
        }
        return fields;
    }

    /** Refuses a request whose Origin header names another site ("null", what a no-referrer page sends, names none). */
    static void sameOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null || "null".equals(origin)) {
            return;
        }
        if (host == null || !origin.equalsIgnoreCase("http://" + host)) {
            throw new Refused("this form is answered from the dashboard's own page only");
        }
    }

    /** Equal tokens, compared in constant time; false when either is missing. */
    static boolean sameToken(String expected, String given) {
        return expected != null && given != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BODY) {
                throw new Refused("the form is longer than " + MAX_BODY + " bytes");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused("the form is not URL-encoded");
        }
    }
}
