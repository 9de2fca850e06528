package io.aftercare.diagnostics.eval;

/**
 * When a device was last heard from and whether it is connected, as absence rules need it. Times
 * are epoch milliseconds; {@link #UNKNOWN} marks "never".
 */
public final class DeviceActivity {
  public static final long UNKNOWN = Long.MIN_VALUE;

  private long lastActivity = UNKNOWN;
  private Boolean online;
  private long connectivityChangedAt = UNKNOWN;

  public void heardFrom(long at) {
    lastActivity = Math.max(lastActivity, at);
  }

  public void connectivity(boolean isOnline, long at) {
    if (online == null || online != isOnline) {
      connectivityChangedAt = at;
    }
    online = isOnline;
    if (isOnline) {
      heardFrom(at);
    }
  }

  /**
   * Leaves out a stretch in which nothing could be heard (the platform was down), so that silence
   * counts only while someone listened: a time before the stretch moves forward by its length, a
   * time inside it moves to its end.
   */
  public void leaveOut(long from, long to) {
    lastActivity = shifted(lastActivity, from, to);
    connectivityChangedAt = shifted(connectivityChangedAt, from, to);
  }

  private static long shifted(long at, long from, long to) {
    if (at == UNKNOWN || at >= to) {
      return at;
    }
    return at <= from ? at + (to - from) : to;
  }

  public long lastActivity() {
    return lastActivity;
  }

  public boolean isOnline() {
    return Boolean.TRUE.equals(online);
  }

  /**
   * How long the device has been off-line at {@code now}: since the disconnect when one was seen,
   * otherwise since it was last heard from (a device that vanished without a clean disconnect).
   */
  public long offlineMillis(long now) {
    if (isOnline() || lastActivity == UNKNOWN) {
      return 0;
    }
    long since = Boolean.FALSE.equals(online) ? connectivityChangedAt : lastActivity;
    return now - since;
  }
}
