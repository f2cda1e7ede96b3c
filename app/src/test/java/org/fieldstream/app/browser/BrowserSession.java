package org.fieldstream.app.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One headless Chromium that keeps its cookies between pages, driven over the DevTools protocol
 * (a WebSocket, no WebDriver): open a page, type into a form and submit it as a person would, read
 * the DOM and the cookies. For pages behind a login, where each {@code --dump-dom} run of
 * {@link Chromium} would start logged out.
 */
public final class BrowserSession implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> source;
    private final List<JsonNode> events = new ArrayList<>();
    private int nextId;

    private BrowserSession(Process process, WebSocket socket, LinkedBlockingQueue<JsonNode> source) {
        this.process = process;
        this.socket = socket;
        this.source = source;
    }

    /** Starts the browser with an empty profile in {@code work}, on about:blank. */
    public static BrowserSession start(Chromium chromium, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Process process = new ProcessBuilder(chromium.binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + work.resolve("profile"),
                "about:blank").redirectOutput(work.resolve("chromium.out").toFile()).start();
        try {
            URI browser = devTools(process);
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
            String page = null;
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (page == null && System.nanoTime() < deadline) {
                for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body())) {
                    if ("page".equals(target.path("type").asText())) {
                        page = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                Thread.sleep(100);
            }
            if (page == null) {
                throw new AssertionError("Chromium opened no page to drive");
            }
            LinkedBlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        try {
                            queue.add(JSON.readTree(text.toString()));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return CompletableFuture.completedFuture(null);
                }
            }).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            BrowserSession session = new BrowserSession(process, socket, queue);
            session.call("Page.enable", Map.of());
            return session;
        } catch (Exception e) {
            stop(process);
            throw new AssertionError("cannot drive Chromium: " + e, e);
        }
    }

    /** Opens {@code url} and returns its DOM once loaded (after redirects). */
    public String open(URI url) throws InterruptedException {
        events.clear();
        call("Page.navigate", Map.of("url", url.toString()));
        awaitLoad();
        return dom();
    }

    /** Fills the named inputs of the page's form that posts to {@code action}, submits it as the button would, and returns the next page's DOM. */
    public String submit(String action, Map<String, String> fields) throws InterruptedException {
        StringBuilder script = new StringBuilder("(() => { const f = document.querySelector('form[action=\"" + action + "\"]');");
        fields.forEach((name, value) -> script.append("f.elements[").append(quoted(name)).append("].value = ").append(quoted(value)).append(";"));
        script.append("f.querySelector('button[type=submit]').click(); return true; })()");
        events.clear();
        JsonNode result = call("Runtime.evaluate", Map.of("expression", script.toString(), "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("no form posting to " + action + " on " + location() + ": " + result.get("exceptionDetails"));
        }
        awaitLoad();
        return dom();
    }

    /** Clicks the first element {@code selector} finds on the page, as a reader would, and returns the DOM of the page it leads to. */
    public String click(String selector) throws InterruptedException {
        events.clear();
        JsonNode result = call("Runtime.evaluate", Map.of("expression", "(() => { const e = document.querySelector(" + quoted(selector)
                + "); if (!e) { throw new Error('nothing matches'); } e.click(); return true; })()", "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("nothing to click at " + selector + " on " + location() + ": " + result.get("exceptionDetails"));
        }
        awaitLoad();
        return dom();
    }

    /** Where the page is now. */
    public String location() throws InterruptedException {
        return evaluate("location.href");
    }

    /** The browser's cookies for {@code url}: name to its DevTools description (value, httpOnly, sameSite, path, ...). */
    public Map<String, JsonNode> cookies(URI url) throws InterruptedException {
        Map<String, JsonNode> cookies = new java.util.TreeMap<>();
        for (JsonNode cookie : call("Network.getCookies", Map.of("urls", List.of(url.toString()))).path("cookies")) {
            cookies.put(cookie.path("name").asText(), cookie);
        }
        return cookies;
    }

    private String dom() throws InterruptedException {
        return evaluate("document.documentElement.outerHTML");
    }

    private String evaluate(String expression) throws InterruptedException {
        return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).path("result").path("value").asText();
    }

    private void awaitLoad() throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(e -> "Page.loadEventFired".equals(e.path("method").asText()))) {
                events.clear();
                return;
            }
            JsonNode message = source.poll(100, TimeUnit.MILLISECONDS);
            if (message != null) {
                events.add(message);
            }
        }
        throw new AssertionError("the page did not load within " + LIMIT);
    }

    private JsonNode call(String method, Map<String, Object> params) throws InterruptedException {
        int id = ++nextId;
        try {
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send " + method + " to Chromium: " + e, e);
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = source.poll(100, TimeUnit.MILLISECONDS);
            if (message == null) {
                continue;
            }
            if (message.path("id").asInt(-1) == id) {
                if (message.has("error")) {
                    throw new AssertionError(method + " failed: " + message.get("error"));
                }
                return message.path("result");
            }
            events.add(message);
        }
        throw new AssertionError("Chromium did not answer " + method + " within " + LIMIT);
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI devTools(Process process) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        err.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the browser went away
                    }
                }, "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return URI.create(m.group(1));
            }
        }
        throw new AssertionError("Chromium exited before it listened for DevTools: " + seen);
    }

    private static void stop(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        socket.abort();
        stop(process);
    }
}
