package dev.doorcast.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine's headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs), driven
 * over WebDriver. The driver and browser paths are given, so Selenium Manager never tries to download one;
 * the flags keep Chromium off the network it would otherwise call home to, which is closed here.
 *
 * <p>Every page it opens is watched for what its {@code Content-Security-Policy} blocks (a
 * {@code securitypolicyviolation} event, recorded by a script Chromium runs before the page's own): the page
 * must work under its policy, so {@link #close()} fails a test whose page broke it.
 */
public final class Browser implements AutoCloseable {

    /** Screenshots and the driver's log, kept as build artifacts (CI uploads this folder). */
    public static final Path ARTIFACTS = Path.of("target", "screenshots");

    /** Debian's paths; a machine with its browser elsewhere (a GitHub runner's Chrome) names its own. */
    private static final String CHROMIUM = System.getenv().getOrDefault("DOORCAST_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER =
            System.getenv().getOrDefault("DOORCAST_CHROMEDRIVER", "/usr/bin/chromedriver");

    /** Runs in every document before its own scripts; DevTools' scripts are not subject to the page's policy. */
    private static final String WATCH_POLICY = """
            window.__policyViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__policyViolations.push(
                `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
            """;

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;
    private final List<String> policyViolations = new ArrayList<>();

    public Browser() {
        this(new String[0]);
    }

    /** A browser started with more command-line switches, such as a fake microphone's. */
    public Browser(String... switches) {
        try {
            Files.createDirectories(ARTIFACTS);
            profile = Files.createTempDirectory("doorcast-chromium-");
            downloads = Files.createDirectories(profile.resolve("downloads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(ARTIFACTS.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        // The test clicks "Start audio", which is a gesture; this only spares flakiness.
                        "--autoplay-policy=no-user-gesture-required",
                        "--window-size=1000,1000",
                        "--user-data-dir=" + profile.toAbsolutePath())
                .addArguments(switches)
                .setExperimentalOption("prefs", Map.of(
                        "download.default_directory", downloads.toAbsolutePath().toString(),
                        "download.prompt_for_download", false));
        driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH_POLICY));
    }

    public void open(String url) {
        collectPolicyViolations();
        driver.get(url);
    }

    /** What the pages opened so far had blocked by their Content-Security-Policy, taken: it starts over empty. */
    public List<String> takePolicyViolations() {
        collectPolicyViolations();
        List<String> taken = List.copyOf(policyViolations);
        policyViolations.clear();
        return taken;
    }

    /** Fails if a page opened so far had anything blocked by its Content-Security-Policy. */
    public void assertNoPolicyViolations() {
        List<String> violations = takePolicyViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("the page broke its Content-Security-Policy: " + violations);
        }
    }

    @SuppressWarnings("unchecked")
    private void collectPolicyViolations() {
        if (driver.executeScript("return window.__policyViolations || []") instanceof List<?> seen) {
            ((List<Object>) seen).forEach(violation -> policyViolations.add(String.valueOf(violation)));
            driver.executeScript("if (window.__policyViolations) window.__policyViolations.length = 0");
        }
    }

    /** Where the page is now, as its address bar shows it. */
    public String url() {
        return driver.getCurrentUrl();
    }

    /**
     * A hash of the picture the page shows (the {@code <img id="camera">} drawn into a tiny canvas), or null
     * before its first frame: it changes as the doorbell's frames arrive.
     */
    public @Nullable Object pictureHash() {
        return script("""
                const img = document.getElementById('camera');
                if (!img || !img.complete || img.naturalWidth === 0) return null;
                const canvas = document.createElement('canvas');
                canvas.width = 64;
                canvas.height = 48;
                const g = canvas.getContext('2d');
                g.drawImage(img, 0, 0, 64, 48);
                let hash = 0;
                for (const v of g.getImageData(0, 0, 64, 48).data) hash = (hash * 31 + v) | 0;
                return hash;
                """);
    }

    public WebElement find(String id) {
        return driver.findElement(By.id(id));
    }

    public String text(String id) {
        return find(id).getText();
    }

    /** Runs {@code script} in the page (as the body of a function) and returns what it returns. */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs {@code script} asynchronously; it ends by calling its last argument with the result. */
    public Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Presses the left button on the element and keeps it down, as a finger on "Hold to talk" does. */
    public void hold(String id) {
        new Actions(driver).clickAndHold(find(id)).perform();
    }

    /**
     * Sends a Chrome DevTools Protocol command to the page's target (such as {@code Browser.grantPermissions},
     * {@code Page.getAppManifest}, {@code ServiceWorker.deliverPushMessage}) and returns its result.
     */
    public Map<String, Object> devTools(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /** Runs {@code script} in every document this browser opens from now on, before the document's own. */
    public void beforeEachPage(String script) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    /**
     * Delivers {@code data} to the service worker registered for {@code scope} (such as
     * {@code http://127.0.0.1:8080/}) as a push message, as the browser's push service would: the worker's
     * {@code push} event gets it, whatever subscription there is or is not.
     */
    public void push(String scope, String data, Duration patience) {
        driver.executeCdpCommand("ServiceWorker.enable", Map.of());
        URI origin = URI.create(scope).resolve("/");
        String registration = serviceWorkerRegistrationId(scope, patience);
        driver.executeCdpCommand("ServiceWorker.deliverPushMessage", Map.of("origin",
                origin.toString().replaceAll("/$", ""), "registrationId", registration, "data", data));
    }

    /**
     * The DevTools id of the service worker registration for {@code scope}, which
     * {@code ServiceWorker.deliverPushMessage} takes. DevTools tells it only in an event, and ChromeDriver
     * relays commands but no events, so this listens on a DevTools connection of its own to the page's target.
     */
    private String serviceWorkerRegistrationId(String scope, Duration patience) {
        JsonMapper json = JsonMapper.builder().build();
        Object chromeOptions = driver.getCapabilities().getCapability("goog:chromeOptions");
        String address = String.valueOf(((Map<?, ?>) chromeOptions).get("debuggerAddress"));
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://" + address + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asString())) {
                    page = target.path("webSocketDebuggerUrl").asString();
                    break;
                }
            }
            if (page == null) {
                throw new AssertionError("no page target in " + targets);
            }
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        messages.add(message.toString());
                        message.setLength(0);
                    }
                    webSocket.request(1);
                    return CompletableFuture.completedFuture(null);
                }
            }).get(patience.toMillis(), TimeUnit.MILLISECONDS);
            try {
                socket.sendText("{\"id\":1,\"method\":\"ServiceWorker.enable\"}", true)
                        .get(patience.toMillis(), TimeUnit.MILLISECONDS);
                long deadline = System.nanoTime() + patience.toNanos();
                for (String text; (text = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                    JsonNode message = json.readTree(text);
                    if ("ServiceWorker.workerRegistrationUpdated".equals(message.path("method").asString())) {
                        for (JsonNode registration : message.path("params").path("registrations")) {
                            if (scope.equals(registration.path("scopeURL").asString())
                                    && !registration.path("isDeleted").asBoolean()) {
                                return registration.path("registrationId").asString();
                            }
                        }
                    }
                }
                throw new AssertionError("DevTools told of no service worker registered for " + scope);
            } finally {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(patience.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("DevTools did not answer", e);
        }
    }

    /** Lets go of a button held with {@link #hold}. */
    public void release(String id) {
        new Actions(driver).release(find(id)).perform();
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a PNG of the viewport under {@link #ARTIFACTS} and returns its path. */
    public Path screenshot(String name) {
        try {
            Path file = ARTIFACTS.resolve(name);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files the page has finished downloading (no partial {@code .crdownload} ones). */
    public Stream<Path> downloads() {
        try {
            return Files.list(downloads).filter(f -> !f.getFileName().toString().endsWith(".crdownload")).toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits the browser; fails if a page broke its Content-Security-Policy since the last check. */
    @Override
    public void close() {
        List<String> violations = List.of();
        try {
            violations = takePolicyViolations();
        } catch (RuntimeException browserGone) {
            // A browser that already died has nothing more to tell.
        }
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // A temp dir left behind is harmless.
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("the page broke its Content-Security-Policy: " + violations);
        }
    }
}
