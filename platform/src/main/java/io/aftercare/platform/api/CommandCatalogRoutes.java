package io.aftercare.platform.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aftercare.domain.Identifiers;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.command.CommandSpec;
import io.aftercare.platform.command.ConfigKeys;
import io.aftercare.platform.command.ParamSpec;
import io.aftercare.platform.command.Risk;
import io.aftercare.platform.consent.CommandClass;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code GET /devices/{id}/command-catalog}: the commands the device's type supports, with their
 * risk, the role sending each needs, timings and parameter schema, so the console builds its
 * command panel from the catalog the server checks submissions against.
 */
final class CommandCatalogRoutes {

  private final DeviceRegistry registry;
  private final CommandCatalog catalog;
  private final Predicate<CommandClass> needsConsent;

  /**
   * @param needsConsent whether staff need the owner's session for a class here (never when {@code
   *     commands.requireOwnerConsent} is off)
   */
  CommandCatalogRoutes(
      DeviceRegistry registry, CommandCatalog catalog, Predicate<CommandClass> needsConsent) {
    this.registry = registry;
    this.catalog = catalog;
    this.needsConsent = needsConsent;
  }

  void mount(Router api) {
    api.get("/devices/:id/command-catalog").handler(this::catalog);
  }

  private void catalog(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Identifiers.isDeviceId(id)) {
      throw new ServiceException(Failure.NOT_FOUND, "no such device");
    }
    registry
        .find(id)
        .map(
            device ->
                device
                    .map(
                        found ->
                            new DeviceCatalog(
                                found.id(),
                                found.type(),
                                catalog.supported(found.type()).stream()
                                    .map(
                                        name ->
                                            entry(catalog.spec(name).orElseThrow(), found.type()))
                                    .toList(),
                                configKeyClasses(found.type())))
                    .orElseThrow(() -> new ServiceException(Failure.NOT_FOUND, "no such device")))
        .onSuccess(answer -> ApiJson.send(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  private CatalogCommand entry(CommandSpec spec, String deviceType) {
    // By name: the catalog does not keep the file's order, and a stable order keeps the panel
    // steady between loads.
    Map<String, CatalogParam> params = new TreeMap<>();
    spec.params()
        .forEach(
            (name, param) ->
                params.put(
                    name,
                    new CatalogParam(
                        param.type(),
                        param.required(),
                        param.min(),
                        param.max(),
                        enumeration(spec, name, param, deviceType),
                        param.pattern() == null ? null : param.pattern().pattern(),
                        param.maxLength(),
                        param.secret())));
    CommandClass commandClass = catalog.commandClass(spec.name()).orElse(null);
    return new CatalogCommand(
        spec.name(),
        spec.risk(),
        spec.risk().requiredRole().wireName(),
        spec.ttl().toSeconds(),
        spec.deliveryTimeout().toSeconds(),
        params,
        commandClass,
        commandClass == null
            ? configKeyClasses(deviceType).values().stream().anyMatch(needsConsent)
            : needsConsent.test(commandClass));
  }

  /** The class of each setting {@code set_config} may change on the device type. */
  private Map<String, CommandClass> configKeyClasses(String deviceType) {
    Map<String, CommandClass> classes = new TreeMap<>();
    for (String key : catalog.configKeys(deviceType)) {
      classes.put(key, catalog.configKeyClasses().get(key));
    }
    return classes;
  }

  /** A {@code set_config}'s key may only be one the device type allows: the panel offers those. */
  private List<String> enumeration(
      CommandSpec spec, String name, ParamSpec param, String deviceType) {
    return spec.name().equals(ConfigKeys.SET_CONFIG) && name.equals("key")
        ? catalog.configKeys(deviceType)
        : param.enumeration();
  }

  /**
   * The answer: the device, its type and the commands that type supports, in catalog order, and the
   * class of each setting {@code set_config} may change on it.
   */
  record DeviceCatalog(
      String deviceId,
      String deviceType,
      List<CatalogCommand> commands,
      Map<String, CommandClass> configKeyClasses) {}

  /**
   * One command: who may send it, how long it waits and runs, its parameters, its class (absent for
   * {@code set_config}, whose class is its setting's) and whether staff need the owner's support
   * session to send it (for {@code set_config}: for some setting).
   */
  record CatalogCommand(
      String name,
      Risk risk,
      String requiredRole,
      long ttlSeconds,
      long deliveryTimeoutSeconds,
      Map<String, CatalogParam> params,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          CommandClass commandClass,
      boolean needsConsent) {}

  /** A parameter's schema, as {@link ParamSpec} holds it. */
  record CatalogParam(
      String type,
      boolean required,
      Double min,
      Double max,
      @JsonProperty("enum") List<String> enumeration,
      String pattern,
      Integer maxLength,
      boolean secret) {}
}
