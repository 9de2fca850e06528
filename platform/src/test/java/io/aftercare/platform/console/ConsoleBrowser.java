package io.aftercare.platform.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console in Debian's Chromium, headless, through the installed chromedriver: one fresh browser
 * (and profile) per test. Register it as an instance field with {@code @RegisterExtension} and give
 * it the console's base URL. When a test fails, the screenshot, the page's HTML and the browser's
 * console log are saved to {@code target/browser-artifacts/<Test>-<method>.*}.
 */
public final class ConsoleBrowser
    implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowser.class);

  static final Path ARTIFACTS = Path.of("target", "browser-artifacts");
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Supplier<String> baseUrl;
  private WebDriver driver;
  private Path profile;

  /**
   * @param baseUrl e.g. {@code () -> "http://127.0.0.1:" + platform.platform().httpPort()}, read
   *     before each test (the platform may have started after this field)
   */
  public ConsoleBrowser(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    profile = Files.createTempDirectory("aftercare-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    // The browser's console log, saved with the screenshot when a test fails.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    driver = new ChromeDriver(service, options);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    if (driver != null) {
      saveArtifacts(
          context.getRequiredTestClass().getSimpleName(),
          context.getRequiredTestMethod().getName());
    }
    throw failure;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
      profile = null;
    }
  }

  private void saveArtifacts(String testClass, String method) {
    Path base = ARTIFACTS.resolve(testClass + "-" + method);
    try {
      Files.createDirectories(ARTIFACTS);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(Path.of(base + ".png"), png);
      Files.writeString(Path.of(base + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
      List<LogEntry> log = driver.manage().logs().get(LogType.BROWSER).getAll();
      Files.writeString(
          Path.of(base + ".log"),
          log.stream().map(LogEntry::toString).collect(Collectors.joining("\n")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // A browser that died takes no screenshot; the test's own failure is what matters.
      LOG.warn("could not save browser artifacts for {}", base, e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** Loads the console at a hash route, e.g. {@code open("/devices?type=camera")}. */
  public void open(String hashRoute) {
    driver.get(baseUrl.get() + "/#" + hashRoute);
  }

  /** Signs in through the sign-in page and waits for the header to name the staff member. */
  public void signIn(String token) {
    driver.get(baseUrl.get() + "/");
    type("signin-token", token);
    element("signin-submit").click();
    visible("who-name");
  }

  /** Signs out through the header's button and waits for the sign-in page. */
  public void signOut() {
    element("sign-out").click();
    visible("signin-token");
  }

  /** The selector of the element whose {@code data-test} attribute is {@code name}. */
  public static By test(String name) {
    return By.cssSelector("[data-test='" + name + "']");
  }

  /** Waits until the element is present and returns it. */
  public WebElement element(String name) {
    return until(ExpectedConditions.presenceOfElementLocated(test(name)));
  }

  /** Waits until the element is visible and returns it. */
  public WebElement visible(String name) {
    return until(ExpectedConditions.visibilityOfElementLocated(test(name)));
  }

  /** Waits until the element shows exactly {@code text} and returns it. */
  public WebElement hasText(String name, String text) {
    until(ExpectedConditions.textToBe(test(name), text));
    return element(name);
  }

  /** Clears the input and types into it. */
  public void type(String name, String text) {
    WebElement input = visible(name);
    input.clear();
    input.sendKeys(text);
  }

  /**
   * Waits (polling, at most 20 s) until the condition yields a non-null, non-false value. An
   * element the page re-rendered while the condition read it (live updates and lists loading after
   * the page do that) is stale: the condition is simply tried again.
   */
  public <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** Runs a script in the page; its return value converted the way WebDriver does. */
  public Object script(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  /** Runs an async script: the last argument is the callback taking its result. */
  public Object asyncScript(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
  }
}
