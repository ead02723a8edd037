package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepScope;
import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless browser (Debian's chromium through its chromedriver; Selenium Manager is never
 * asked to download anything): the demo store's pages, the drawn task graph checked from its positions, a live
 * update, the run timeline, login under a token, and an axe-core accessibility check. One browser for the class.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOKEN = "console-test-token-0123456789";
    private static final String DEMO_GOAL = "g-webhook-retries";
    private static final String LIVE_GOAL = "g-console-live";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    @TempDir
    static Path dir;

    static Cairn db;
    static CairnServer server;
    static ChromeDriver browser;
    static String demoRun;
    static String failedRun;
    static TaskClaim planClaim;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("the console's browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); skipped outside CI");
        }
        assertThat(installed).as("CI must have /usr/bin/chromium and /usr/bin/chromedriver (.ci/run installs them)")
                .isTrue();
        Path demo = dir.resolve("demo.db");
        Cli made = Cli.run("--db", demo.toString(), "demo");
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out()).contains("Open it in the console:", "serve", "/goals/" + DEMO_GOAL);
        db = Cairn.open(demo);
        demoRun = db.runs().recent(1).get(0).id();
        fixtures();
        server = CairnServer.builder(db).port(0).token(TOKEN).keepAlive(Duration.ofSeconds(2)).start();

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);

        // Signing in: a page asks for the token, and the cookie it sets carries the browser from then on.
        browser.get(url("/goals/" + DEMO_GOAL));
        assertThat(browser.getCurrentUrl()).contains("/login?next=");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("form.login button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> d.getCurrentUrl().endsWith("/goals/"
                + DEMO_GOAL));
        assertThat(js("return document.cookie")).as("the session cookie is HttpOnly").isEqualTo("");
        errors(); // the login page's own messages are not the pages' under test
    }

    /** A second goal with a task held by a worker, a run with a failed step, and a chat conversation. */
    private static void fixtures() {
        db.goals().create(GoalSpec.of(LIVE_GOAL, "Ship the console", "/srv/console"));
        db.goals().tasks().createBatch(LIVE_GOAL, List.of(
                TaskSpec.of(LIVE_GOAL, "plan", "Plan the pages"),
                TaskSpec.of(LIVE_GOAL, "server", "Render pages").withDependsOn("plan"),
                TaskSpec.of(LIVE_GOAL, "script", "Live updates").withDependsOn("plan"),
                TaskSpec.of(LIVE_GOAL, "tests", "Browser tests").withDependsOn("server", "script"),
                TaskSpec.of(LIVE_GOAL, "docs", "Screenshots").withDependsOn("tests", "plan")));
        planClaim = db.goals().tasks().claimTask(LIVE_GOAL, "plan", "worker-1", Duration.ofMinutes(10))
                .orElseThrow();
        try (RunScope run = db.runs().begin(Map.of("job", "nightly import"), Map.of("retries", 1))) {
            failedRun = run.id();
            try (StepScope fetch = run.step("fetch")) {
                fetch.stat("files", 12);
                fetch.audit(AuditLevel.INFO, "fetch.done", "12 files fetched", Map.of("bytes", 4096));
                fetch.success();
            }
            try (StepScope parse = run.step("parse")) {
                parse.audit(AuditLevel.ERROR, "parse.bad", "line 7 is not JSON", null);
                parse.fail("line 7 is not JSON");
            }
        }
        db.conversations().sync("support-42", List.of(ConversationMessage.of("user", "Where is my parcel?"),
                ConversationMessage.of("assistant", "It left the depot this morning.")), 0);
    }

    @BeforeEach
    void drainTheBrowserLog() {
        errors(); // each test answers for its own pages only
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static String url(String path) {
        return server.uri() + path;
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Console errors and failed loads since the last call (Chrome logs a failed request as a SEVERE entry). */
    static List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                errors.add(entry.getLevel() + " " + entry.getMessage());
            }
        }
        return errors;
    }

    static List<String> pages() {
        return List.of("/", "/?status=" + db.goals().get(DEMO_GOAL).status(), "/goals/" + DEMO_GOAL,
                "/goals/" + LIVE_GOAL, "/runs", "/runs/" + demoRun, "/runs/" + failedRun, "/threads",
                "/threads/t-flaky-ci", "/threads/" + db.conversations().streamId("support-42"), "/events",
                "/events?from=start");
    }

    @Test
    void everyPageLoadsWithoutErrorsOrFailedRequests() {
        for (String page : pages()) {
            browser.get(url(page));
            assertThat(browser.getCurrentUrl()).as("no redirect away from " + page).isEqualTo(url(page));
            assertThat(browser.getTitle()).as(page).endsWith("· Cairn").doesNotContain("Not found");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> loads = (List<Map<String, Object>>) js("return performance"
                    + ".getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                    + ".map(e => ({name: e.name, status: e.responseStatus}))");
            assertThat(loads).as(page + " loads the page, its stylesheet and its script")
                    .hasSizeGreaterThanOrEqualTo(3);
            for (Map<String, Object> load : loads) {
                assertThat(((Number) load.get("status")).intValue()).as(load.get("name").toString()).isBetween(200,
                        299);
                assertThat(load.get("name").toString()).as("nothing leaves the server").startsWith(server.uri()
                        .toString());
            }
            assertThat(errors()).as(page).isEmpty();
        }
        browser.get(url("/goals/no-such-goal"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(errors()).as("a missing goal answers 404, which the browser reports").hasSize(1);
    }

    @Test
    void theDemoGoalsGraphIsDrawnInDependencyOrder() throws IOException {
        browser.get(url("/goals/" + DEMO_GOAL));
        List<Task> tasks = db.goals().tasks().byGoal(DEMO_GOAL);
        assertThat(tasks).hasSize(5);
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) js("""
                const nodes = {};
                for (const g of document.querySelectorAll('#dag g.task')) {
                  const b = g.querySelector('rect').getBBox();
                  nodes[g.dataset.task] = {status: g.dataset.status, text: g.textContent,
                                           x: b.x, y: b.y, w: b.width, h: b.height};
                }
                const edges = [];
                for (const p of document.querySelectorAll('#dag path.edge')) {
                  const a = p.getPointAtLength(0), z = p.getPointAtLength(p.getTotalLength());
                  edges.push({from: p.dataset.from, to: p.dataset.to, x1: a.x, y1: a.y, x2: z.x, y2: z.y,
                              arrow: p.getAttribute('marker-end')});
                }
                return {nodes, edges};""");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> nodes = (Map<String, Map<String, Object>>) drawn.get("nodes");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>) drawn.get("edges");
        assertThat(nodes.keySet()).containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::id).toList());
        int dependencies = 0;
        for (Task task : tasks) {
            Map<String, Object> node = nodes.get(task.id());
            assertThat(node.get("status")).as(task.id()).isEqualTo(task.status().toString());
            assertThat(node.get("text").toString()).as(task.id()).contains(task.status().toString());
            for (String dependency : task.dependsOn()) {
                dependencies++;
                Map<String, Object> from = nodes.get(dependency);
                List<Map<String, Object>> arrows = edges.stream().filter(e -> e.get("from").equals(dependency)
                        && e.get("to").equals(task.id())).toList();
                assertThat(arrows).as(dependency + " -> " + task.id()).hasSize(1);
                Map<String, Object> arrow = arrows.get(0);
                assertThat(arrow.get("arrow")).as("an arrowhead at the dependent's end").isEqualTo("url(#arrow)");
                // Starts on the dependency's right side, ends on the dependent's left side.
                assertThat(n(arrow, "x1")).isCloseTo(n(from, "x") + n(from, "w"), within());
                assertThat(n(arrow, "y1")).isBetween(n(from, "y"), n(from, "y") + n(from, "h"));
                assertThat(n(arrow, "x2")).isCloseTo(n(node, "x"), within());
                assertThat(n(arrow, "y2")).isBetween(n(node, "y"), n(node, "y") + n(node, "h"));
                // Layers in dependency order: every dependency lies wholly left of its dependent.
                assertThat(n(from, "x") + n(from, "w")).as(dependency + " left of " + task.id())
                        .isLessThan(n(node, "x"));
            }
        }
        assertThat(dependencies).as("the demo graph has dependencies to check").isEqualTo(4);
        assertThat(edges).as("one arrow per dependency, no more").hasSize(dependencies);
        assertThat(browser.findElements(By.cssSelector("#chart-time, #chart-tokens, #chart-money"))).hasSize(3);
        assertThat(browser.findElement(By.id("main")).getText()).contains("3/3 gates passed", "docs/plan.md",
                "Retry in the dispatcher, not in the HTTP client");
        screenshot("goal.png");
        browser.get(url("/"));
        assertThat(browser.findElements(By.cssSelector("#goals tbody tr"))).hasSize(2);
        assertThat(browser.findElement(By.cssSelector("#goals tbody tr")).getAttribute("data-goal"))
                .as("newest first").isEqualTo(LIVE_GOAL);
        screenshot("goals.png");
        assertThat(errors()).isEmpty();
    }

    @Test
    void aTaskCompletedThroughTheApiTurnsDoneOnTheOpenPageWithinTwoSeconds() throws Exception {
        browser.get(url("/goals/" + LIVE_GOAL));
        WebElement plan = browser.findElement(By.cssSelector("#dag g.task[data-task='plan']"));
        assertThat(plan.getAttribute("data-status")).isEqualTo("running");
        assertThat(plan.getText()).contains("held by worker-1");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> "live".equals(d.findElement(By.id("live-state"))
                .getText()));
        js("window.stillTheSamePage = true");
        String body = "{\"owner\":\"worker-1\",\"token\":\"" + planClaim.token() + "\",\"evidence\":[\"planned\"]}";
        HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/goals/" + LIVE_GOAL
                + "/tasks/plan/complete"))).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        long sent = System.nanoTime();
        // The page swaps in a fresh <main>: an element found just before the swap goes stale, so look again.
        new WebDriverWait(browser, Duration.ofSeconds(2), Duration.ofMillis(20))
                .ignoring(StaleElementReferenceException.class).until(d -> "done".equals(
                d.findElement(By.cssSelector("#dag g.task[data-task='plan']")).getAttribute("data-status")));
        long millis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(js("return window.stillTheSamePage === true")).as("updated in place, not reloaded").isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("#tasks tr[data-task='plan']")).getText()).contains("done");
        System.out.println("console: the open goal page showed the completed task after " + millis + " ms");
        assertThat(errors()).isEmpty();
    }

    @Test
    void theRunPageShowsEveryStepOnTheTimelineWithFailuresMarked() throws IOException {
        for (String runId : List.of(demoRun, failedRun)) {
            browser.get(url("/runs/" + runId));
            List<Step> steps = db.runs().steps(runId);
            assertThat(steps).as("the run has steps to show").hasSizeGreaterThanOrEqualTo(2);
            List<WebElement> bars = browser.findElements(By.cssSelector("#timeline g.step"));
            assertThat(bars.stream().map(b -> b.getAttribute("data-step")).toList())
                    .containsExactlyElementsOf(steps.stream().map(Step::name).toList());
            for (int i = 0; i < steps.size(); i++) {
                assertThat(bars.get(i).getAttribute("data-status")).isEqualTo(steps.get(i).status().toString());
                assertThat(bars.get(i).findElement(By.tagName("rect")).getSize().getWidth()).isPositive();
            }
            assertThat(browser.findElements(By.cssSelector("#steps tbody tr"))).hasSize(steps.size());
            if (runId.equals(demoRun)) {
                screenshot("run.png");
            }
        }
        WebElement parse = browser.findElement(By.cssSelector("#timeline g.step[data-step='parse']"));
        assertThat(parse.getAttribute("data-status")).isEqualTo("failed");
        assertThat(parse.getText()).contains("failed");
        assertThat(browser.findElement(By.cssSelector("#steps tr[data-step='parse']")).getText())
                .contains("line 7 is not JSON", "parse.bad");
        assertThat(browser.findElement(By.cssSelector("#steps tr[data-step='fetch']")).getText())
                .contains("\"files\":12", "12 files fetched");
        assertThat(errors()).isEmpty();
    }

    @Test
    void threadsShowTranscripts() {
        browser.get(url("/threads/" + db.conversations().streamId("support-42")));
        assertThat(browser.findElement(By.cssSelector(".transcript")).getText()).contains("Where is my parcel?",
                "It left the depot this morning.");
        browser.get(url("/threads"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("t-flaky-ci", "support-42");
    }

    @Test
    void theEventsPageTailsTheLog() throws Exception {
        browser.get(url("/events"));
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> d.findElement(By.id("tail-state")).getText()
                .startsWith("listening"));
        HttpResponse<String> appended = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/streams/probe:console"
                + "/events"))).header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"type\":"
                        + "\"probe.sent\",\"payload\":{\"n\":1}}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(appended.statusCode()).as(appended.body()).isBetween(200, 201);
        new WebDriverWait(browser, Duration.ofSeconds(2)).until(d -> d.findElement(By.cssSelector("#events tbody"))
                .getText().contains("probe.sent"));
        assertThat(browser.findElement(By.cssSelector("#events tbody")).getText()).contains("probe:console");
    }

    @Test
    void withoutTheCookieOrTokenNothingIsShownAndTheCookieNeverWrites() throws Exception {
        HttpResponse<String> page = get("/goals/" + DEMO_GOAL, null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fgoals%2F" + DEMO_GOAL);
        assertThat(get("/v1/events/stream", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=not-the-token&next=%2F")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> right = HTTP.send(HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN + "&next=%2F%2Fevil.example")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).as("no open redirect").hasValue("/");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict").doesNotContain(TOKEN);
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(get("/goals/" + DEMO_GOAL, pair).statusCode()).isEqualTo(200);
        assertThat(get("/v1/goals/" + DEMO_GOAL, pair).statusCode()).as("the cookie reads the API").isEqualTo(200);
        HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/goals"))).header("Cookie",
                pair).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"g-by-cookie\",\"text\":\"x\",\"projectDir\":\"/tmp\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("a cookie never authorizes a write").isEqualTo(401);
        assertThat(db.goals().find("g-by-cookie")).isEmpty();
    }

    @Test
    void withoutATokenThereIsNothingToSignInToAndTheConsoleStillOnlyReads() throws Exception {
        try (CairnServer open = CairnServer.builder(db).port(0).start()) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(open.uri().resolve("/goals/" + DEMO_GOAL))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"));
            assertThat(page.body()).contains("data-task=\"dispatcher\"").doesNotContain("Sign out");
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(open.uri().resolve("/login?next=%2Fruns"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValue("/runs");
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(open.uri().resolve("/goals/" + DEMO_GOAL))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(open.uri().resolve("/runs/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("<h1>Not found</h1>", "nope");
        }
    }

    @Test
    void axeFindsNoSeriousViolationOnAnyPage() throws IOException {
        String axe;
        try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream("/axe/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> serious = new LinkedHashMap<>();
        int checked = 0;
        for (String page : pages()) {
            browser.get(url(page));
            js(axe);
            String result = (String) ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r)),
                        e => done(JSON.stringify({error: String(e)})));""");
            JsonNode report = JsonOutput.MAPPER.readTree(result);
            assertThat(report.has("error")).as(result).isFalse();
            assertThat(report.path("passes").size()).as("axe checked something on " + page).isPositive();
            checked++;
            for (JsonNode violation : report.path("violations")) {
                String impact = violation.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) {
                    serious.computeIfAbsent(page, p -> new ArrayList<>()).add(violation.path("id").asText() + ": "
                            + violation.path("nodes").get(0).path("html").asText());
                }
            }
        }
        assertThat(checked).isEqualTo(pages().size());
        assertThat(serious).isEmpty();
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (path.contains("/stream")) {
            return HTTP.send(request.build(), r -> HttpResponse.BodySubscribers.replacing(""));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static double n(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1.0);
    }
}
