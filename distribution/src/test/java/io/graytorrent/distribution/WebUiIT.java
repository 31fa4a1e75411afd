package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.graytorrent.testkit.Interop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.testkit.LeftoverProcesses;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium against a real {@code bin/gray server start --web}: log in,
 * add a torrent through the page's file input, watch it download from a libtorrent seeder on
 * 127.0.0.1, look at its details, sort, filter, set a priority, stop and remove it, then paste its
 * magnet link and watch it fetch the metadata and download again; add .torrents by URL from an HTTP
 * server in the test, label them, filter by label and change settings (with the API's refusal shown);
 * and a wrong token. Screenshots go to target/screenshots/ (main.png, main-narrow.png, labels.png,
 * settings.png, settings-error.png, login-error.png, failure-*.png).
 */
@Interop
@ExtendWith(LeftoverProcesses.class)
class WebUiIT {
    private static final Pattern WEB_UI_LINE = Pattern.compile("web UI: (http://127\\.0\\.0\\.1:\\d+/) \\(log in with the token in (.+)\\)");
    private static final Path SCREENSHOTS = GrayCommand.distribution().getParent().resolve("screenshots");
    private static final int SIZE = 6 << 20;

    @TempDir
    Path work;
    private GrayCommand gray;
    private String url;
    private String token;

    @BeforeEach
    void startServer() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        GrayCommand.Result started = assertSucceeds(gray.run("server", "start", "--web"));
        Matcher line = WEB_UI_LINE.matcher(started.out());
        assertTrue(line.find(), "server start --web prints the address to open: " + started);
        url = line.group(1);
        token = Files.readString(Path.of(line.group(2))).trim();
    }

    @AfterEach
    void stopServer() throws Exception {
        gray.run("server", "stop");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void logInAddATorrentWatchItDownloadThenStopAndRemoveIt() throws Exception {
        Path torrent = createTorrent("data", List.of("a.bin", "sub/b.bin"), SIZE);
        Path notes = createTorrent("notes", List.of("notes.txt"), 1000);
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 2 << 20);
                HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            ChromeDriver page = browser.driver();
            try {
                logIn(page, token);
                // the DHT runs with no node to join in tests: its count shows, 0
                await(page, 15).until(ExpectedConditions.textToBe(By.id("total-dht"), "0"));
                String id = addThroughTheFileInput(page, torrent);
                // the .torrent names no tracker: tell the server where the seeder is, as a user would
                assertSucceeds(gray.run("connect", id, seeder.address()));

                // the page selected the new torrent: its details are open on the Files tab
                await(page, 10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"), "sub/b.bin"));
                showTab(page, "peers", "libtorrent", 60);
                watchTheProgressBarReachTheEnd(page, id);
                await(page, 30).until(ExpectedConditions.textToBe(stateCell(id), "Seeding"));

                // a second, small torrent, paused: something to sort and filter against
                dropAndAddPaused(page, notes);
                addingItAgainShowsTheApiError(page, torrent);
                sortAndFilter(page);
                setAFilePriority(page, id);
                showTab(page, "trackers", "no trackers", 10);
                showTab(page, "pieces", "24 of 24 pieces verified", 10);
                twoMoreRateSamples(page);
                browser.screenshot(SCREENSHOTS.resolve("main.png"));
                lookAtANarrowWindow(browser);

                page.findElement(By.id("action-stop")).click();
                await(page, 20).until(ExpectedConditions.textToBe(stateCell(id), "Stopped"));
                String infoHash = new ObjectMapper().readTree(assertSucceeds(gray.run("info", id, "--json")).out())
                        .get("infoHash").asText();
                remove(page, id, true);
                // the engine deletes the files once the torrent's storage has closed, just after the answer
                Path removedFile = work.resolve("out/data/sub/b.bin");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (Files.exists(removedFile) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertFalse(Files.exists(removedFile), "removed with its data");
                String notesId = page.findElement(By.xpath(rowNamed("notes"))).getDomAttribute("data-id");
                page.findElement(By.cssSelector("#torrents tr[data-id='" + notesId + "']")).click();
                page.findElement(By.id("action-start")).click(); // added paused: start it
                await(page, 20).until(ExpectedConditions.not(ExpectedConditions.textToBe(stateCell(notesId), "Stopped")));
                remove(page, notesId, false);

                // the same torrent again, from a magnet link pasted on the page: metadata from libtorrent (x.pe), then data
                String magnetId = pasteAndAddAMagnet(page, "magnet:?xt=urn:btih:" + infoHash + "&dn=pasted&x.pe=" + seeder.address());
                watchTheProgressBarReachTheEnd(page, magnetId);
                await(page, 30).until(ExpectedConditions.textToBe(stateCell(magnetId), "Seeding"));
                assertEquals("data", page.findElement(By.cssSelector("#torrents tr[data-id='" + magnetId + "'] td.col-name")).getText());
                assertEquals(-1, Files.mismatch(work.resolve("seed/data/sub/b.bin"), work.resolve("magnet/data/sub/b.bin")));
                remove(page, magnetId, true);
                assertNoConsoleErrors(page);

                page.findElement(By.id("logout")).click();
                await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token")));
                assertEquals(401L, statusOf(page, "/api/v1/torrents"), "after logging out the cookie opens nothing");
            } catch (Throwable failure) {
                browser.screenshot(SCREENSHOTS.resolve("failure-download.png"));
                throw failure;
            }
        }
        assertEquals(0, torrentCount(), "the server forgot both torrents");
        assertTrue(Files.exists(work.resolve("out")), "data is deleted inside the torrent's directory only");
    }

    private String addThroughTheFileInput(ChromeDriver page, Path torrent) {
        page.findElement(By.id("add-open")).click();
        page.findElement(By.id("add-file")).sendKeys(torrent.toString());
        page.findElement(By.id("add-save")).sendKeys(work.resolve("out").toString());
        page.findElement(By.id("add-submit")).click();
        return await(page, 20).until(ExpectedConditions.presenceOfElementLocated(By.xpath(rowNamed("data"))))
                .getDomAttribute("data-id");
    }

    /** As a file dragged from the desktop arrives: a drop event whose DataTransfer holds the file. */
    private void dropAndAddPaused(ChromeDriver page, Path torrent) throws Exception {
        page.executeScript("const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                + "const files = new DataTransfer();"
                + "files.items.add(new File([bytes], arguments[1], {type: 'application/x-bittorrent'}));"
                + "document.body.dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));",
                Base64.getEncoder().encodeToString(Files.readAllBytes(torrent)), torrent.getFileName().toString());
        await(page, 5).until(ExpectedConditions.textToBe(By.id("add-file-name"), "Dropped: notes.torrent"));
        page.findElement(By.id("add-save")).sendKeys(work.resolve("notes").toString());
        page.findElement(By.id("add-paused")).click();
        page.findElement(By.id("add-submit")).click();
        String id = await(page, 20).until(ExpectedConditions.presenceOfElementLocated(By.xpath(rowNamed("notes"))))
                .getDomAttribute("data-id");
        await(page, 20).until(ExpectedConditions.textToBe(stateCell(id), "Stopped"));
    }

    /**
     * A magnet link pasted anywhere on the page opens the add dialog holding it; added, it gets a row
     * whose first state is printed ("Fetching metadata" unless the metadata came before the page's first update).
     */
    private String pasteAndAddAMagnet(ChromeDriver page, String magnet) throws InterruptedException {
        page.executeScript("const text = new DataTransfer(); text.setData('text/plain', arguments[0]);"
                + "document.body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: text, bubbles: true, cancelable: true}));",
                magnet);
        await(page, 5).until(ExpectedConditions.visibilityOfElementLocated(By.id("add-dialog")));
        assertEquals(magnet, page.findElement(By.id("add-magnet")).getDomProperty("value"));
        page.findElement(By.id("add-save")).sendKeys(work.resolve("magnet").toString());
        page.findElement(By.id("add-submit")).click();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<?> row = null;
        while (row == null && System.nanoTime() < deadline) {
            row = (List<?>) page.executeScript("const row = document.querySelector('#torrents tbody tr[data-id]');"
                    + "return row && [row.dataset.id, row.querySelector('td.col-name').textContent,"
                    + " row.querySelector('td.col-state').textContent];");
            Thread.sleep(20);
        }
        assertTrue(row != null, "the magnet link got a row");
        System.out.printf("web UI magnet: the new row first showed %s, %s%n", row.get(1), row.get(2));
        return (String) row.get(0);
    }

    private static void watchTheProgressBarReachTheEnd(ChromeDriver page, String id) throws InterruptedException {
        By bar = By.cssSelector("#torrents tr[data-id='" + id + "'] [role=progressbar]");
        double seen = 0;
        boolean sawPartial = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen < 100 && System.nanoTime() < deadline) {
            seen = Double.parseDouble(page.findElement(bar).getDomAttribute("aria-valuenow"));
            sawPartial |= seen > 0 && seen < 100;
            Thread.sleep(100);
        }
        assertEquals(100.0, seen, "the progress bar reached 100 %");
        assertTrue(sawPartial, "the bar moved through the download, not straight to the end");
    }

    private static void addingItAgainShowsTheApiError(ChromeDriver page, Path torrent) {
        page.findElement(By.id("add-open")).click();
        page.findElement(By.id("add-file")).sendKeys(torrent.toString());
        page.findElement(By.id("add-submit")).click();
        WebElement error = await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("add-error")));
        assertTrue(error.getText().endsWith("(conflict)"), "the API's code and message are shown: " + error.getText());
        page.findElement(By.id("add-cancel")).click();
    }

    private static void sortAndFilter(ChromeDriver page) {
        page.findElement(By.cssSelector("th.col-size button")).click(); // numbers sort largest first
        assertEquals(List.of("data", "notes"), shownNames(page));
        page.findElement(By.cssSelector("th.col-size button")).click();
        assertEquals(List.of("notes", "data"), shownNames(page));
        page.findElement(By.id("filter-text")).sendKeys("NOT");
        assertEquals(List.of("notes"), shownNames(page));
        // typed away, as a user would: WebElement.clear() fires no input event
        page.findElement(By.id("filter-text")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        Select state = new Select(page.findElement(By.id("filter-state")));
        state.selectByValue("seeding");
        assertEquals(List.of("data"), shownNames(page));
        state.selectByValue("stopped");
        assertEquals(List.of("notes"), shownNames(page));
        state.selectByValue("");
        assertEquals(List.of("notes", "data"), shownNames(page));
    }

    private void setAFilePriority(ChromeDriver page, String id) throws Exception {
        page.findElement(By.cssSelector("#torrents tr[data-id='" + id + "']")).click();
        showTab(page, "files", "a.bin", 10);
        // the tab refreshes its rows in place every two seconds: this select stays the one on the page
        WebElement priority = page.findElement(By.cssSelector("#details-body select[aria-label='Priority of a.bin']"));
        new Select(priority).selectByValue("high");
        await(page, 20).until(driver -> priorityOnTheServer(id, "a.bin").equals("high"));
        int refreshes = refreshes(page);
        await(page, 10).until(driver -> refreshes(page) > refreshes);
        assertEquals("high", priority.getAttribute("value"), "the same select, refreshed, keeps the choice");
    }

    private String priorityOnTheServer(String id, String path) {
        try {
            JsonNode files = new ObjectMapper().readTree(assertSucceeds(gray.run("files", id, "--json")).out());
            for (JsonNode file : files) {
                if (file.get("path").asText().equals(path)) {
                    return file.get("priority").asText();
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many times the details pane has shown an answer of its refresh. */
    private static int refreshes(ChromeDriver page) {
        return Integer.parseInt(page.findElement(By.id("details-body")).getAttribute("data-refreshes"));
    }

    /** The chart draws a sample per stats event (about one a second); a screenshot wants a line, not a dot. */
    private static void twoMoreRateSamples(ChromeDriver page) {
        WebElement chart = page.findElement(By.id("rate-chart"));
        int now = Integer.parseInt(chart.getAttribute("data-samples"));
        await(page, 10).until(driver -> Integer.parseInt(chart.getAttribute("data-samples")) >= now + 2);
    }

    private static void lookAtANarrowWindow(HeadlessChromium browser) throws Exception {
        browser.resize(400, 860);
        await(browser.driver(), 10).until(driver -> Long.valueOf(400).equals(
                browser.driver().executeScript("return window.innerWidth;")));
        browser.screenshot(SCREENSHOTS.resolve("main-narrow.png"));
        Object overflow = browser.driver().executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, overflow, "nothing is wider than a 400 px window");
        browser.resize(1280, 900);
    }

    private static void remove(ChromeDriver page, String id, boolean withData) {
        page.findElement(By.cssSelector("#torrents tr[data-id='" + id + "']")).click();
        page.findElement(By.id("action-remove")).click();
        await(page, 5).until(ExpectedConditions.visibilityOfElementLocated(By.id("remove-dialog")));
        WebElement deleteData = page.findElement(By.id("remove-data"));
        assertFalse(deleteData.isSelected(), "keeping the data is the default");
        if (withData) {
            deleteData.click();
        }
        page.findElement(By.id("remove-confirm")).click();
        await(page, 10).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#torrents tr[data-id='" + id + "']")));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void addByUrlLabelFilterAndChangeSettings() throws Exception {
        Path notes = createTorrent("notes", List.of("notes.txt"), 1000);
        Path data = createTorrent("data", List.of("a.bin"), 100_000);
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(web, "/notes.torrent", 200, Files.readAllBytes(notes), null);
        serve(web, "/moved/data.torrent", 302, new byte[0], "/data.torrent");
        serve(web, "/data.torrent", 200, Files.readAllBytes(data), null);
        serve(web, "/ftp.torrent", 302, new byte[0], "ftp://127.0.0.1/data.torrent");
        web.start();
        String base = "http://127.0.0.1:" + web.getAddress().getPort();
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            ChromeDriver page = browser.driver();
            try {
                logIn(page, token);
                String notesId = addByUrl(page, base + "/notes.torrent", "notes");
                String dataId = addByUrl(page, base + "/moved/data.torrent", "data");
                page.findElement(By.id("add-open")).click();
                page.findElement(By.id("add-magnet")).sendKeys(base + "/ftp.torrent");
                page.findElement(By.id("add-submit")).click();
                WebElement refused = await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("add-error")));
                assertEquals("fetching " + base + "/ftp.torrent failed: a redirect must be http or https, not ftp: (fetch_failed)",
                        refused.getText());
                page.findElement(By.id("add-cancel")).click();

                // labels set in the page, and one set with gray label: the event stream brings it to the row
                setLabels(page, notesId, "linux, work");
                await(page, 10).until(ExpectedConditions.attributeToBe(labelsCell(notesId), "data-labels", "linux,work"));
                assertSucceeds(gray.run("label", dataId, "+linux"));
                await(page, 10).until(ExpectedConditions.attributeToBe(labelsCell(dataId), "data-labels", "linux"));
                Select label = new Select(page.findElement(By.id("filter-label")));
                await(page, 10).until(driver -> label.getOptions().size() == 3);
                assertEquals(List.of("All labels", "linux", "work"), label.getOptions().stream().map(WebElement::getText).toList());
                label.selectByValue("work");
                assertEquals(List.of("notes"), shownNames(page));
                label.selectByValue("linux");
                assertEquals(List.of("data", "notes"), shownNames(page));
                browser.screenshot(SCREENSHOTS.resolve("labels.png"));
                setLabels(page, notesId, "linux");
                await(page, 10).until(ExpectedConditions.attributeToBe(labelsCell(notesId), "data-labels", "linux"));
                assertEquals("[\"linux\"]", new ObjectMapper().readTree(assertSucceeds(gray.run("info", notesId, "--json")).out())
                        .get("labels").toString(), "the page's change reached the server");
                label.selectByValue("");

                changeSettings(page, browser);
            } catch (Throwable failure) {
                browser.screenshot(SCREENSHOTS.resolve("failure-settings.png"));
                throw failure;
            } finally {
                web.stop(0);
            }
            assertNoConsoleErrors(page);
        }
    }

    private void changeSettings(ChromeDriver page, HeadlessChromium browser) throws Exception {
        page.findElement(By.id("settings-open")).click();
        await(page, 10).until(ExpectedConditions.presenceOfElementLocated(By.id("setting-downloadRateLimit")));
        List<String> groups = page.findElements(By.cssSelector("#settings-fields legend")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("Speed", "Turtle mode", "Connections", "Folders", "Watch folder"), groups.subList(0, 5),
                "groups: " + groups);
        // every key the API returns has its field, named by its key
        JsonNode settings = new ObjectMapper().readTree((String) page.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/v1/settings').then(r => r.text()).then(done, e => done(String(e)));"));
        settings.fieldNames().forEachRemaining(key ->
                assertEquals(1, page.findElements(By.cssSelector("#settings-fields [data-key='" + key + "']")).size(), key));
        assertEquals("no", page.findElement(By.id("setting-altSpeedActive")).getText());

        typeInto(page, "setting-downloadRateLimit", "512");
        typeInto(page, "setting-altDownloadRateLimit", "64");
        typeInto(page, "setting-altUploadRateLimit", "16");
        typeInto(page, "setting-altSpeedSchedule", "weekends 10:00-12:00");
        page.findElement(By.id("settings-save")).click();
        WebElement error = await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("settings-error")));
        assertEquals("altSpeedSchedule: \"weekends\" is not a day: mon, tue, wed, thu, fri, sat, sun or daily (bad_field)",
                error.getText());
        assertEquals("true", page.findElement(By.id("setting-altSpeedSchedule")).getDomAttribute("aria-invalid"));
        browser.screenshot(SCREENSHOTS.resolve("settings-error.png"));
        typeInto(page, "setting-maxConnections", "0");
        typeInto(page, "setting-altSpeedSchedule", "sat,sun 00:00-24:00");
        page.findElement(By.id("settings-save")).click();
        await(page, 10).until(ExpectedConditions.textToBe(By.id("settings-error"),
                "maxConnections must be an integer from 1 to 65535 (bad_field)"));
        typeInto(page, "setting-maxConnections", "150");
        typeInto(page, "setting-watchDirectory", "relative/watch");
        page.findElement(By.id("settings-save")).click();
        await(page, 10).until(ExpectedConditions.textToBe(By.id("settings-error"),
                "watchDirectory must be an absolute path of at most 4096 characters (bad_field)"));
        assertEquals("true", page.findElement(By.id("setting-watchDirectory")).getDomAttribute("aria-invalid"));
        Path watched = Files.createDirectories(work.resolve("watched"));
        typeInto(page, "setting-watchDirectory", watched.toString());
        Select encryption = new Select(page.findElement(By.id("setting-encryption")));
        assertEquals("preferred", encryption.getFirstSelectedOption().getText());
        encryption.selectByValue("required");
        page.findElement(By.id("setting-altSpeedEnabled")).click();
        browser.screenshot(SCREENSHOTS.resolve("settings.png"));
        page.findElement(By.id("settings-save")).click();
        await(page, 10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("settings-dialog")));
        await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("turtle")));

        String turtle = assertSucceeds(gray.run("turtle")).out();
        assertEquals(String.join("\n", "turtle:   on (switched on)", "limits:   down 64.0 KiB/s, up 16.0 KiB/s",
                "normal:   down 512.0 KiB/s, up unlimited", "schedule: sat,sun 00:00-24:00"), turtle.strip());
        // the dialog opened again shows what the server holds now
        page.findElement(By.id("settings-open")).click();
        await(page, 10).until(ExpectedConditions.presenceOfElementLocated(By.id("setting-maxConnections")));
        assertEquals("150", page.findElement(By.id("setting-maxConnections")).getDomProperty("value"));
        assertEquals("yes", page.findElement(By.id("setting-altSpeedActive")).getText());
        assertEquals(watched.toString(), page.findElement(By.id("setting-watchDirectory")).getDomProperty("value"));
        assertEquals("required", new Select(page.findElement(By.id("setting-encryption"))).getFirstSelectedOption().getText());
        page.findElement(By.id("settings-cancel")).click();
    }

    private static void typeInto(ChromeDriver page, String id, String text) {
        page.findElement(By.id(id)).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, text);
    }

    private String addByUrl(ChromeDriver page, String torrentUrl, String name) {
        page.findElement(By.id("add-open")).click();
        page.findElement(By.id("add-magnet")).sendKeys(torrentUrl);
        page.findElement(By.id("add-save")).sendKeys(work.resolve("by-url").toString());
        page.findElement(By.id("add-paused")).click();
        page.findElement(By.id("add-submit")).click();
        String id = await(page, 20).until(ExpectedConditions.presenceOfElementLocated(By.xpath(rowNamed(name))))
                .getDomAttribute("data-id");
        await(page, 10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("add-dialog")));
        return id;
    }

    private static void setLabels(ChromeDriver page, String id, String labels) {
        page.findElement(By.cssSelector("#torrents tr[data-id='" + id + "'] td.col-name")).click();
        page.findElement(By.id("action-labels")).click();
        await(page, 5).until(ExpectedConditions.visibilityOfElementLocated(By.id("labels-dialog")));
        typeInto(page, "labels-input", labels);
        page.findElement(By.id("labels-save")).click();
        await(page, 10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("labels-dialog")));
    }

    private static By labelsCell(String id) {
        return By.cssSelector("#torrents tr[data-id='" + id + "'] td.col-labels");
    }

    /** {@code path} answers {@code status} with {@code body}, and a Location when given. */
    private static void serve(HttpServer web, String path, int status, byte[] body, String location) {
        web.createContext(path, exchange -> {
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWrongTokenShowsAnErrorAndReachesNothing() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            ChromeDriver page = browser.driver();
            page.get(url);
            await(page, 20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token")))
                    .sendKeys("not-the-token");
            page.findElement(By.id("login-submit")).click();
            WebElement error = await(page, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
            assertTrue(error.getText().contains("unauthorized"), error.getText());
            browser.screenshot(SCREENSHOTS.resolve("login-error.png"));
            assertFalse(page.findElement(By.id("main-view")).isDisplayed(), "no torrent view without a login");
            for (String path : List.of("/api/v1/torrents", "/api/v1/events", "/api/v1/stats", "/api/v1/session")) {
                assertEquals(401L, statusOf(page, path), path + " answers the page 401");
            }
            Object post = page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/torrents', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({magnet: 'magnet:?xt=urn:btih:" + "a".repeat(40) + "'})})"
                    + ".then(r => done(r.status), e => done(String(e)));");
            assertEquals(401L, post, "nothing can be added without a login");
            assertNoConsoleErrors(page);
        }
        assertEquals(0, torrentCount());
    }

    /** The status of a GET the page itself makes (with whatever cookie the browser holds). */
    private static Object statusOf(ChromeDriver page, String path) {
        return page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => done(r.status), e => done(String(e)));", path);
    }

    private int torrentCount() throws Exception {
        return new ObjectMapper().readTree(assertSucceeds(gray.run("ls", "--json")).out()).size();
    }

    private void logIn(ChromeDriver page, String secret) {
        page.get(url);
        await(page, 20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token"))).sendKeys(secret);
        page.findElement(By.id("login-submit")).click();
        await(page, 20).until(ExpectedConditions.visibilityOfElementLocated(By.id("main-view")));
        await(page, 20).until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    }

    /** NAME/FILE… of {@code size} random bytes each, seeded from seed/, in 512 KiB pieces. */
    private Path createTorrent(String name, List<String> files, int size) throws Exception {
        Random random = new Random(7);
        for (String file : files) {
            Path path = work.resolve("seed").resolve(name).resolve(file);
            Files.createDirectories(path.getParent());
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(path, bytes);
        }
        assertSucceeds(gray.run("create", "seed/" + name, "--piece-size", "512k", "-o", name + ".torrent"));
        return work.resolve(name + ".torrent");
    }

    private static void showTab(ChromeDriver page, String tab, String expected, int seconds) {
        page.findElement(By.cssSelector("[data-tab=" + tab + "]")).click();
        await(page, seconds).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"), expected));
    }

    private static String rowNamed(String name) {
        return "//table[@id='torrents']/tbody/tr[td[contains(@class,'col-name')]='" + name + "']";
    }

    private static By stateCell(String id) {
        return By.cssSelector("#torrents tr[data-id='" + id + "'] td.col-state");
    }

    private static List<String> shownNames(ChromeDriver page) {
        return page.findElements(By.cssSelector("#torrents tbody td.col-name")).stream().map(WebElement::getText).toList();
    }

    /** A CSP violation or a script error shows up here; responses the test provoked (401, 409) do not count. */
    private static void assertNoConsoleErrors(ChromeDriver page) {
        List<String> errors = page.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
        assertEquals(List.of(), errors, "the browser console stays clean");
    }

    private static WebDriverWait await(ChromeDriver page, int seconds) {
        return new WebDriverWait(page, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    }
}
