package io.aftercare.platform.views;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saved views, each owned by one staff member: a member lists and deletes only their own, and
 * another member's view is answered as missing.
 */
public final class SavedViews {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> QUERY = new TypeReference<>() {};

  private final Jdbc jdbc;

  public SavedViews(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The owner's views, of one page or ({@code page} null) of all, by page and name. */
  public Future<List<SavedView>> list(String owner, String page) {
    return jdbc.call(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, name, page, query::text AS query, created_at FROM saved_views"
                      + " WHERE owner = ? AND (?::text IS NULL OR page = ?) ORDER BY page, name")) {
            select.setString(1, owner);
            select.setString(2, page);
            select.setString(3, page);
            List<SavedView> views = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                views.add(
                    new SavedView(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("page"),
                        query(rs.getString("query")),
                        TimestampColumn.read(rs, "created_at")));
              }
            }
            return views;
          }
        });
  }

  /**
   * Saves a view whose query the caller has checked against the page's list route.
   *
   * @throws ServiceException 409 when the owner already has a view of that name on that page
   */
  public Future<SavedView> save(String owner, String name, String page, Map<String, String> query) {
    return jdbc.call(
            c -> {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO saved_views (owner, page, name, query) VALUES (?, ?, ?, ?::jsonb)"
                          + " RETURNING id, created_at")) {
                insert.setString(1, owner);
                insert.setString(2, page);
                insert.setString(3, name);
                insert.setString(4, JSON.writeValueAsString(query));
                try (ResultSet rs = insert.executeQuery()) {
                  rs.next();
                  return new SavedView(
                      rs.getLong("id"), name, page, query, TimestampColumn.read(rs, "created_at"));
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .recover(
            error ->
                error instanceof ServiceException e && e.failure() == Failure.CONFLICT
                    ? Future.failedFuture(
                        new ServiceException(
                            Failure.CONFLICT,
                            "you already have a view named '" + name + "' on " + page))
                    : Future.failedFuture(error));
  }

  /** Deletes one of the owner's views; 404 for a view that is missing or someone else's. */
  public Future<Void> delete(String owner, long id) {
    return jdbc.call(
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM saved_views WHERE id = ? AND owner = ?")) {
            delete.setLong(1, id);
            delete.setString(2, owner);
            if (delete.executeUpdate() == 0) {
              throw new ServiceException(Failure.NOT_FOUND, "no such view");
            }
            return null;
          }
        });
  }

  private static Map<String, String> query(String json) {
    try {
      return JSON.readValue(json, QUERY);
    } catch (IOException e) {
      throw new UncheckedIOException("stored view query unreadable", e);
    }
  }
}
