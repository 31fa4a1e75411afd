package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium against a real {@code bin/gray server start --web}: log in,
 * add a torrent through the page's file input, watch it download from a libtorrent seeder on
 * 127.0.0.1, look at its details, stop and remove it. Screenshots go to target/screenshots/.
 */
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
        try {
            gray.run("server", "stop");
        } finally {
            gray.killServer();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void logInAddATorrentWatchItDownloadThenStopAndRemoveIt() throws Exception {
        Path torrent = createTorrent();
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 2 << 20);
                HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            ChromeDriver page = browser.driver();
            try {
                logIn(page, token);

                page.findElement(By.id("add-open")).click();
                page.findElement(By.id("add-file")).sendKeys(torrent.toString());
                page.findElement(By.id("add-save")).sendKeys(work.resolve("out").toString());
                page.findElement(By.id("add-submit")).click();
                WebElement row = await(page, 20).until(ExpectedConditions.presenceOfElementLocated(
                        By.xpath("//table[@id='torrents']/tbody/tr[td[contains(@class,'col-name')]='data']")));
                String id = row.getDomAttribute("data-id");
                // the .torrent names no tracker: tell the server where the seeder is, as a user would
                assertSucceeds(gray.run("connect", id, seeder.address()));

                // the page selected the new torrent: its details are open on the Files tab
                await(page, 10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"), "sub/b.bin"));
                page.findElement(By.cssSelector("[data-tab=peers]")).click();
                await(page, 60).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"), "libtorrent"));

                By bar = By.cssSelector("#torrents tr[data-id='" + id + "'] [role=progressbar]");
                double seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                boolean sawPartial = false;
                while (seen < 100 && System.nanoTime() < deadline) {
                    seen = Double.parseDouble(page.findElement(bar).getDomAttribute("aria-valuenow"));
                    sawPartial |= seen > 0 && seen < 100;
                    Thread.sleep(100);
                }
                assertEquals(100.0, seen, "the progress bar reached 100 %");
                assertTrue(sawPartial, "the bar moved through the download, not straight to the end");
                await(page, 30).until(ExpectedConditions.textToBe(
                        By.cssSelector("#torrents tr[data-id='" + id + "'] td.col-state"), "Seeding"));

                page.findElement(By.cssSelector("[data-tab=pieces]")).click();
                await(page, 10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"),
                        "24 of 24 pieces verified"));
                page.findElement(By.cssSelector("[data-tab=trackers]")).click();
                await(page, 10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-body"), "no trackers"));
                page.findElement(By.cssSelector("[data-tab=pieces]")).click();
                await(page, 10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#details-body canvas")));
                Thread.sleep(1_500); // two more rate samples on the chart
                browser.screenshot(SCREENSHOTS.resolve("main.png"));
                browser.resize(400, 860);
                Thread.sleep(500);
                browser.screenshot(SCREENSHOTS.resolve("main-narrow.png"));
                Object overflow = page.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertEquals(0L, overflow, "nothing is wider than a 400 px window");
                browser.resize(1280, 900);

                page.findElement(By.id("action-stop")).click();
                await(page, 20).until(ExpectedConditions.textToBe(
                        By.cssSelector("#torrents tr[data-id='" + id + "'] td.col-state"), "Stopped"));
                page.findElement(By.id("action-remove")).click();
                await(page, 5).until(ExpectedConditions.visibilityOfElementLocated(By.id("remove-dialog")));
                assertFalse(page.findElement(By.id("remove-data")).isSelected(), "keeping the data is the default");
                page.findElement(By.id("remove-confirm")).click();
                await(page, 10).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#torrents tr[data-id='" + id + "']")));
            } catch (Throwable failure) {
                browser.screenshot(SCREENSHOTS.resolve("failure-download.png"));
                throw failure;
            }
        }
        assertEquals(0, torrentCount(), "the server forgot the torrent");
        assertEquals(SIZE, Files.size(work.resolve("out/data/sub/b.bin")), "removed without -r: the data stays");
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
            assertFalse(page.findElement(By.id("main-view")).isDisplayed(), "no torrent view without a login");
            for (String path : List.of("/api/v1/torrents", "/api/v1/events", "/api/v1/stats", "/api/v1/session")) {
                Object status = page.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => done(r.status), e => done(String(e)));", path);
                assertEquals(401L, status, path + " answers the page 401");
            }
            Object post = page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/torrents', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({magnet: 'magnet:?xt=urn:btih:" + "a".repeat(40) + "'})})"
                    + ".then(r => done(r.status), e => done(String(e)));");
            assertEquals(401L, post, "nothing can be added without a login");
        }
        assertEquals(0, torrentCount());
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

    /** data/a.bin and data/sub/b.bin, 6 MiB each in 512 KiB pieces: about 6 s at the seeder's 2 MiB/s. */
    private Path createTorrent() throws Exception {
        Random random = new Random(7);
        for (String name : List.of("a.bin", "sub/b.bin")) {
            Path file = work.resolve("seed/data").resolve(name);
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[SIZE];
            random.nextBytes(bytes);
            Files.write(file, bytes);
        }
        assertSucceeds(gray.run("create", "seed/data", "--piece-size", "512k", "-o", "data.torrent"));
        return work.resolve("data.torrent");
    }

    private static WebDriverWait await(ChromeDriver page, int seconds) {
        return new WebDriverWait(page, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    }
}
