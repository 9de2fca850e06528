package io.aftercare.platform.privacy;

import io.aftercare.bridge.FieldSealing;
import io.aftercare.bridge.SealedField;
import io.aftercare.platform.worker.WorkerCalls;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a data key rotation (docs/privacy.md): in the background, re-seals under the
 * current data key every value still sealed under the previous one, one small transaction per
 * worker call, so that device channels and the API are served throughout and no row lock is held
 * for long. Values read meanwhile open with either key. When it is done the log says that the
 * previous key may be removed.
 */
public final class DataKeyReseal {

  private static final Logger LOG = LoggerFactory.getLogger(DataKeyReseal.class);

  private final WorkerCalls workers;
  private final FieldSealing sealing;
  private final List<SealedField> fields;
  private volatile boolean stopped;

  public DataKeyReseal(WorkerCalls workers, FieldSealing sealing, List<SealedField> fields) {
    this.workers = workers;
    this.sealing = sealing;
    this.fields = fields;
  }

  /** Re-seals every field in turn; completes with how many values were re-sealed. */
  public Future<Integer> start() {
    return reseal(0, 0)
        .onSuccess(
            total ->
                LOG.info(
                    "Data key rotation: re-sealed {} values under the current data key; the"
                        + " previous key (security.dataKeyPrevious, data.key.previous) is no"
                        + " longer needed and may be removed",
                    total))
        .onFailure(
            e ->
                LOG.warn(
                    "Data key rotation: the re-seal stopped ({}); it carries on at the next start",
                    e.getMessage()));
  }

  /** Stops before the next batch (at shutdown); the next start carries on. */
  public void stop() {
    stopped = true;
  }

  private Future<Integer> reseal(int field, int total) {
    if (field == fields.size()) {
      return Future.succeededFuture(total);
    }
    if (stopped) {
      return Future.failedFuture("stopped at shutdown after " + total + " values");
    }
    return workers
        .run(() -> sealing.resealBatch(fields.get(field)))
        .compose(
            done ->
                done < sealing.batch()
                    ? reseal(field + 1, total + done)
                    : reseal(field, total + done));
  }
}
