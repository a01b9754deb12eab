package dev.kafkaprimer.examples.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import dev.kafkaprimer.examples.BackgroundRun;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The live view in a real browser (Debian's headless Chromium, driven by Selenium through chromedriver) during a
 * wallet run whose member JVM is killed: every partition is drawn, the partitions the killed member owned move to
 * another member, every partition's lag falls to 0, the page fits a phone-width window, and the page raised no
 * script error. Skipped, saying why, where Chromium is not installed ({@code .ci/run} installs it).
 *
 * <p>It saves a screenshot taken after the crash as {@code examples/target/live-view-wallet.png}; with
 * {@code -Dprimer.docs.screenshot=true} also as {@code docs/live-view-wallet.png}, the README's picture.
 */
@WithKafkaCluster
class LiveViewBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern URL = Pattern.compile("Live view: (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path dir;

    @Test
    void shouldDrawThePartitionsMoveTheKilledMembersPartitionsAndShowLagFallingToZero(KafkaCluster kafka)
            throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless Chromium here: " + CHROMIUM + " and " + CHROMEDRIVER + " come with Debian's chromium and"
                        + " chromium-driver packages (.ci/run installs them)");
        // Given: a wallet run with the live view, a member JVM to be killed, held 10 s at the end (a topic name of
        // its own rather than a generated one: it shows in the README's screenshot, and the wallet recreates it)
        BackgroundRun run = BackgroundRun.start("wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", "wallet-live-view", "--db", dir.resolve("wallet.db").toString(), "--events", "4000",
                "--users", "40", "--seed", "7", "--crash-consumer", "--web", "0", "--hold", "10");
        ChromeDriver browser = null;
        try {
            String page = run.await(URL, 1, TIMEOUT);
            browser = headlessChromium();
            ChromeDriver driver = browser;

            // When: the page is open while the wallet runs
            driver.get(page);

            // Then: every partition is drawn, with its label in text
            Await.until(TIMEOUT, "6 partitions drawn", () -> drawn(driver).size() == 6);
            assertTrue(drawn(driver).stream().allMatch(p -> p.text().startsWith("partition " + p.partition())));

            // and the partitions the killed member owned move to the others
            run.await(Pattern.compile("(Killed member 1)"), 1, TIMEOUT);
            Set<String> orphaned = drawn(driver).stream().filter(p -> p.owner().equals("wallet-child"))
                    .map(Drawn::partition).collect(Collectors.toSet());
            Await.until(TIMEOUT, "the killed member's partitions " + orphaned + " owned by another member",
                    () -> drawn(driver).stream().anyMatch(p -> (orphaned.isEmpty() || orphaned.contains(p.partition()))
                            && p.owners().contains("wallet-child") && !p.owner().isEmpty()
                            && !p.owner().equals("wallet-child")));
            saveScreenshot(driver);
            assertTrue(driver.findElement(By.id("timeline")).getText().contains("wallet-child →"),
                    "the timeline shows the move");

            // and every partition's lag falls to 0
            Await.until(TIMEOUT, "lag 0 on every partition", () -> drawn(driver).stream()
                    .allMatch(p -> p.lag().equals("0")));

            // and a phone-width window still shows them all, without sideways scrolling
            driver.manage().window().setSize(new Dimension(390, 844));
            Await.until(TIMEOUT, "the page laid out at phone width", () -> ((Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth")).longValue() <= 0);
            assertEquals(6L, driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#partitions .partition')).filter(p => p.offsetWidth > 0 && p.offsetHeight > 0).length"));

            // and no script error, neither caught by the page nor in the console
            assertEquals(List.of(), driver.executeScript("return window.liveErrors"));
            List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage).toList();
            assertEquals(List.of(), severe, "console errors");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            assertEquals(0, run.exitCode(TIMEOUT), run::toString);
        }
        assertTrue(run.out().contains("wallet: OK"), run::toString);
    }

    /** One partition as the page draws it: its number, owner, owners so far, lag and text. */
    private record Drawn(String partition, String owner, List<String> owners, String lag, String text) {
    }

    /** The drawn partitions, read in one script call: the page redraws several times a second. */
    @SuppressWarnings("unchecked")
    private static List<Drawn> drawn(ChromeDriver driver) {
        List<Map<String, String>> rows = (List<Map<String, String>>) driver.executeScript(
                "return Array.from(document.querySelectorAll('#partitions .partition')).map(p => ({"
                        + "partition: p.dataset.partition, owner: p.dataset.owner, owners: p.dataset.owners,"
                        + " lag: p.dataset.lag, text: p.textContent}))");
        return rows.stream().map(row -> new Drawn(row.get("partition"), row.get("owner"),
                Arrays.asList(row.get("owners").split(",")), row.get("lag"), row.get("text"))).toList();
    }

    private ChromeDriver headlessChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root, in a closed network: no sandbox, and none of Chromium's own background connections.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium"),
                "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** At 1280 × 1100, to show the members and the timeline under the partitions too. */
    private static void saveScreenshot(ChromeDriver driver) throws Exception {
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(1280, 1100));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        driver.manage().window().setSize(size);
        Files.write(Path.of("target/live-view-wallet.png"), png);
        if (Boolean.getBoolean("primer.docs.screenshot")) {
            Files.createDirectories(Path.of("../docs"));
            Files.write(Path.of("../docs/live-view-wallet.png"), png);
        }
    }
}
