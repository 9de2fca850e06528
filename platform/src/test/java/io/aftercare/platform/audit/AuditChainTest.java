package io.aftercare.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log's hash chain: concurrent entries form one chain, and whatever a superuser changes
 * behind the platform's back is named by {@code GET /api/v1/audit/verify}. Each tampering is undone
 * at the end of its test, which also shows that the verdict follows the data exactly.
 */
class AuditChainTest {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    for (int i = 0; i < 5; i++) {
      platform.api().createStaff("chained-" + i, "viewer");
    }
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void concurrentEntriesFormOneUnbrokenChain() {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<String>> created = new ArrayList<>();
      IntStream.range(0, 40)
          .forEach(
              i ->
                  created.add(
                      CompletableFuture.supplyAsync(
                          () -> platform.api().createStaff("concurrent-" + i, "viewer"), pool)));
      created.forEach(CompletableFuture::join);
    } finally {
      pool.shutdown();
    }
    JsonNode verdict = verify();
    assertThat(verdict.get("intact").asBoolean()).isTrue();
    long entries = platform.count("SELECT count(*) FROM audit_log");
    assertThat(verdict.get("checked").asLong()).isEqualTo(entries);
    // One chain: every place from 1 to the number of entries is taken exactly once.
    assertThat(platform.count("SELECT count(DISTINCT chain_seq) FROM audit_log"))
        .isEqualTo(entries);
    assertThat(platform.count("SELECT max(chain_seq) FROM audit_log")).isEqualTo(entries);
  }

  @Test
  void aChangedEntryIsNamedAndAnEntryWithItsHashRecomputedBreaksTheNextLink() throws Exception {
    long victim = platform.count("SELECT id FROM audit_log WHERE chain_seq = 3");
    long next = platform.count("SELECT id FROM audit_log WHERE chain_seq = 4");
    try (Connection superuser = platform.database().connect();
        Statement statement = superuser.createStatement()) {
      // A superuser can bypass triggers: the chain is what notices.
      statement.execute("SET session_replication_role = replica");
      statement.execute(
          "CREATE TEMP TABLE original AS SELECT actor FROM audit_log WHERE id = " + victim);
      statement.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = " + victim);
      JsonNode altered = verify();
      assertThat(altered.get("intact").asBoolean()).isFalse();
      assertThat(altered.get("firstBrokenId").asLong()).isEqualTo(victim);
      assertThat(altered.get("firstBrokenSeq").asLong()).isEqualTo(3);
      assertThat(altered.get("reason").asText()).isEqualTo("altered");

      statement.execute(
          "UPDATE audit_log a SET hash = audit_log_entry_hash(a.prev_hash, a) WHERE id = "
              + victim);
      JsonNode rehashed = verify();
      assertThat(rehashed.get("firstBrokenId").asLong()).isEqualTo(next);
      assertThat(rehashed.get("reason").asText()).isEqualTo("unlinked");

      statement.execute(
          "UPDATE audit_log SET actor = (SELECT actor FROM original) WHERE id = " + victim);
      statement.execute(
          "UPDATE audit_log a SET hash = audit_log_entry_hash(a.prev_hash, a) WHERE id = "
              + victim);
    }
    assertThat(verify().get("intact").asBoolean()).isTrue();
  }

  @Test
  void removedEntriesAreNoticedInTheMiddleAndAtTheEnd() throws Exception {
    try (Connection superuser = platform.database().connect();
        Statement statement = superuser.createStatement()) {
      statement.execute("SET session_replication_role = replica");
      statement.execute("CREATE TEMP TABLE removed AS SELECT * FROM audit_log WHERE chain_seq = 2");
      statement.execute("DELETE FROM audit_log WHERE chain_seq = 2");
      JsonNode middle = verify();
      assertThat(middle.get("firstBrokenSeq").asLong()).isEqualTo(3);
      assertThat(middle.get("reason").asText()).isEqualTo("unlinked");
      statement.execute("INSERT INTO audit_log SELECT * FROM removed");
      assertThat(verify().get("intact").asBoolean()).isTrue();

      long newest = platform.count("SELECT max(chain_seq) FROM audit_log");
      statement.execute("TRUNCATE removed");
      statement.execute("INSERT INTO removed SELECT * FROM audit_log WHERE chain_seq = " + newest);
      statement.execute("DELETE FROM audit_log WHERE chain_seq = " + newest);
      JsonNode end = verify();
      assertThat(end.get("reason").asText()).isEqualTo("truncated");
      assertThat(end.get("firstBrokenSeq").asLong()).isEqualTo(newest);
      assertThat(end.has("firstBrokenId")).isFalse();
      statement.execute("INSERT INTO audit_log SELECT * FROM removed");
    }
    assertThat(verify().get("intact").asBoolean()).isTrue();
  }

  @Test
  void theTriggersRefuseChangesEvenToASuperuserThatDoesNotBypassThem() throws Exception {
    try (Connection superuser = platform.database().connect();
        Statement statement = superuser.createStatement()) {
      for (String sql :
          List.of(
              "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log")) {
        assertThatThrownBy(() -> statement.execute(sql))
            .as(sql)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("append-only");
      }
    }
    assertThat(verify().get("intact").asBoolean()).isTrue();
  }

  @Test
  void onlyAdminsVerify() {
    ApiClient supervisor =
        platform.api().as(platform.api().createStaff("chain-supervisor", "supervisor"));
    assertThat(supervisor.get("/api/v1/audit/verify").status()).isEqualTo(403);
    assertThat(platform.api().as(null).get("/api/v1/audit/verify").status()).isEqualTo(401);
  }

  private static JsonNode verify() {
    ApiClient.Response response = platform.api().get("/api/v1/audit/verify");
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }
}
