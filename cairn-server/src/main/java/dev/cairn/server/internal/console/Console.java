package dev.cairn.server.internal.console;

import static dev.cairn.server.internal.console.Html.esc;

import com.sun.net.httpserver.HttpExchange;
import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.Repositories;
import dev.cairn.server.internal.Decode;
import dev.cairn.server.internal.HttpFront;
import dev.cairn.server.internal.console.Pages.Rendered;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The read-only web console at {@code /}: server-rendered pages over the library's read API, two static files from
 * the jar, and no request to anywhere else. Writes stay in the API.
 *
 * <p>Under a bearer token a browser authenticates once, on {@code /login}, and gets a cookie holding a digest of the
 * token (never the token itself), {@code HttpOnly} and {@code SameSite=Strict}: other sites can neither read it nor
 * make the browser send it. The front accepts that cookie for GET requests only (the pages, the JSON reads and the live
 * tail, which a browser's EventSource cannot give an Authorization header), so a cookie never authorizes a write.
 */
public final class Console {
    private static final String COOKIE = "cairn_console";
    private static final List<String> ASSETS = List.of("/console/console.css", "/console/console.js");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Cairn db;
    private final byte[] tokenDigest;
    private final byte[] cookieValue;
    private final Map<String, byte[]> assets = new HashMap<>();

    /** {@code token} null: no authentication, as for the API. */
    public Console(Cairn db, String token) {
        this.db = db;
        this.tokenDigest = token == null ? null : sha256(token);
        this.cookieValue = token == null ? null : HexFormat.of().formatHex(sha256("cairn-console\0" + token))
                .getBytes(StandardCharsets.US_ASCII);
        for (String asset : ASSETS) {
            try (InputStream in = Console.class.getResourceAsStream("/dev/cairn/server" + asset)) {
                if (in == null) {
                    throw new IllegalStateException("the console's " + asset + " is missing from the jar");
                }
                assets.put(asset, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whether {@code path} is one of the console's (the API lives under /v1 and a few fixed paths). */
    public boolean serves(String path) {
        return path.equals("/") || path.equals("/login") || path.equals("/logout") || ASSETS.contains(path)
                || first(path, "goals") || first(path, "runs") || first(path, "threads") || path.equals("/events");
    }

    private static boolean first(String path, String section) {
        return path.equals("/" + section) || path.startsWith("/" + section + "/") && path.length() > section.length()
                + 2 && path.indexOf('/', section.length() + 2) < 0;
    }

    /** Whether the request carries the console's cookie for this server's token. */
    public boolean hasSession(HttpExchange exchange) {
        if (cookieValue == null) {
            return false;
        }
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                String[] parts = pair.strip().split("=", 2);
                if (parts.length == 2 && parts[0].equals(COOKIE)
                        && MessageDigest.isEqual(cookieValue, parts[1].getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Answers a console request; {@code authorized} says whether it carried a valid cookie or bearer token. */
    public int serve(HttpExchange exchange, boolean authorized) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (ASSETS.contains(path)) {
            return send(exchange, 200, path.endsWith(".css") ? "text/css; charset=utf-8"
                    : "text/javascript; charset=utf-8", assets.get(path));
        }
        if (path.equals("/login")) {
            return login(exchange, method);
        }
        if (path.equals("/logout")) {
            exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            return redirect(exchange, tokenDigest == null ? "/" : "/login");
        }
        if (!authorized) {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI()
                            .getRawQuery());
            return redirect(exchange, "/login?next=" + Html.seg(target));
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return page(exchange, 405, new Rendered("Read only", "none", "<h1>Read only</h1><p>The console only reads;"
                    + " writes go through the API (see <a href=\"/openapi.json\">/openapi.json</a>).</p>"));
        }
        Map<String, String> query = HttpFront.query(exchange.getRequestURI().getRawQuery());
        try {
            String[] after = new String[1];
            Rendered rendered = db.read(tx -> {
                // Read first, in the same transaction: the page's live tail starts here, so nothing committed after
                // the page's snapshot is missed (an event it already shows only refreshes it once more).
                after[0] = tx.events().lastPosition().toString();
                return render(tx, path, query);
            });
            return page(exchange, 200, rendered, true, after[0]);
        } catch (NotFoundException e) {
            return page(exchange, 404, new Rendered("Not found", "none", "<h1>Not found</h1><p>" + esc(e.getMessage())
                    + "</p>"));
        } catch (InvalidInputException e) {
            return page(exchange, 400, new Rendered("Not understood", "none", "<h1>Not understood</h1><p>"
                    + esc(e.getMessage()) + "</p><p><a href=\"/\">Back to the goals</a></p>"));
        }
    }

    private static Rendered render(Repositories tx, String path, Map<String, String> query) {
        if (path.equals("/") || path.equals("/goals")) {
            return Pages.goals(tx, query);
        } else if (path.equals("/runs")) {
            return Pages.runs(tx);
        } else if (path.equals("/threads")) {
            return Pages.threads(tx);
        } else if (path.equals("/events")) {
            return Pages.events(tx, query);
        }
        String id = Decode.segment(path.substring(path.indexOf('/', 1) + 1));
        if (path.startsWith("/goals/")) {
            return Pages.goal(tx, id);
        } else if (path.startsWith("/runs/")) {
            return Pages.run(tx, id);
        }
        return Pages.thread(tx, id);
    }

    private int login(HttpExchange exchange, String method) throws IOException {
        Map<String, String> query = HttpFront.query(exchange.getRequestURI().getRawQuery());
        String next = safeNext(query.get("next"));
        if (tokenDigest == null) {
            return redirect(exchange, next);
        }
        String problem = null;
        if (method.equals("POST")) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(8193);
            }
            Map<String, String> form = body.length > 8192 ? Map.of() : HttpFront.query(new String(body,
                    StandardCharsets.UTF_8));
            next = safeNext(form.getOrDefault("next", next));
            String token = form.getOrDefault("token", "").strip();
            if (MessageDigest.isEqual(tokenDigest, sha256(token))) {
                exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + new String(cookieValue,
                        StandardCharsets.US_ASCII) + "; Path=/; HttpOnly; SameSite=Strict");
                return redirect(exchange, next);
            }
            problem = "That is not this server's token.";
        }
        String main = "<h1>Sign in</h1><p>This server needs the token of its <code>--token-file</code>.</p>"
                + (problem == null ? "" : "<p class=\"problem\" role=\"alert\">" + problem + "</p>")
                + "<form method=\"post\" action=\"/login\" class=\"login\"><input type=\"hidden\" name=\"next\" "
                + "value=\"" + esc(next) + "\"><label for=\"token\">Token</label> <input id=\"token\" name=\"token\" "
                + "type=\"password\" autocomplete=\"current-password\" required autofocus> <button type=\"submit\">"
                + "Sign in</button></form>";
        return page(exchange, problem == null ? 200 : 401, new Rendered("Sign in", "none", main), false, null);
    }

    /** Only a path on this server: never an open redirect to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/";
        }
        // Visible ASCII only: browsers drop tabs and line breaks from a Location (so "/\t/evil" becomes "//evil"),
        // a CR/LF would break the header, and anything above U+00FF cannot be sent in one.
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "/";
            }
        }
        return next;
    }

    private int page(HttpExchange exchange, int status, Rendered page) throws IOException {
        return page(exchange, status, page, true, null);
    }

    /** {@code after}: the log position the page's content was read at, where its live tail starts (null: none). */
    private int page(HttpExchange exchange, int status, Rendered page, boolean nav, String after) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(page.title())).append(" · Cairn</title><link rel=\"stylesheet\" "
                        + "href=\"/console/console.css\"><script src=\"/console/console.js\" defer></script></head>"
                        + "<body data-live=\"").append(page.live())
                .append(after == null ? "" : "\" data-after=\"" + esc(after)).append("\"><a class=\"skip\" "
                        + "href=\"#main\">Skip to content</a><header><span class=\"brand\">Cairn</span>");
        if (nav) {
            html.append("<nav aria-label=\"Console\"><ul>")
                    .append(navItem("/", "Goals", path.equals("/") || path.startsWith("/goals")))
                    .append(navItem("/runs", "Runs", path.startsWith("/runs")))
                    .append(navItem("/threads", "Threads", path.startsWith("/threads")))
                    .append(navItem("/events", "Events", path.equals("/events")))
                    .append("</ul></nav><span id=\"live-state\" role=\"status\" class=\"live\"></span>");
            if (tokenDigest != null) {
                html.append("<a class=\"logout\" href=\"/logout\">Sign out</a>");
            }
        }
        html.append("</header><main id=\"main\" tabindex=\"-1\">").append(page.main()).append("</main></body></html>");
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "same-origin");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        return send(exchange, status, "text/html; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String navItem(String href, String label, boolean current) {
        return "<li><a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + label + "</a></li>";
    }

    private static int redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(303, -1);
        return 303;
    }

    private static int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
