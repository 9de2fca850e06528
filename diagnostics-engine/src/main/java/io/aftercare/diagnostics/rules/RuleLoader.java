package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads the default rule pack shipped on the class path under {@code /rules/*.yaml} and, on top of
 * it, an operator folder (AFTERCARE_RULES). An operator rule with the id of a default rule replaces
 * it; {@code {id: x, enabled: false}} switches a default rule off. Either every file is valid and a
 * {@link RuleSet} comes back, or a {@link RuleValidationException} lists every problem.
 */
public final class RuleLoader {
  private static final String DEFAULT_PACK = "/rules";

  /**
   * Held while the pack is read from a jar. The jar's zip file system is shared by URI within the
   * JVM, and the load that opened it closes it: two loads at once (a staff reload and a reload
   * announced by another node, or several nodes in one JVM) would otherwise have one close it while
   * the other still reads ({@code ClosedFileSystemException}).
   */
  private static final Object JAR_PACK_LOCK = new Object();

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
  private final RuleFileParser parser;
  private final PlaybookFileParser playbookParser;

  public RuleLoader(ConditionCompiler compiler) {
    this(compiler, RemedyCheck.ANY);
  }

  /** A loader that also refuses remedies {@code remedyCheck} says cannot be sent. */
  public RuleLoader(ConditionCompiler compiler, RemedyCheck remedyCheck) {
    this.parser = new RuleFileParser(compiler, remedyCheck);
    this.playbookParser = new PlaybookFileParser(compiler, remedyCheck);
  }

  /** The default pack alone. */
  public RuleSet loadDefaults() throws RuleValidationException {
    return load(null);
  }

  /**
   * @param operatorFolder a folder of {@code *.yaml}/{@code *.yml} files, or {@code null} for none
   */
  public RuleSet load(Path operatorFolder) throws RuleValidationException {
    List<String> errors = new ArrayList<>();
    Map<String, JsonNode> defaults = parseYaml(readDefaultPack(errors), errors);
    Map<String, JsonNode> operators =
        operatorFolder == null ? Map.of() : parseYaml(readFolder(operatorFolder, errors), errors);
    // Playbooks first: a rule in any file may name a playbook of any file.
    Map<String, Playbook> playbooks = new HashMap<>();
    defaults.forEach((name, root) -> mergePlaybooks(name, root, playbooks, errors, false));
    operators.forEach((name, root) -> mergePlaybooks(name, root, playbooks, errors, true));
    Map<String, Rule> rules = new LinkedHashMap<>();
    defaults.forEach((name, root) -> merge(name, root, playbooks, rules, errors, false));
    operators.forEach((name, root) -> merge(name, root, playbooks, rules, errors, true));
    if (!errors.isEmpty()) {
      throw new RuleValidationException(errors);
    }
    return new RuleSet(new ArrayList<>(rules.values()), playbooks);
  }

  /**
   * Each file's YAML tree, in file order; a file that is not valid YAML is reported and left out.
   */
  private Map<String, JsonNode> parseYaml(Map<String, String> files, List<String> errors) {
    Map<String, JsonNode> trees = new LinkedHashMap<>();
    files.forEach(
        (fileName, text) -> {
          try {
            trees.put(fileName, yaml.readTree(text));
          } catch (JsonProcessingException e) {
            errors.add(fileName + ": not valid YAML: " + e.getOriginalMessage());
          }
        });
    return trees;
  }

  private static boolean isPlaybookFile(JsonNode root) {
    return root != null && root.has(PlaybookFileParser.ROOT);
  }

  /** An operator playbook with the id of a default one replaces it, as rules do. */
  private void mergePlaybooks(
      String fileName,
      JsonNode root,
      Map<String, Playbook> playbooks,
      List<String> errors,
      boolean operator) {
    if (!isPlaybookFile(root)) {
      return;
    }
    if (root.has("rules")) {
      errors.add(fileName + ": a file holds either 'rules:' or 'playbooks:', not both");
      return;
    }
    for (Playbook playbook : playbookParser.parse(fileName, root, errors)) {
      Playbook earlier = playbooks.get(playbook.id());
      boolean overridesDefault =
          operator && earlier != null && earlier.sourceFile().startsWith("classpath:");
      if (earlier != null && !overridesDefault) {
        errors.add(
            fileName
                + ": playbook '"
                + playbook.id()
                + "': field 'id': already defined in "
                + earlier.sourceFile());
        continue;
      }
      playbooks.put(playbook.id(), playbook);
    }
  }

  private void merge(
      String fileName,
      JsonNode root,
      Map<String, Playbook> playbooks,
      Map<String, Rule> rules,
      List<String> errors,
      boolean operator) {
    if (isPlaybookFile(root)) {
      return;
    }
    RuleFileParser.ParsedFile parsed = parser.parse(fileName, root, playbooks, errors);
    for (Rule rule : parsed.rules()) {
      Rule earlier = rules.get(rule.id());
      boolean overridesDefault =
          operator && earlier != null && earlier.sourceFile().startsWith("classpath:");
      if (earlier != null && !overridesDefault) {
        errors.add(
            fileName
                + ": rule '"
                + rule.id()
                + "': field 'id': already defined in "
                + earlier.sourceFile());
        continue;
      }
      rules.put(rule.id(), rule);
    }
    parsed.disabledIds().forEach(rules::remove);
  }

  private static Map<String, String> readFolder(Path folder, List<String> errors) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      errors.add(folder + ": rule folder does not exist");
      return files;
    }
    try (Stream<Path> paths = Files.list(folder)) {
      for (Path path : paths.filter(RuleLoader::isYaml).sorted().toList()) {
        files.put(path.toString(), Files.readString(path));
      }
    } catch (IOException e) {
      errors.add(folder + ": cannot be read: " + e.getMessage());
    }
    return files;
  }

  private static Map<String, String> readDefaultPack(List<String> errors) {
    return readPack(RuleLoader.class.getResource(DEFAULT_PACK), errors);
  }

  /** The pack's files at {@code url} (a folder or a jar's), by name; package-private for tests. */
  static Map<String, String> readPack(URL url, List<String> errors) {
    Map<String, String> files = new TreeMap<>();
    if (url == null) {
      return files;
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        readJarPack(uri, files);
      } else {
        readPackFiles(Path.of(uri), files);
      }
    } catch (IOException | URISyntaxException e) {
      errors.add("classpath:" + DEFAULT_PACK + ": cannot be read: " + e.getMessage());
    }
    return files;
  }

  private static void readJarPack(URI uri, Map<String, String> files) throws IOException {
    synchronized (JAR_PACK_LOCK) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, new HashMap<String, Object>())) {
        readPackFiles(jar.getPath(DEFAULT_PACK), files);
      } catch (FileSystemAlreadyExistsException e) {
        // Someone else has the jar open; reuse it and leave closing to them.
        readPackFiles(FileSystems.getFileSystem(uri).getPath(DEFAULT_PACK), files);
      }
    }
  }

  private static void readPackFiles(Path pack, Map<String, String> files) throws IOException {
    try (Stream<Path> paths = Files.list(pack)) {
      for (Path path : paths.filter(RuleLoader::isYaml).toList()) {
        files.put("classpath:" + DEFAULT_PACK + "/" + path.getFileName(), Files.readString(path));
      }
    }
  }

  private static boolean isYaml(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }
}
