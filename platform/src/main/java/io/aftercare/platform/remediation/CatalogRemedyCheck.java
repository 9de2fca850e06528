package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.RemedyCheck;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.command.CommandSpec;
import java.util.Optional;

/** A rule's remedy must be a catalog command with valid parameters, or the rule file is refused. */
public final class CatalogRemedyCheck implements RemedyCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandCatalog catalog;

  public CatalogRemedyCheck(CommandCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Optional<String> problem(Remedy remedy) {
    Optional<CommandSpec> spec = catalog.spec(remedy.command());
    if (spec.isEmpty()) {
      return Optional.of("'" + remedy.command() + "' is not a command of the command catalog");
    }
    return catalog.checkParams(spec.get(), null, JSON.valueToTree(remedy.params()));
  }
}
